/**
 * Contact suggestions (issue 15): a WRONG_PERSON reply that names someone else ("vorbiți cu fiul meu,
 * Andrei, 0722 123 456", "dați mail la office@…") becomes a suggestion the rep accepts with one click.
 * Accepting makes the named person the lead's contact: the name, role, number and address the reply
 * gave replace the old ones (kept on the suggestion), and the old number or address goes on the
 * do-not-contact list, so the person who said "not me" is not messaged again. Audited.
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { TenantTx } from "../db/client.server";
import { lockJourney } from "../db/lock-order.server";
import { DomainError, notFound } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import { addDoNotContact } from "../dnc/dnc.server";
import { dncKey } from "../dnc/keys";

type Person = Actor & { type: "USER" };

async function lockSuggestion(tx: TenantTx, suggestionId: string) {
  const ref = await tx.contactSuggestion.findUnique({ where: { id: suggestionId }, select: { journeyId: true } });
  if (!ref) throw notFound("suggestion", suggestionId);
  await lockJourney(tx, { journeyId: ref.journeyId });
  await tx.$queryRaw`SELECT id FROM contact_suggestions WHERE id = ${suggestionId}::uuid FOR UPDATE`;
  const s = await tx.contactSuggestion.findUniqueOrThrow({ where: { id: suggestionId }, select: { id: true, leadId: true, journeyId: true, status: true, name: true, role: true, phone: true, email: true } });
  if (s.status !== "PENDING") throw new DomainError("CONFLICT", "SUGGESTION_DECIDED", `the suggestion is already ${s.status}`, { status: s.status });
  return s;
}

export async function acceptContactSuggestion(tx: TenantTx, input: { tenantId: string; suggestionId: string; actor: Person; now: Date }): Promise<{ leadId: string; replaced: string[] }> {
  const s = await lockSuggestion(tx, input.suggestionId);
  const lead = await tx.goldCompany.findUniqueOrThrow({ where: { id: s.leadId }, select: { contactPrincipalNume: true, contactPrincipalFunctie: true, telefonPrincipal: true, emailPrincipal: true } });
  const previous = { name: lead.contactPrincipalNume, role: lead.contactPrincipalFunctie, phone: lead.telefonPrincipal, email: lead.emailPrincipal };
  const data: Prisma.GoldCompanyUpdateInput = {};
  const replaced: string[] = [];
  if (s.name) {
    data.contactPrincipalNume = s.name;
    replaced.push("name");
  }
  if (s.role) {
    data.contactPrincipalFunctie = s.role;
    replaced.push("role");
  }
  if (s.phone && s.phone !== lead.telefonPrincipal) {
    data.telefonPrincipal = s.phone;
    data.hlrReachable = null;
    replaced.push("phone");
  }
  if (s.email && s.email.toLowerCase() !== lead.emailPrincipal?.toLowerCase()) {
    data.emailPrincipal = s.email.toLowerCase();
    data.emailStatus = "UNKNOWN";
    replaced.push("email");
  }
  await tx.goldCompany.update({ where: { id: s.leadId }, data, select: { id: true } });
  // The old contact said it is the wrong person: it stays silenced even if the lead is imported again.
  const dnc: Array<{ type: "PHONE" | "EMAIL"; value: string }> = [];
  if (replaced.includes("phone") && lead.telefonPrincipal && dncKey("PHONE", lead.telefonPrincipal)) dnc.push({ type: "PHONE", value: lead.telefonPrincipal });
  if (replaced.includes("email") && lead.emailPrincipal && dncKey("EMAIL", lead.emailPrincipal)) dnc.push({ type: "EMAIL", value: lead.emailPrincipal });
  for (const d of dnc) {
    await addDoNotContact(tx, { tenantId: input.tenantId, actor: input.actor, type: d.type, value: d.value, reason: "Persoană greșită: a indicat alt contact", source: "reply:wrong_person", now: input.now }, { audit: false });
  }
  await tx.contactSuggestion.update({ where: { id: s.id }, data: { status: "ACCEPTED", decidedBy: input.actor.userId, decidedAt: input.now, previous: previous as Prisma.InputJsonValue } });
  // Only what changed and that it changed: the audit log keeps no personal data (audit.server.ts).
  await recordAudit(tx, { tenantId: input.tenantId, actor: input.actor, action: "lead.contact_suggestion.accept", entityType: "contact_suggestion", entityId: s.id, after: { leadId: s.leadId, replaced, doNotContact: dnc.map((d) => d.type) } });
  return { leadId: s.leadId, replaced };
}

export async function dismissContactSuggestion(tx: TenantTx, input: { tenantId: string; suggestionId: string; actor: Person; now: Date }): Promise<{ leadId: string }> {
  const s = await lockSuggestion(tx, input.suggestionId);
  await tx.contactSuggestion.update({ where: { id: s.id }, data: { status: "DISMISSED", decidedBy: input.actor.userId, decidedAt: input.now } });
  await recordAudit(tx, { tenantId: input.tenantId, actor: input.actor, action: "lead.contact_suggestion.dismiss", entityType: "contact_suggestion", entityId: s.id, after: { leadId: s.leadId } });
  return { leadId: s.leadId };
}
