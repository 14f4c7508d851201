/**
 * Dead letters end to end: a 4xx from TimelinesAI dead-letters the send (no retry, seeds §6.1), the
 * tenant lists it with reason and payload, an admin retries or discards it (audited), and the lead's
 * explanation says what happened. A webhook event's dead letter goes back to normalization likewise.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { JobDefinition } from "../../jobs/definition";
import { configurePipelineDeps } from "../../jobs/pipeline/deps";
import { dispatchJob } from "../../jobs/pipeline/dispatch";
import { handleWaSend, waSendJob } from "../../jobs/pipeline/wa-send";
import { withTenant } from "../../server/db/client.server";
import { discardDeadLetter, listDeadLetters, retryDeadLetter } from "../../server/pipeline/dead-letters.server";
import { runDispatch } from "../../server/pipeline/dispatch/dispatch.server";
import { explainLead, recentDispatchRuns } from "../../server/pipeline/dispatch/explain.server";
import { OUTREACH_DLQ, WA_SEND_FAMILY, WEBHOOK_NORMALIZE_QUEUE, waSendQueue, waSendPayload, webhookNormalizePayload, type DeadLetterPayload } from "../../jobs/queues";
import { insertTenant, insertUser } from "../support/factories";
import { addFault, createWorld, guardianFor, manualClock, simulatorMessages, startPipelineEnv, WEDNESDAY_10_00, type PipelineEnv } from "./support";
import { pgBossTransactionalQueue } from "../../jobs/transactional-queue";

let env: PipelineEnv;

beforeAll(async () => {
  env = await startPipelineEnv("plq", [dispatchJob, waSendJob] as JobDefinition[]);
});
afterAll(async () => {
  configurePipelineDeps({});
  await env?.close();
});

it("dead-letters a rejected send, lists it for its tenant only, and retries or discards it with an audit row", async () => {
  const w = await createWorld(env, { phones: 1, leads: 2, jitter: [0, 0] });
  const clock = manualClock(WEDNESDAY_10_00);
  configurePipelineDeps({ guardian: guardianFor(env, clock), timelinesai: env.timelinesai, clock });
  await runDispatch({ guardian: guardianFor(env, clock), boss: env.boss, queue: pgBossTransactionalQueue(env.boss), sequences: env.ports.sequences, clock }, { tenantId: w.tenantId });
  const jobs = await env.boss.findJobs(waSendQueue(w.tenantId), { key: w.phoneIds[0]!, queued: true });
  expect(jobs).toHaveLength(2);
  await addFault(env, { provider: "timelinesai", method: "POST", path: "/messages", kind: "status", status: 422, times: 2 });
  for (const job of jobs) {
    const result = await handleWaSend(env.boss, waSendPayload.parse(job.data), job.id);
    expect(result).toMatchObject({ kind: "DEAD_LETTER", code: "PROVIDER_REQUEST_REJECTED" });
    await env.boss.deleteJob(waSendQueue(w.tenantId), job.id);
  }
  expect((await simulatorMessages(env)).filter((m) => m.from === w.phoneNumbers[0])).toHaveLength(0);

  const letters = await listDeadLetters(env.boss, w.tenantId);
  expect(letters).toHaveLength(2);
  expect(letters[0]).toMatchObject({ queue: WA_SEND_FAMILY, code: "PROVIDER_REQUEST_REJECTED", payload: { tenantId: w.tenantId } });
  expect(await listDeadLetters(env.boss, randomUUID())).toEqual([]);

  const explained = await withTenant(w.tenantId, (tx) => explainLead(tx, letters[0]!.leadId!));
  expect(explained.lastDecision).toMatchObject({ stage: "send", result: "SEND_FAILED", error: { code: "PROVIDER_REQUEST_REJECTED" } });
  expect(explained.nextActionReason).toMatch(/dead-letter/);
  expect(explained.sends).toMatchObject([{ channel: "WHATSAPP", status: "FAILED", quotaCost: 0, errorCode: "PROVIDER_REQUEST_REJECTED" }]);
  const runs = await withTenant(w.tenantId, (tx) => recentDispatchRuns(tx));
  expect(runs).toMatchObject([{ status: "DONE", dispatchedToWhatsApp: 2 }]);

  const admin = await insertUser(env.admin, w.tenantId, "ADMIN", { name: "Admin" });
  const { jobId } = await withTenant(w.tenantId, (tx) => retryDeadLetter(env.boss, tx, { tenantId: w.tenantId, actor: { type: "USER", userId: admin, role: "ADMIN", ip: null }, id: letters[0]!.id }));
  const [requeued] = await env.boss.findJobs(waSendQueue(w.tenantId), { id: jobId });
  expect(requeued).toMatchObject({ singletonKey: w.phoneIds[0], data: { journeyId: letters[0]!.journeyId, attempts: {} } });
  // The retried send goes out (the fault is spent), exactly once.
  expect(await handleWaSend(env.boss, waSendPayload.parse(requeued!.data), jobId)).toMatchObject({ kind: "SENT" });

  await withTenant(w.tenantId, (tx) => discardDeadLetter(env.boss, tx, { tenantId: w.tenantId, actor: { type: "USER", userId: admin, role: "ADMIN", ip: null }, id: letters[1]!.id }));
  expect(await listDeadLetters(env.boss, w.tenantId)).toEqual([]);
  const audit = await env.admin.query(`SELECT action, entity_type FROM audit_log WHERE tenant_id = $1 ORDER BY created_at`, [w.tenantId]);
  expect(audit.rows).toEqual([
    { action: "dead_letter.retry", entity_type: "dead_letter" },
    { action: "dead_letter.discard", entity_type: "dead_letter" },
  ]);
  await expect(withTenant(w.tenantId, (tx) => discardDeadLetter(env.boss, tx, { tenantId: w.tenantId, actor: { type: "USER", userId: admin, role: "ADMIN", ip: null }, id: letters[1]!.id }))).rejects.toMatchObject({ code: "DEAD_LETTER_NOT_FOUND" });
});

it("retries a webhook event's dead letter as a normalization job its queue accepts (no send attempts added)", async () => {
  const { ensureQueues } = await import("../../jobs/runtime");
  const { webhookNormalizeJob } = await import("../../jobs/webhooks/normalize");
  await ensureQueues(env.boss, [webhookNormalizeJob] as JobDefinition[]);
  const { id: tenantId } = await insertTenant(env.admin);
  const eventId = randomUUID();
  // What server/events/process.server.ts writes when an event's last attempt fails.
  const letter: DeadLetterPayload = { queue: WEBHOOK_NORMALIZE_QUEUE, code: "WEBHOOK_EVENT_FAILED", reason: "Error: lifecycle unavailable", payload: { tenantId, eventIds: [eventId] } };
  await env.boss.send(OUTREACH_DLQ, letter);
  const [listed] = await listDeadLetters(env.boss, tenantId);
  expect(listed).toMatchObject({ queue: WEBHOOK_NORMALIZE_QUEUE, code: "WEBHOOK_EVENT_FAILED", reason: "Error: lifecycle unavailable" });
  const admin = await insertUser(env.admin, tenantId, "ADMIN", { name: "Admin" });
  const { jobId } = await withTenant(tenantId, (tx) => retryDeadLetter(env.boss, tx, { tenantId, actor: { type: "USER", userId: admin, role: "ADMIN", ip: null }, id: listed!.id }));
  const [requeued] = await env.boss.findJobs(WEBHOOK_NORMALIZE_QUEUE, { id: jobId });
  expect(webhookNormalizePayload.parse(requeued!.data)).toEqual({ tenantId, eventIds: [eventId] });
});
