/**
 * The rows integration tests set up, in one place: tenants and users, phones, leads (a company and its
 * journey), templates, sequences with steps, enrollments, messages in the communication log, state
 * history, review items, do-not-contact entries and email campaigns.
 *
 * Every function writes through the owner connection (an open `pg` client, or the database's admin URL),
 * which bypasses row-level security so a test can set up any state; the code under test then reads it
 * through the app role. Each function writes exactly the columns the test names and leaves the rest to
 * the table's defaults, so what a test asserts depends only on what it wrote. Defaults that need a value
 * (a company's name, a phone's number) come from the seed's factories
 * (prisma/seed/factories.ts), and many leads travel in one statement through the seed's bulk writer
 * (prisma/seed/bulk.ts): the demo data and the tests build rows with the same functions.
 *
 * Keys are the columns' names in camelCase (`firstContactAt` → first_contact_at); `undefined` means
 * "not written", `null` writes NULL.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { insertObjects, type ObjectColumn } from "../../prisma/seed/bulk";
import { companyRow, romanianMobile } from "../../prisma/seed/factories";
import { Rng } from "../../prisma/seed/random";

/** The owner connection: a connected client, or the admin URL of the test database (a client per call). */
export type Owner = pg.ClientBase | string;

type Row = Record<string, unknown>;

// Per test file (each file has its own module instance and its own database), so counters and the
// seeded RNG give every file the same, distinct values run after run.
const rng = new Rng(0x5eed_7e57);
let serial = 0;
const next = () => ++serial;

export async function withOwner<T>(owner: Owner, work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  if (typeof owner !== "string") return work(owner);
  const client = new pg.Client({ connectionString: owner });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const column = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Inserts one row with exactly the given columns and returns it as Postgres wrote it (defaults filled). */
export async function insertRow<T extends pg.QueryResultRow = { id: string }>(owner: Owner, table: string, values: Row): Promise<T> {
  const entries = Object.entries(values).filter(([, v]) => v !== undefined);
  const names = entries.map(([k]) => `"${column(k)}"`).join(", ");
  const params = entries.map((_, i) => `$${i + 1}`).join(", ");
  const sql = entries.length === 0 ? `INSERT INTO "${table}" DEFAULT VALUES RETURNING *` : `INSERT INTO "${table}" (${names}) VALUES (${params}) RETURNING *`;
  return withOwner(owner, async (c) => (await c.query<T>(sql, entries.map(([, v]) => v))).rows[0]!);
}

// ─── Tenants, users, phones ──────────────────────────────────────────────────────────────────────

export interface TenantSpec extends Row {
  id?: string;
  name?: string;
  slug?: string;
  isActive?: boolean;
  waDailyQuota?: number;
  jitterMinSeconds?: number;
  jitterMaxSeconds?: number;
  dispatchBatchSize?: number;
}

/** A tenant (default name and slug derived from its id); returns its id and webhook secret. */
export async function insertTenant(owner: Owner, spec: TenantSpec = {}): Promise<{ id: string; webhookSecret: string }> {
  const id = spec.id ?? randomUUID();
  const row = await insertRow<{ id: string; timelinesai_webhook_secret: string }>(owner, "tenants", {
    ...spec,
    id,
    name: spec.name ?? `Ferma ${id.slice(0, 6)}`,
    slug: spec.slug ?? `t-${id}`,
  });
  return { id: row.id, webhookSecret: row.timelinesai_webhook_secret };
}

export async function insertUser(
  owner: Owner,
  tenantId: string,
  role: "ADMIN" | "MANAGER" | "SALES_REP",
  spec: { id?: string; email?: string; name?: string; passwordHash?: string; isActive?: boolean } = {},
): Promise<string> {
  const id = spec.id ?? randomUUID();
  await insertRow(owner, "users", { ...spec, id, tenantId, role, email: spec.email ?? `${id}@example.ro`, name: spec.name ?? `User ${role}`, passwordHash: spec.passwordHash ?? "x" });
  return id;
}

export interface PhoneSpec extends Row {
  id?: string;
  /** E.164; default: a fresh Romanian mobile from the seed's factory (unique within the file). */
  phoneNumber?: string;
  label?: string;
  /** Default: the number's WhatsApp JID, as TimelinesAI names accounts. */
  timelinesaiAccountId?: string;
  status?: string;
  dailyQuotaLimit?: number;
  isEnabled?: boolean;
}

const usedNumbers = new Set<string>();
/** A Romanian mobile number in E.164, unique within the test file (the seed's factory). */
function freshMobile(): string {
  for (;;) {
    const number = romanianMobile(rng);
    if (!usedNumbers.has(number)) {
      usedNumbers.add(number);
      return number;
    }
  }
}

/** One of the tenant's WhatsApp phones; returns its id. */
export async function insertPhone(owner: Owner, tenantId: string, spec: PhoneSpec = {}): Promise<string> {
  const phoneNumber = spec.phoneNumber ?? freshMobile();
  const row = await insertRow(owner, "wa_phone_numbers", {
    ...spec,
    id: spec.id ?? randomUUID(),
    tenantId,
    phoneNumber,
    label: spec.label ?? `Vânzări ${next()}`,
    timelinesaiAccountId: spec.timelinesaiAccountId ?? `${phoneNumber.slice(1)}@s.whatsapp.net`,
  });
  return row.id;
}

// ─── Leads ───────────────────────────────────────────────────────────────────────────────────────

/** gold_companies columns a test may set (camelCase). */
export interface CompanySpec extends Row {
  id?: string;
  denumire?: string;
  cui?: string | null;
  judet?: string | null;
  localitate?: string | null;
  adresa?: string | null;
  telefonPrincipal?: string | null;
  hlrReachable?: boolean | null;
  emailPrincipal?: string | null;
  emailStatus?: string | null;
  contactPrincipalNume?: string | null;
  contactPrincipalFunctie?: string | null;
  createdAt?: Date;
}

/** gold_lead_journey columns a test may set (camelCase). */
export interface JourneySpec extends Row {
  id?: string;
  currentState?: string;
  previousState?: string | null;
  assignedPhoneId?: string | null;
  assignedAt?: Date | null;
  assignedToUser?: string | null;
  firstContactAt?: Date | string | null;
  firstContactChannel?: string | null;
  lastChannelUsed?: string | null;
  lastContactAt?: Date | string | null;
  lastReplyAt?: Date | string | null;
  currentSequenceId?: string | null;
  sequenceStep?: number;
  nextActionAt?: Date | string | null;
  nextActionReason?: string | null;
  lastDispatchOutcome?: unknown;
  replyCount?: number;
  sentimentScore?: number;
  requiresHumanReview?: boolean;
  emailOptedOut?: boolean;
  whatsappOptedOut?: boolean;
  createdAt?: Date;
}

export interface LeadSpec {
  company?: CompanySpec;
  /** false: the company has no journey row yet. */
  journey?: JourneySpec | false;
}

export interface LeadRows {
  leadId: string;
  journeyId: string;
}

/** A farm name as the seed makes them (prisma/seed/factories.ts). */
export function companyName(): string {
  return companyRow(rng, next()).denumire;
}

/** A lead: its company (named by the seed's factory unless the test names it) and its journey. */
export async function insertLead(owner: Owner, tenantId: string, spec: { company?: CompanySpec; journey: false }): Promise<{ leadId: string; journeyId: null }>;
export async function insertLead(owner: Owner, tenantId: string, spec?: { company?: CompanySpec; journey?: JourneySpec }): Promise<LeadRows>;
export async function insertLead(owner: Owner, tenantId: string, spec: LeadSpec): Promise<{ leadId: string; journeyId: string | null }>;
export async function insertLead(owner: Owner, tenantId: string, spec: LeadSpec = {}): Promise<{ leadId: string; journeyId: string | null }> {
  return withOwner(owner, async (c) => {
    const company = await insertRow(c, "gold_companies", { ...spec.company, tenantId, denumire: spec.company?.denumire ?? companyName() });
    if (spec.journey === false) return { leadId: company.id, journeyId: null };
    const journey = await insertRow(c, "gold_lead_journey", { ...spec.journey, tenantId, leadId: company.id });
    return { leadId: company.id, journeyId: journey.id };
  });
}

/** A company column for the bulk writer: its SQL name, array type and how to read it from the spec. */
const COMPANY_TYPES: Record<string, string> = {
  id: "uuid[]", denumire: "text[]", cui: "text[]", judet: "text[]", localitate: "text[]", adresa: "text[]",
  telefon_principal: "text[]", hlr_reachable: "bool[]", email_principal: "text[]", email_status: "email_status_enum[]",
  contact_principal_nume: "text[]", contact_principal_functie: "text[]", created_at: "timestamptz[]",
};
const JOURNEY_TYPES: Record<string, string> = {
  id: "uuid[]", lead_id: "uuid[]", current_state: "current_state_enum[]", previous_state: "current_state_enum[]",
  assigned_phone_id: "uuid[]", assigned_at: "timestamptz[]", assigned_to_user: "uuid[]", first_contact_at: "timestamptz[]",
  first_contact_channel: "channel_enum[]", last_channel_used: "channel_enum[]", last_contact_at: "timestamptz[]", last_reply_at: "timestamptz[]",
  current_sequence_id: "uuid[]", sequence_step: "int[]", next_action_at: "timestamptz[]", next_action_reason: "text[]",
  last_dispatch_outcome: "jsonb[]", reply_count: "int[]", sentiment_score: "int[]", requires_human_review: "bool[]",
  email_opted_out: "bool[]", whatsapp_opted_out: "bool[]", created_at: "timestamptz[]",
};

function columnsOf<T extends Row>(rows: readonly T[], types: Record<string, string>, table: string): Array<ObjectColumn<T>> {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => r[k] !== undefined)))];
  return keys.map((key) => {
    const type = types[column(key)];
    if (!type) throw new Error(`insertLeads: ${table}.${column(key)} is not a column the bulk writer knows; add its type`);
    return [column(key), type, (r: T) => r[key] ?? null] as const;
  });
}

/**
 * Many companies without journeys (imported, not yet picked up) in one statement (the seed's bulk
 * writer). A column some specs leave out is written NULL for them, not its default. Ids in order.
 */
export async function insertCompanies(owner: Owner, tenantId: string, specs: readonly CompanySpec[]): Promise<string[]> {
  const companies = specs.map((s) => ({ ...s, id: s.id ?? randomUUID(), denumire: s.denumire ?? companyName() }));
  if (companies.length > 0) {
    await withOwner(owner, (c) => insertObjects(c, "gold_companies", [["tenant_id", "uuid[]", () => tenantId], ...columnsOf(companies, COMPANY_TYPES, "gold_companies")], companies));
  }
  return companies.map((c) => c.id);
}

/** Many leads (company and journey) in two statements, as insertCompanies. Ids in order. */
export async function insertLeads(owner: Owner, tenantId: string, specs: ReadonlyArray<{ company?: CompanySpec; journey?: JourneySpec }>): Promise<LeadRows[]> {
  if (specs.length === 0) return [];
  return withOwner(owner, async (c) => {
    const leadIds = await insertCompanies(c, tenantId, specs.map((s) => s.company ?? {}));
    const journeys = specs.map((s, i) => ({ ...s.journey, id: s.journey?.id ?? randomUUID(), leadId: leadIds[i]! }));
    await insertObjects(c, "gold_lead_journey", [["tenant_id", "uuid[]", () => tenantId], ...columnsOf(journeys, JOURNEY_TYPES, "gold_lead_journey")], journeys);
    return journeys.map((j) => ({ leadId: j.leadId, journeyId: j.id }));
  });
}

// ─── Templates, sequences, enrollments ───────────────────────────────────────────────────────────

export interface TemplateSpec extends Row {
  id?: string;
  name?: string;
  channel?: string;
  subject?: string | null;
  content?: string;
}

/** A template row (no versions unless `versions` are given); returns its id and its versions' ids. */
export async function insertTemplate(
  owner: Owner,
  tenantId: string,
  spec: TemplateSpec & { versions?: ReadonlyArray<{ content: string; subject?: string | null; weight?: number }> } = {},
): Promise<{ id: string; versionIds: string[] }> {
  const { versions = [], ...template } = spec;
  return withOwner(owner, async (c) => {
    const row = await insertRow(c, "outreach_templates", { ...template, tenantId, name: template.name ?? `Șablon ${next()}`, channel: template.channel ?? "WHATSAPP", content: template.content ?? "Bună ziua" });
    const versionIds: string[] = [];
    for (const [i, v] of versions.entries()) {
      versionIds.push((await insertRow(c, "template_versions", { tenantId, templateId: row.id, versionNumber: i + 1, content: v.content, subject: v.subject, weight: v.weight })).id);
    }
    return { id: row.id, versionIds };
  });
}

export interface StepSpec {
  channel: string;
  templateId: string;
  /** Default: its position, from 1. */
  stepNumber?: number;
  name?: string;
  delayHours?: number;
}

/** A sequence and its steps; returns the sequence's id. */
export async function insertSequence(
  owner: Owner,
  tenantId: string,
  spec: { id?: string; name?: string; channel?: string; isDefault?: boolean; steps?: readonly StepSpec[] } = {},
): Promise<string> {
  const { steps = [], ...sequence } = spec;
  return withOwner(owner, async (c) => {
    const row = await insertRow(c, "outreach_sequences", { ...sequence, tenantId, name: sequence.name ?? `Secvență ${next()}` });
    for (const [i, step] of steps.entries()) {
      await insertRow(c, "outreach_sequence_steps", { ...step, tenantId, sequenceId: row.id, stepNumber: step.stepNumber ?? i + 1 });
    }
    return row.id;
  });
}

export interface EnrollmentSpec extends Row {
  tenantId: string;
  journeyId: string;
  leadId: string;
  sequenceId: string;
  status?: string;
  currentStep?: number;
  enrolledAt?: Date;
  nextStepAt?: Date | null;
}

export async function insertEnrollment(owner: Owner, spec: EnrollmentSpec): Promise<string> {
  return (await insertRow(owner, "sequence_enrollments", spec)).id;
}

// ─── What happened to a lead ─────────────────────────────────────────────────────────────────────

/** A row of gold_communication_log (columns in camelCase: channel, direction, status, sentAt, …). */
export interface MessageSpec extends Row {
  tenantId: string;
  journeyId: string;
  leadId: string;
  channel: string;
  direction: "INBOUND" | "OUTBOUND";
  status?: string;
  createdAt?: Date | string;
}

export async function insertMessage(owner: Owner, spec: MessageSpec): Promise<string> {
  return (await insertRow(owner, "gold_communication_log", spec)).id;
}

/** A row of lead_state_history. */
export async function insertStateChange(
  owner: Owner,
  spec: { tenantId: string; journeyId: string; leadId: string; fromState: string | null; toState: string; actorType: string; createdAt?: Date } & Row,
): Promise<void> {
  await insertRow(owner, "lead_state_history", spec);
}

/** A row of human_review_queue. */
export async function insertReview(
  owner: Owner,
  spec: { tenantId: string; journeyId: string; leadId: string; reason: string; priority: string; slaDueAt: Date } & Row,
): Promise<string> {
  return (await insertRow(owner, "human_review_queue", spec)).id;
}

export async function insertDnc(owner: Owner, spec: { tenantId: string; type: "PHONE" | "EMAIL" | "DOMAIN"; value: string } & Row): Promise<void> {
  await insertRow(owner, "do_not_contact", spec);
}

export async function insertCampaign(owner: Owner, spec: { tenantId: string; instantlyCampaignId: string; name: string } & Row): Promise<string> {
  return (await insertRow(owner, "email_campaigns", spec)).id;
}
