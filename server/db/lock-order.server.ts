/**
 * One lock order for a lead's rows. Every transaction that writes more than one of them takes its row
 * locks in this order, so two of them can wait for each other but never deadlock:
 *
 *   1. the phone (wa_phone_numbers), only for what writes it: a send's finalisation, the phone
 *      lifecycle (a ban takes its leads off the phone, so it locks the phone, then their journeys);
 *   2. the lead's journey (gold_lead_journey): the lead's lock, taken first by every per-lead change,
 *      whether a person, the send pipeline or a webhook makes it;
 *   3. the lead's sequence enrollments (sequence_enrollments);
 *   4. the lead's communication log rows (gold_communication_log).
 *
 * Many leads at once: journeys in id order (`lockJourneys`), or FOR UPDATE SKIP LOCKED as dispatch
 * does (a skip never waits, so it cannot take part in a deadlock). Taking a lock this transaction
 * already holds is free, so a function that needs the journey locked may simply lock it again.
 * The hot paths take the journey lock with BEGIN (server/db/sql.server.ts withLockedRow) or as the
 * first CTE of their one statement. Journeys are locked FOR NO KEY UPDATE: we never change their keys,
 * and unlike FOR UPDATE it does not hold up the KEY SHARE lock that inserting a child row (a message,
 * an enrollment) takes on the journey. docs/decisions/0008-lock-order.md has the reasons; tests/leads/
 * lock-order.test.ts races the paths that meet on one lead.
 */
import type { TenantTx } from "./client.server";

export interface LockedJourney {
  id: string;
  leadId: string;
}

/** Locks one journey (by its id or its lead's) until the transaction ends; null if it is not the tenant's. */
export async function lockJourney(tx: TenantTx, ref: { journeyId: string } | { leadId: string }): Promise<LockedJourney | null> {
  const rows =
    "journeyId" in ref
      ? await tx.$queryRaw<Array<{ id: string; lead_id: string }>>`SELECT id::text, lead_id::text FROM gold_lead_journey WHERE id = ${ref.journeyId}::uuid FOR NO KEY UPDATE`
      : await tx.$queryRaw<Array<{ id: string; lead_id: string }>>`SELECT id::text, lead_id::text FROM gold_lead_journey WHERE lead_id = ${ref.leadId}::uuid FOR NO KEY UPDATE`;
  const row = rows[0];
  return row ? { id: row.id, leadId: row.lead_id } : null;
}

/** Locks many journeys, in id order (the order two bulk operations agree on). */
export async function lockJourneys(tx: TenantTx, journeyIds: readonly string[]): Promise<void> {
  if (journeyIds.length === 0) return;
  await tx.$queryRaw`SELECT 1 FROM gold_lead_journey WHERE id = ANY(${[...journeyIds]}::uuid[]) ORDER BY id FOR NO KEY UPDATE`;
}
