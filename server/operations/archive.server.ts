/**
 * Archive of the communication log (runbook §8.1 "archive old data", §1.2 "verify it ran"): rows older
 * than 90 days move from gold_communication_log to gold_communication_log_archive, in batches, each
 * batch one statement (DELETE … RETURNING feeding the INSERT), so a row is in exactly one of the two
 * tables at every moment and a crash loses nothing. Idempotent: a second run finds nothing to move.
 *
 * Kept in the log: rows a review item points at (human_review_queue.trigger_message_id), which the
 * review still shows; they are archived once the review is gone. Quota and idempotency never look
 * back 90 days (quota: today; the same-text rule: 30 days by default), so nothing the pipeline reads
 * leaves the log.
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import { withTenant } from "../db/client.server";
import { logEvent } from "../observability/logger.server";

/** Every column of gold_communication_log, in one place (tests/operations compare it with the catalog). */
export const LOG_COLUMNS = [
  "id", "tenant_id", "journey_id", "lead_id", "channel", "direction", "status", "external_message_id", "thread_id",
  "timelinesai_message_uid", "timelinesai_chat_id", "instantly_lead_id", "instantly_campaign_id", "resend_email_id",
  "idempotency_key", "recipient", "subject", "content_preview", "content_hash", "quota_cost", "phone_id", "sequence_id",
  "sequence_step", "template_id", "template_version_id", "sentiment_score", "intent", "analysis", "raw_request",
  "raw_response", "error_code", "error_message", "metadata", "sent_at", "delivered_at", "read_at", "opened_at",
  "clicked_at", "replied_at", "bounced_at", "failed_at", "created_at", "updated_at",
] as const;

export const ARCHIVE_AFTER_DAYS = 90;
const BATCH = 5_000;

export interface ArchivePlan {
  tenantId: string;
  cutoff: Date;
  /** Rows older than the cutoff. */
  olderThanCutoff: number;
  /** Of those, rows a review item still points at (stay). */
  heldByReviews: number;
  /** Rows moved by this run (0 in a dry run). */
  archived: number;
  /** Rows already in the archive. */
  inArchive: number;
}

export async function archiveCommunicationLog(
  tenantId: string,
  options: { now: Date; olderThanDays?: number; dryRun: boolean; actor: Actor },
): Promise<ArchivePlan> {
  const cutoff = new Date(options.now.getTime() - (options.olderThanDays ?? ARCHIVE_AFTER_DAYS) * 86_400_000);
  const count = () =>
    withTenant(tenantId, async (tx) => {
      const rows = await tx.$queryRaw<Array<{ older: number; held: number; archived: number }>>`
        SELECT (SELECT count(*) FROM gold_communication_log WHERE created_at < ${cutoff})::int AS older,
               (SELECT count(*) FROM gold_communication_log c WHERE c.created_at < ${cutoff}
                  AND EXISTS (SELECT 1 FROM human_review_queue h WHERE h.trigger_message_id = c.id))::int AS held,
               (SELECT count(*) FROM gold_communication_log_archive)::int AS archived`;
      return rows[0]!;
    });
  const before = await count();
  const plan: ArchivePlan = { tenantId, cutoff, olderThanCutoff: before.older, heldByReviews: before.held, archived: 0, inArchive: before.archived };
  if (options.dryRun || before.older - before.held === 0) return plan;

  const columns = LOG_COLUMNS.join(", ");
  for (;;) {
    const moved = await withTenant(
      tenantId,
      async (tx) => {
        const n = await tx.$executeRawUnsafe(
          `WITH moved AS (
             DELETE FROM gold_communication_log WHERE id IN (
               SELECT c.id FROM gold_communication_log c
                WHERE c.created_at < $1
                  AND NOT EXISTS (SELECT 1 FROM human_review_queue h WHERE h.trigger_message_id = c.id)
                ORDER BY c.created_at
                LIMIT ${BATCH}
                FOR UPDATE SKIP LOCKED)
             RETURNING ${columns})
           INSERT INTO gold_communication_log_archive (${columns}) SELECT ${columns} FROM moved`,
          cutoff,
        );
        if (n > 0) {
          await recordAudit(tx, {
            tenantId,
            actor: options.actor,
            action: "communication_log.archived",
            entityType: "gold_communication_log",
            entityId: null,
            after: { cutoff: cutoff.toISOString(), rows: n },
          });
        }
        return n;
      },
      { timeoutMs: 120_000 },
    );
    plan.archived += moved;
    if (moved < BATCH) break;
  }
  plan.inArchive += plan.archived;
  logEvent("info", { worker: "maintenance.communication-log.archive", action: "communication_log.archived", tenantId, metadata: { cutoff: cutoff.toISOString(), archived: plan.archived } });
  return plan;
}
