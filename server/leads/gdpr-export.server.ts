/**
 * GDPR access (art. 15) and portability (art. 20): everything held about one lead, as JSON. Every row
 * is read whole (`to_jsonb(row)`), so a column added later is exported without touching this file:
 * the company, its journey, every message in and out (with the providers' raw request/response), the
 * state history, sequence enrollments, review items, notes, the automation's decisions, the
 * do-not-contact entries for its phone and address, the provider webhooks that mention it, and the
 * audit entries about it. Audited (who exported, not what).
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { TenantTx } from "../db/client.server";
import { lockLead } from "./lock-lead.server";
import { leadIdentifiers, webhookEventIdsMentioning } from "./gdpr-identifiers.server";

export interface LeadExport {
  format: "cerniq-lead-export/1";
  exportedAt: string;
  leadId: string;
  company: unknown;
  journey: unknown;
  messages: unknown[];
  stateHistory: unknown[];
  enrollments: unknown[];
  reviews: unknown[];
  notes: unknown[];
  decisions: unknown[];
  doNotContact: unknown[];
  webhookEvents: unknown[];
  audit: unknown[];
}

type Row = { j: unknown };
const rows = (r: Row[]) => r.map((x) => x.j);

export async function exportLeadData(tx: TenantTx, input: { tenantId: string; leadId: string; actor: Actor; now: Date }): Promise<LeadExport> {
  const lead = await lockLead(tx, input.leadId, undefined, { allowErased: true });
  const j = lead.journeyId;
  const ids = await leadIdentifiers(tx, lead);
  const eventIds = await webhookEventIdsMentioning(tx, ids.needles);
  const company = await tx.$queryRaw<Row[]>`SELECT to_jsonb(c) AS j FROM gold_companies c WHERE c.id = ${input.leadId}::uuid`;
  const journey = await tx.$queryRaw<Row[]>`SELECT to_jsonb(x) AS j FROM gold_lead_journey x WHERE x.id = ${j}::uuid`;
  const messages = await tx.$queryRaw<Row[]>`SELECT to_jsonb(m) AS j FROM gold_communication_log m WHERE m.journey_id = ${j}::uuid ORDER BY m.created_at, m.id`;
  const stateHistory = await tx.$queryRaw<Row[]>`SELECT to_jsonb(h) AS j FROM lead_state_history h WHERE h.journey_id = ${j}::uuid ORDER BY h.created_at, h.id`;
  const enrollments = await tx.$queryRaw<Row[]>`SELECT to_jsonb(e) || jsonb_build_object('sequence_name', s.name) AS j FROM sequence_enrollments e JOIN outreach_sequences s ON s.id = e.sequence_id WHERE e.journey_id = ${j}::uuid ORDER BY e.enrolled_at`;
  const reviews = await tx.$queryRaw<Row[]>`SELECT to_jsonb(r) AS j FROM human_review_queue r WHERE r.journey_id = ${j}::uuid ORDER BY r.created_at`;
  const notes = await tx.$queryRaw<Row[]>`SELECT to_jsonb(n) AS j FROM lead_notes n WHERE n.journey_id = ${j}::uuid ORDER BY n.created_at`;
  const decisions = await tx.$queryRaw<Row[]>`SELECT to_jsonb(d) AS j FROM lead_decisions d WHERE d.journey_id = ${j}::uuid ORDER BY d.at, d.id`;
  const doNotContact = await tx.$queryRaw<Row[]>`SELECT to_jsonb(d) AS j FROM do_not_contact d WHERE (d.type = 'PHONE' AND d.value = ANY(${ids.phoneValues}::text[])) OR (d.type = 'EMAIL' AND d.value = ANY(${ids.emailValues}::text[]))`;
  const webhookEvents = await tx.$queryRaw<Row[]>`SELECT to_jsonb(w) - 'raw_body' AS j FROM webhook_events w WHERE w.id = ANY(${eventIds}::uuid[]) ORDER BY w.received_at`;
  const audit = await tx.$queryRaw<Row[]>`SELECT to_jsonb(a) AS j FROM audit_log a WHERE a.entity_id IN (${j}, ${input.leadId}) ORDER BY a.created_at`;
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: "lead.gdpr_export",
    entityType: "gold_lead_journey",
    entityId: j,
    after: { messages: messages.length, webhookEvents: webhookEvents.length },
  });
  return {
    format: "cerniq-lead-export/1",
    exportedAt: input.now.toISOString(),
    leadId: input.leadId,
    company: company[0]?.j ?? null,
    journey: journey[0]?.j ?? null,
    messages: rows(messages),
    stateHistory: rows(stateHistory),
    enrollments: rows(enrollments),
    reviews: rows(reviews),
    notes: rows(notes),
    decisions: rows(decisions),
    doNotContact: rows(doNotContact),
    webhookEvents: rows(webhookEvents),
    audit: rows(audit),
  };
}
