/**
 * What the leads list's filters and bulk actions offer: the tenant's people who can own leads, its
 * WhatsApp numbers and its sequences (counties are a fixed list, server/leads/counties.ts). Small
 * tables, read once per page visit.
 */
import type { TenantTx } from "../../db/client.server";

export interface LeadListOptions {
  owners: Array<{ id: string; name: string; role: string }>;
  phones: Array<{ id: string; label: string; number: string }>;
  sequences: Array<{ id: string; name: string; isActive: boolean }>;
}

export async function leadListOptions(tx: TenantTx): Promise<LeadListOptions> {
  const owners = await tx.user.findMany({ where: { isActive: true, role: { in: ["SALES_REP", "MANAGER"] } }, orderBy: { name: "asc" }, select: { id: true, name: true, role: true } });
  const phones = await tx.waPhoneNumber.findMany({ orderBy: { label: "asc" }, select: { id: true, label: true, phoneNumber: true } });
  const sequences = await tx.outreachSequence.findMany({ orderBy: [{ isActive: "desc" }, { name: "asc" }], select: { id: true, name: true, isActive: true } });
  return { owners, phones: phones.map((p) => ({ id: p.id, label: p.label, number: p.phoneNumber })), sequences };
}
