/**
 * The outreach dead-letter queue (seeds §6.2 `dlq:outreach`, pg-boss `dlq.outreach`) as a tenant sees
 * it: list with reason and payload, retry (send the payload back to its queue, job-level attempts
 * reset) and discard. Both actions are ADMIN-only at the procedure tier and audited here.
 *
 * Two shapes arrive in the queue: entries our send handlers write on purpose
 * `{ queue, jobId, code, reason, payload }`, and pg-boss's own copies of jobs that failed for good
 * (the payload itself, source queue in `sourceName`). Both are read into one view.
 */
import type { PgBoss } from "pg-boss";
import { z } from "zod";
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { TenantTx } from "../db/client.server";
import { DomainError, notFound } from "../errors";
import { OUTREACH_DLQ, queueFamilyOf, WA_SEND_FAMILY, waSendQueue } from "../../jobs/queues";

export const deadLetterView = z.object({
  id: z.string(),
  queue: z.string(),
  code: z.string(),
  reason: z.string(),
  leadId: z.string().nullable(),
  journeyId: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.date(),
});
export type DeadLetterView = z.output<typeof deadLetterView>;

type DlqBoss = Pick<PgBoss, "findJobs" | "send" | "deleteJob">;

const ours = z.object({ queue: z.string(), jobId: z.string().optional(), code: z.string(), reason: z.string(), payload: z.record(z.string(), z.unknown()) });
const tenantOf = (data: Record<string, unknown>) => (typeof data.tenantId === "string" ? data.tenantId : null);

function toView(job: { id: string; data: unknown; createdOn: Date; sourceName: string | null; output: object | null }): (DeadLetterView & { tenantId: string | null }) | null {
  const parsed = ours.safeParse(job.data);
  const payload = parsed.success ? parsed.data.payload : ((job.data ?? {}) as Record<string, unknown>);
  const output = (job.output ?? {}) as { message?: unknown };
  return {
    id: job.id,
    // A tenant's send queue is shown as its family (`wa.send`): the tenant id adds nothing here.
    queue: queueFamilyOf(parsed.success ? parsed.data.queue : (job.sourceName ?? "unknown")),
    code: parsed.success ? parsed.data.code : "JOB_FAILED",
    reason: parsed.success ? parsed.data.reason : typeof output.message === "string" ? output.message : "failed after its retries",
    leadId: typeof payload.leadId === "string" ? payload.leadId : null,
    journeyId: typeof payload.journeyId === "string" ? payload.journeyId : null,
    payload,
    createdAt: job.createdOn,
    tenantId: tenantOf(payload),
  };
}

/** The tenant's dead letters, newest first. */
export async function listDeadLetters(boss: DlqBoss, tenantId: string, limit = 100): Promise<DeadLetterView[]> {
  const [mine, copies] = await Promise.all([
    boss.findJobs(OUTREACH_DLQ, { data: { payload: { tenantId } } }),
    boss.findJobs(OUTREACH_DLQ, { data: { tenantId } }),
  ]);
  const seen = new Set<string>();
  const views: DeadLetterView[] = [];
  for (const job of [...mine, ...copies]) {
    if (seen.has(job.id) || job.state === "completed" || job.state === "cancelled") continue;
    seen.add(job.id);
    const v = toView(job);
    if (v && v.tenantId === tenantId) {
      const { tenantId: _t, ...view } = v;
      views.push(view);
    }
  }
  return views.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, limit);
}

async function findOwn(boss: DlqBoss, tenantId: string, id: string) {
  const [job] = await boss.findJobs(OUTREACH_DLQ, { id });
  const view = job ? toView(job) : null;
  // Another tenant's entry is "not found", never "forbidden": its existence is not ours to reveal.
  if (!job || !view || view.tenantId !== tenantId) throw notFound("dead_letter", id);
  return view;
}

async function audit(tx: TenantTx, a: { tenantId: string; actor: Actor; action: string; view: DeadLetterView; after?: object }) {
  await recordAudit(tx, {
    tenantId: a.tenantId,
    actor: a.actor,
    action: a.action,
    entityType: "dead_letter",
    entityId: a.view.id,
    before: { queue: a.view.queue, code: a.view.code, reason: a.view.reason, payload: a.view.payload },
    ...(a.after ? { after: a.after } : {}),
  });
}

/**
 * Sends the payload back to its queue with fresh job-level attempts and removes the entry. The send
 * job re-checks everything at run time (eligibility, window, quota, idempotency), so a retry can never
 * send twice or out of hours. Audit row and removal in the caller's tenant transaction.
 */
export async function retryDeadLetter(boss: DlqBoss, tx: TenantTx, input: { tenantId: string; actor: Actor; id: string }): Promise<{ jobId: string }> {
  const view = await findOwn(boss, input.tenantId, input.id);
  // Job-level attempts live in the send payloads; other payloads are strict and have none to reset.
  const payload = { ...view.payload, ...("attempts" in view.payload ? { attempts: {} } : {}) } as Record<string, unknown>;
  const whatsapp = view.queue === WA_SEND_FAMILY;
  if (whatsapp) payload.deferrals = 0;
  const singletonKey = whatsapp ? (payload.phoneId as string | undefined) : (payload.journeyId as string | undefined);
  // A WhatsApp send goes back to its tenant's send queue (the entry is this tenant's, see findOwn).
  const queue = whatsapp ? waSendQueue(input.tenantId) : view.queue;
  const jobId = await boss.send(queue, payload, singletonKey ? { singletonKey } : {});
  if (!jobId) throw new DomainError("CONFLICT", "DEAD_LETTER_RETRY_REFUSED", `queue ${queue} did not accept the job`);
  await boss.deleteJob(OUTREACH_DLQ, view.id);
  await audit(tx, { tenantId: input.tenantId, actor: input.actor, action: "dead_letter.retry", view, after: { jobId } });
  return { jobId };
}

export async function discardDeadLetter(boss: DlqBoss, tx: TenantTx, input: { tenantId: string; actor: Actor; id: string }): Promise<void> {
  const view = await findOwn(boss, input.tenantId, input.id);
  await boss.deleteJob(OUTREACH_DLQ, view.id);
  await audit(tx, { tenantId: input.tenantId, actor: input.actor, action: "dead_letter.discard", view });
}
