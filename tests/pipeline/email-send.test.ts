/**
 * Email sends against the Instantly and Resend simulators: a cold email adds the lead, with its
 * rendered message as variables, to the step's campaign (created once), a warm email goes out through
 * Resend with the idempotency key; both log, move the state and schedule the next step; repeats are no-ops.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { JobDefinition } from "../../jobs/definition";
import { dispatchJob } from "../../jobs/pipeline/dispatch";
import { emailColdJob, emailWarmJob } from "../../jobs/pipeline/email-send";
import { runDispatch } from "../../server/pipeline/dispatch/dispatch.server";
import { processEmailSend, type EmailSendDeps } from "../../server/pipeline/send/email-send.server";
import { EMAIL_COLD_QUEUE, EMAIL_WARM_QUEUE, emailSendPayload, type EmailSendPayload } from "../../jobs/queues";
import { InstantlyClient } from "../../server/providers/instantly/client.server";
import { ResendClient } from "../../server/providers/resend/client.server";
import { SANDBOX_CREDENTIALS } from "../../server/providers/sandbox";
import { createWorld, guardianFor, manualClock, startPipelineEnv, WEDNESDAY_10_00, type PipelineEnv, type World } from "./support";
import { pgBossTransactionalQueue } from "../../jobs/transactional-queue";

let env: PipelineEnv;
let deps: (clock: () => Date) => EmailSendDeps;
let instantly: InstantlyClient;

beforeAll(async () => {
  env = await startPipelineEnv("ple", [dispatchJob, emailColdJob, emailWarmJob] as JobDefinition[]);
  const retryPolicy = { backoffBaseMs: 5, backoffMaxMs: 20, rateLimitWaitMs: 10 };
  instantly = new InstantlyClient({ baseUrl: env.sims.urls.instantly, apiKey: SANDBOX_CREDENTIALS.instantlyApiKey, timeoutMs: 2_000, retryPolicy });
  const resend = new ResendClient({ baseUrl: env.sims.urls.resend, apiKey: SANDBOX_CREDENTIALS.resendApiKey, from: "Cerniq <outreach@sandbox.cerniq.local>", timeoutMs: 2_000, retryPolicy });
  deps = (clock) => ({ instantly, resend, ports: env.ports, clock });
});
afterAll(async () => {
  await env?.close();
});

async function dispatched(w: World, clock: () => Date, queue: string): Promise<EmailSendPayload[]> {
  await runDispatch({ guardian: guardianFor(env, clock), boss: env.boss, queue: pgBossTransactionalQueue(env.boss), sequences: env.ports.sequences, clock }, { tenantId: w.tenantId });
  const out: EmailSendPayload[] = [];
  for (const l of w.leads) {
    for (const job of await env.boss.findJobs(queue, { key: l.journeyId, queued: true })) {
      out.push(emailSendPayload.parse(job.data));
      await env.boss.deleteJob(queue, job.id);
    }
  }
  return out;
}

it("cold email: one campaign per step, the lead added once with its rendered message, then a warm email through Resend", async () => {
  const w = await createWorld(env, { phones: 0, leads: 2, email: true });
  const clock = manualClock(WEDNESDAY_10_00);
  const cold = await dispatched(w, clock, EMAIL_COLD_QUEUE);
  expect(cold).toHaveLength(2);
  for (const p of cold) expect(await processEmailSend(deps(clock), "EMAIL_COLD", p, { jobId: `c-${p.journeyId}` })).toMatchObject({ kind: "SENT", channel: "EMAIL_COLD" });
  expect(await processEmailSend(deps(clock), "EMAIL_COLD", cold[0]!, { jobId: "again" })).toMatchObject({ kind: "ALREADY_SENT" });

  const campaigns = await env.admin.query(`SELECT instantly_campaign_id, step_number, status FROM email_campaigns WHERE tenant_id = $1`, [w.tenantId]);
  expect(campaigns.rows).toMatchObject([{ step_number: 1, status: "ACTIVE" }]);
  const log = await env.admin.query(
    `SELECT journey_id, status, idempotency_key, instantly_campaign_id, instantly_lead_id, subject FROM gold_communication_log WHERE tenant_id = $1 AND channel = 'EMAIL_COLD'`,
    [w.tenantId],
  );
  expect(log.rows).toHaveLength(2);
  for (const r of log.rows) {
    expect(r).toMatchObject({ status: "QUEUED", idempotency_key: `${r.journey_id}:1:EMAIL_COLD`, instantly_campaign_id: campaigns.rows[0].instantly_campaign_id });
    expect(r.subject).toMatch(/^(Ofertă|Propunere) pentru Ferma \d+ SRL$/);
    const lead = await instantly.getLead(r.instantly_lead_id);
    expect(lead.campaign).toBe(campaigns.rows[0].instantly_campaign_id);
    expect(lead.payload).toMatchObject({ cerniq_subject: r.subject, cerniq_journey: r.journey_id });
  }
  const states = await env.admin.query(`SELECT current_state, sequence_step, next_action_at FROM gold_lead_journey WHERE tenant_id = $1`, [w.tenantId]);
  for (const s of states.rows) {
    expect(s).toMatchObject({ current_state: "CONTACTED_EMAIL", sequence_step: 1 });
    expect(new Date(s.next_action_at).getTime()).toBe(WEDNESDAY_10_00.getTime() + 24 * 3600_000);
  }

  clock.set(new Date(WEDNESDAY_10_00.getTime() + 24 * 3600_000 + 60_000));
  const warm = await dispatched(w, clock, EMAIL_WARM_QUEUE);
  expect(warm).toHaveLength(2);
  for (const p of warm) expect(await processEmailSend(deps(clock), "EMAIL_WARM", p, { jobId: `w-${p.journeyId}` })).toMatchObject({ kind: "SENT", channel: "EMAIL_WARM" });
  expect(await processEmailSend(deps(clock), "EMAIL_WARM", warm[0]!, { jobId: "again" })).toMatchObject({ kind: "ALREADY_SENT" });
  const res = await fetch(`${env.sims.origin}/__control/messages?provider=resend&direction=outbound`);
  const sent = ((await res.json()) as Array<{ to: string; text: string }>).filter((m) => m.to.includes(w.tenantId.slice(0, 6)));
  expect(sent).toHaveLength(2);
  const warmLog = await env.admin.query(`SELECT status, resend_email_id FROM gold_communication_log WHERE tenant_id = $1 AND channel = 'EMAIL_WARM'`, [w.tenantId]);
  expect(warmLog.rows.every((r) => r.status === "SENT" && r.resend_email_id)).toBe(true);
  const done = await env.admin.query(`SELECT count(*)::int AS n FROM sequence_enrollments WHERE tenant_id = $1 AND status = 'COMPLETED'`, [w.tenantId]);
  expect(done.rows[0].n).toBe(2);
});

it("never sends a cold email to a lead that was contacted meanwhile, nor outside the window", async () => {
  const w = await createWorld(env, { phones: 0, leads: 2, email: true });
  const clock = manualClock(WEDNESDAY_10_00);
  const [a, b] = await dispatched(w, clock, EMAIL_COLD_QUEUE);
  await env.admin.query(`UPDATE gold_lead_journey SET current_state = 'WARM_REPLY' WHERE id = $1`, [a!.journeyId]);
  expect(await processEmailSend(deps(clock), "EMAIL_COLD", a!, { jobId: "a" })).toMatchObject({ kind: "DONE", code: "NO_LONGER_ELIGIBLE" });
  clock.set("2026-06-13T09:00:00Z");
  expect(await processEmailSend(deps(clock), "EMAIL_COLD", b!, { jobId: "b" })).toMatchObject({ kind: "DONE", code: "REFUSED_OUTSIDE_WINDOW" });
  const log = await env.admin.query(`SELECT count(*)::int AS n FROM gold_communication_log WHERE tenant_id = $1`, [w.tenantId]);
  expect(log.rows[0].n).toBe(0);
});
