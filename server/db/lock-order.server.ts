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
 * The hot paths take the journey lock with BEGIN (server/db/sql.server.ts withLockedRow), as the
 * statement before their one statement in the same round trip (lockedStatement: the WhatsApp intent)
 * or as the first CTE of their one statement. Journeys are locked FOR NO KEY UPDATE: we never change their keys,
 * and unlike FOR UPDATE it does not hold up the KEY SHARE lock that inserting a child row (a message,
 * an enrollment) takes on the journey. docs/decisions/0008-lock-order.md has the reasons; tests/leads/
 * lock-order.test.ts races the paths that meet on one lead.
 *
 * Both run on either kind of tenant transaction (server/db/executor.server.ts). Locking "many in id
 * order" is only deadlock-free when a transaction takes them all at once: the webhook normalization
 * locks a whole batch's journeys in one statement before it touches any of them.
 */
import { query, transactionMemo, type Db } from "./executor.server";

export interface LockedJourney {
  id: string;
  leadId: string;
}

/** Journeys this transaction holds, by id: taking one again is free, not a round trip. */
const held = (db: Db) => transactionMemo<LockedJourney>(db, "journeys");

/** Locks one journey (by its id or its lead's) until the transaction ends; null if it is not the tenant's. */
export async function lockJourney(db: Db, ref: { journeyId: string } | { leadId: string }): Promise<LockedJourney | null> {
  const memo = held(db);
  if ("journeyId" in ref) {
    const known = memo.get(ref.journeyId);
    if (known) return known;
  }
  const rows =
    "journeyId" in ref
      ? await query<{ id: string; lead_id: string }>(db, `SELECT id::text, lead_id::text FROM gold_lead_journey WHERE id = $1::uuid FOR NO KEY UPDATE`, [ref.journeyId])
      : await query<{ id: string; lead_id: string }>(db, `SELECT id::text, lead_id::text FROM gold_lead_journey WHERE lead_id = $1::uuid FOR NO KEY UPDATE`, [ref.leadId]);
  const row = rows[0];
  if (!row) return null;
  const locked = { id: row.id, leadId: row.lead_id };
  memo.set(locked.id, locked);
  return locked;
}

/** Locks many journeys, in id order (the order two bulk operations agree on); returns the ones that exist. */
export async function lockJourneys(db: Db, journeyIds: readonly string[]): Promise<LockedJourney[]> {
  if (journeyIds.length === 0) return [];
  const memo = held(db);
  const missing = [...new Set(journeyIds)].filter((id) => !memo.has(id));
  if (missing.length > 0) {
    const rows = await query<{ id: string; lead_id: string }>(
      db,
      `SELECT id::text, lead_id::text FROM gold_lead_journey WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
      [missing],
    );
    for (const r of rows) memo.set(r.id, { id: r.id, leadId: r.lead_id });
  }
  return journeyIds.flatMap((id) => memo.get(id) ?? []);
}
