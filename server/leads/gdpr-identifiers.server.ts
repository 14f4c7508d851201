/**
 * What identifies a lead's person in data that has no foreign key to it: provider webhooks (raw
 * payloads), unattributed webhook rejections, old audit snapshots, alerts. Used by the export (to find
 * them) and the erasure (to scrub them). Short values are left out: a six-character needle would match
 * other people's data.
 */
import type { TenantTx } from "../db/client.server";
import { emailKey, phoneKey } from "../dnc/keys";
import { hashedKey } from "../dnc/keys.server";
import type { LockedLead } from "./lock-lead.server";

export interface LeadIdentifiers {
  phoneKey: string | null;
  emailKey: string | null;
  /** The list values that stand for this person: the key and its hash. */
  phoneValues: string[];
  emailValues: string[];
  /** Case-insensitive substrings to look for in free text and raw payloads. */
  needles: string[];
}

const MIN_NEEDLE = 6;

export async function leadIdentifiers(tx: TenantTx, lead: Pick<LockedLead, "leadId" | "journeyId" | "phone" | "email">): Promise<LeadIdentifiers> {
  const company = await tx.goldCompany.findUniqueOrThrow({ where: { id: lead.leadId }, select: { denumire: true, contactPrincipalNume: true, cui: true, adresa: true } });
  const messages = await tx.goldCommunicationLog.findMany({
    where: { journeyId: lead.journeyId },
    select: { externalMessageId: true, timelinesaiChatId: true, timelinesaiMessageUid: true, resendEmailId: true, instantlyLeadId: true, recipient: true },
  });
  const pk = lead.phone ? phoneKey(lead.phone) : null;
  const ek = lead.email ? emailKey(lead.email) : null;
  const needles = new Set<string>();
  const add = (v: string | null | undefined, min = MIN_NEEDLE) => {
    const t = v?.trim();
    if (t && t.length >= min) needles.add(t.toLowerCase());
  };
  if (pk) {
    const digits = pk.slice(1);
    add(digits);
    // The national form (07xx …) of a Romanian number, as people and some payloads write it.
    if (digits.startsWith("40")) add(`0${digits.slice(2)}`);
  }
  add(ek ?? lead.email);
  // Names only when long enough to be specific to this lead (a company name, a full name).
  add(company.denumire, 8);
  add(company.contactPrincipalNume, 8);
  add(company.cui);
  add(company.adresa, 10);
  for (const m of messages) {
    for (const id of [m.externalMessageId, m.timelinesaiChatId, m.timelinesaiMessageUid, m.resendEmailId, m.instantlyLeadId]) add(id);
    add(m.recipient);
  }
  return {
    phoneKey: pk,
    emailKey: ek,
    phoneValues: pk ? [pk, hashedKey(pk)] : [],
    emailValues: ek ? [ek, hashedKey(ek)] : [],
    needles: [...needles],
  };
}

/** LIKE patterns for the needles (%, _ and \ taken literally). */
export const likePatterns = (needles: readonly string[]): string[] => needles.map((n) => `%${n.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);

/** The tenant's stored webhooks whose payload mentions one of the needles (a scan: GDPR requests are rare). */
export async function webhookEventIdsMentioning(tx: TenantTx, needles: readonly string[]): Promise<string[]> {
  if (needles.length === 0) return [];
  const patterns = likePatterns(needles);
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id::text FROM webhook_events WHERE raw_body ILIKE ANY(${patterns}::text[]) OR payload::text ILIKE ANY(${patterns}::text[]) OR headers::text ILIKE ANY(${patterns}::text[])`;
  return rows.map((r) => r.id);
}
