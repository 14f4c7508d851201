/**
 * Do-not-contact added mid-day, email path (the counterpart of wa-send.test.ts's run-time check): an
 * address and a domain are put on the list while cold emails (Instantly) and warm emails (Resend: a
 * sequence step and a person's message from the lead page) for those leads already wait in the queue.
 * The real workers then run the jobs: nothing reaches the providers for the listed leads (asked of the
 * simulators over HTTP), the lead's decision and the message's log row say why, and another lead's
 * send in the same queue still goes.
 */
import { randomUUID } from "node:crypto";
import { PgBoss } from "pg-boss";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { JobDefinition } from "../../jobs/definition";
import { configurePipelineDeps } from "../../jobs/pipeline/deps";
import { dispatchJob } from "../../jobs/pipeline/dispatch";
import { emailColdJob, emailWarmJob } from "../../jobs/pipeline/email-send";
import { EMAIL_COLD_QUEUE, EMAIL_WARM_QUEUE, emailSendPayload } from "../../jobs/queues";
import { startWorkers } from "../../jobs/runtime";
import { pgBossTransactionalQueue } from "../../jobs/transactional-queue";
import { getEnv } from "../../server/config/env.server";
import { withTenant } from "../../server/db/client.server";
import { addDoNotContact } from "../../server/dnc/dnc.server";
import { sendLeadMessage } from "../../server/leads/send-message.server";
import { runDispatch } from "../../server/pipeline/dispatch/dispatch.server";
import { processEmailSend } from "../../server/pipeline/send/email-send.server";
import { InstantlyClient } from "../../server/providers/instantly/client.server";
import { ResendClient } from "../../server/providers/resend/client.server";
import { SANDBOX_CREDENTIALS } from "../../server/providers/sandbox";
import { createWorld, guardianFor, manualClock, startPipelineEnv, WEDNESDAY_10_00, type PipelineEnv, type World } from "./support";


let env: PipelineEnv;
let instantly: InstantlyClient;
let resend: ResendClient;
let worker: PgBoss | null = null;

beforeAll(async () => {
  env = await startPipelineEnv("pled", [dispatchJob, emailColdJob, emailWarmJob] as JobDefinition[]);
  const retryPolicy = { backoffBaseMs: 5, backoffMaxMs: 20, rateLimitWaitMs: 10 };
  instantly = new InstantlyClient({ baseUrl: env.sims.urls.instantly, apiKey: SANDBOX_CREDENTIALS.instantlyApiKey, timeoutMs: 2_000, retryPolicy });
  resend = new ResendClient({ baseUrl: env.sims.urls.resend, apiKey: SANDBOX_CREDENTIALS.resendApiKey, from: "Cerniq <outreach@sandbox.cerniq.local>", timeoutMs: 2_000, retryPolicy });
});
afterEach(async () => {
  await worker?.stop({ graceful: false, timeout: 2_000 }).catch(() => {});
  worker = null;
  configurePipelineDeps({});
});
afterAll(async () => {
  await env?.close();
});

type Lead = World["leads"][number] & { email: string };

/** An email-only world; `ownDomain` gives that lead an address on a domain of its own, so listing the domain touches no one else. */
async function emailWorld(ownDomain: number): Promise<{ w: World; leads: Lead[]; domain: string; manager: string }> {
  const w = await createWorld(env, { phones: 0, leads: 3, email: true });
  const domain = `ferma-vecina-${w.tenantId.slice(0, 8)}.ro`;
  await env.admin.query(`UPDATE gold_companies SET email_principal = $2 WHERE id = $1`, [w.leads[ownDomain]!.leadId, `office@${domain}`]);
  const { rows } = await env.admin.query<{ id: string; email: string }>(`SELECT id, email_principal AS email FROM gold_companies WHERE tenant_id = $1`, [w.tenantId]);
  const emails = new Map(rows.map((r) => [r.id, r.email]));
  const manager = await env.admin.query<{ id: string }>(`INSERT INTO users (tenant_id, email, name, password_hash, role) VALUES ($1, $2, 'Mihai Stan', 'x', 'MANAGER') RETURNING id`, [w.tenantId, `${randomUUID()}@agro.test`]);
  return { w, leads: w.leads.map((l) => ({ ...l, email: emails.get(l.leadId)! })), domain, manager: manager.rows[0]!.id };
}

/** A manager lists an address or a domain on the do-not-contact page (its use case), mid-day. */
async function list(w: World, manager: string, type: "EMAIL" | "DOMAIN", value: string, now: Date): Promise<void> {
  await withTenant(w.tenantId, (tx) =>
    addDoNotContact(tx, { tenantId: w.tenantId, actor: { type: "USER", userId: manager, role: "MANAGER", ip: null }, type, value, reason: "A cerut să nu mai primească emailuri", source: "manual", now }),
  );
}

async function queued(w: World, queue: string): Promise<number> {
  const { rows } = await env.admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${getEnv().PGBOSS_SCHEMA}.job WHERE name = $1 AND data->>'tenantId' = $2 AND state = 'created'`, [queue, w.tenantId]);
  return rows[0]!.n;
}

/** The real email workers, on the simulators and the test's clock, until every job of the tenant on `queue` has run. */
async function runWorkers(w: World, queue: string, clock: () => Date, jobs: number): Promise<void> {
  configurePipelineDeps({ guardian: guardianFor(env, clock), timelinesai: env.timelinesai, instantly, resend, clock });
  worker = new PgBoss({ connectionString: env.db.appUrl, schema: getEnv().PGBOSS_SCHEMA, createSchema: false, max: 4 });
  worker.on("error", () => {});
  await worker.start();
  await startWorkers(worker, [emailColdJob, emailWarmJob] as JobDefinition[]);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await env.admin.query<{ done: number; all: number }>(
      `SELECT count(*) FILTER (WHERE state = 'completed')::int AS done, count(*)::int AS all FROM ${getEnv().PGBOSS_SCHEMA}.job WHERE name = $1 AND data->>'tenantId' = $2`,
      [queue, w.tenantId],
    );
    if (rows[0]!.all === jobs && rows[0]!.done === jobs) return;
    if (Date.now() > deadline) throw new Error(`${rows[0]!.done} of ${rows[0]!.all} ${queue} jobs done after 60 s (expected ${jobs})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const resendTo = async (address: string) => {
  const res = await fetch(`${env.sims.origin}/__control/messages?provider=resend&direction=outbound`);
  return ((await res.json()) as Array<{ to: string }>).filter((m) => m.to === address);
};

const decisions = async (journeyId: string) =>
  (await env.admin.query<{ stage: string; result: string; summary: string }>(`SELECT stage, result, outcome->>'summary' AS summary FROM lead_decisions WHERE journey_id = $1 ORDER BY at DESC, id DESC`, [journeyId])).rows;

describe("do-not-contact added mid-day, email", () => {
  it("cold email (Instantly): an address and a domain listed while their sends wait in the queue get nothing; the other lead's goes", async () => {
    const { w, leads, domain, manager } = await emailWorld(1);
    const [byAddress, byDomain, other] = leads as [Lead, Lead, Lead];
    const clock = manualClock(WEDNESDAY_10_00);
    await runDispatch({ guardian: guardianFor(env, clock), boss: env.boss, queue: pgBossTransactionalQueue(env.boss), sequences: env.ports.sequences, clock }, { tenantId: w.tenantId });
    expect(await queued(w, EMAIL_COLD_QUEUE)).toBe(3);

    clock.set(new Date(WEDNESDAY_10_00.getTime() + 2 * 60_000));
    await list(w, manager, "EMAIL", byAddress.email.toUpperCase(), clock());
    await list(w, manager, "DOMAIN", `www.${domain}`, clock());
    await runWorkers(w, EMAIL_COLD_QUEUE, clock, 3);

    // Instantly holds the other lead only.
    expect(await instantly.findLead({ email: byAddress.email })).toBeUndefined();
    expect(await instantly.findLead({ email: byDomain.email })).toBeUndefined();
    expect(await instantly.findLead({ email: other.email })).toMatchObject({ email: other.email });
    // Why, on each lead's explain trail; nothing in their log, and they are still never contacted.
    expect((await decisions(byAddress.journeyId))[0]).toEqual({ stage: "send", result: "NO_LONGER_ELIGIBLE", summary: "the address is on the do-not-contact list" });
    expect((await decisions(byDomain.journeyId))[0]).toEqual({ stage: "send", result: "NO_LONGER_ELIGIBLE", summary: "the address's domain is on the do-not-contact list" });
    expect((await decisions(other.journeyId))[0]).toMatchObject({ stage: "send", result: "SENT" });
    const log = await env.admin.query<{ journey_id: string }>(`SELECT journey_id FROM gold_communication_log WHERE tenant_id = $1 AND channel = 'EMAIL_COLD'`, [w.tenantId]);
    expect(log.rows.map((r) => r.journey_id)).toEqual([other.journeyId]);
    const states = await env.admin.query<{ id: string; current_state: string }>(`SELECT id, current_state FROM gold_lead_journey WHERE tenant_id = $1`, [w.tenantId]);
    expect(Object.fromEntries(states.rows.map((r) => [r.id, r.current_state]))).toEqual({ [byAddress.journeyId]: "COLD", [byDomain.journeyId]: "COLD", [other.journeyId]: "CONTACTED_EMAIL" });
  });

  it("warm email (Resend): sequence steps and a person's messages wait in the queue; the listed address and domain get nothing, the other lead's step goes", async () => {
    const { w, leads, domain, manager } = await emailWorld(1);
    const [byAddress, byDomain, other] = leads as [Lead, Lead, Lead];
    // Yesterday's cold step went out for all three.
    const clock = manualClock(WEDNESDAY_10_00);
    const dispatch = () => runDispatch({ guardian: guardianFor(env, clock), boss: env.boss, queue: pgBossTransactionalQueue(env.boss), sequences: env.ports.sequences, clock }, { tenantId: w.tenantId });
    await dispatch();
    for (const l of leads) {
      for (const job of await env.boss.findJobs(EMAIL_COLD_QUEUE, { key: l.journeyId, queued: true })) {
        await env.boss.deleteJob(EMAIL_COLD_QUEUE, job.id);
        expect(await processEmailSend({ instantly, resend, ports: env.ports, clock }, "EMAIL_COLD", emailSendPayload.parse(job.data), { jobId: job.id })).toMatchObject({ kind: "SENT" });
      }
    }

    // Today: dispatch queues the warm step for all three, and a rep writes to the two leads that are listed later.
    clock.set(new Date(WEDNESDAY_10_00.getTime() + 24 * 3600_000 + 60_000));
    await dispatch();
    const rep = await env.admin.query<{ id: string }>(`INSERT INTO users (tenant_id, email, name, password_hash, role) VALUES ($1, $2, 'Ioana Rusu', 'x', 'SALES_REP') RETURNING id`, [w.tenantId, `${randomUUID()}@agro.test`]);
    const written: Record<string, string> = {};
    for (const l of [byAddress, byDomain]) {
      const r = await sendLeadMessage((fn) => withTenant(w.tenantId, fn), { guardian: guardianFor(env, clock), queue: pgBossTransactionalQueue(env.boss) }, {
        tenantId: w.tenantId,
        leadId: l.leadId,
        channel: "EMAIL",
        subject: "Oferta de semințe",
        text: "Bună ziua, vă trimit oferta discutată la telefon.",
        requestId: randomUUID(),
        actor: { type: "USER", userId: rep.rows[0]!.id, role: "SALES_REP", ip: null },
        now: clock(),
      });
      expect(r.check.when).toBe("NOW");
      written[l.journeyId] = r.messageId;
    }
    expect(await queued(w, EMAIL_WARM_QUEUE)).toBe(5);

    clock.set(new Date(clock().getTime() + 2 * 60_000));
    await list(w, manager, "EMAIL", byAddress.email, clock());
    await list(w, manager, "DOMAIN", domain, clock());
    await runWorkers(w, EMAIL_WARM_QUEUE, clock, 5);

    // Resend got the other lead's step, and nothing for the listed two.
    expect(await resendTo(byAddress.email)).toHaveLength(0);
    expect(await resendTo(byDomain.email)).toHaveLength(0);
    expect(await resendTo(other.email)).toHaveLength(1);
    // The person's messages are on the timeline as not sent, with the reason; the steps stood down on the trail.
    const manual = await env.admin.query<{ journey_id: string; status: string; error_code: string }>(
      `SELECT journey_id, status, error_code FROM gold_communication_log WHERE id = ANY($1::uuid[]) ORDER BY journey_id`,
      [Object.values(written)],
    );
    expect(manual.rows).toEqual(
      [byAddress, byDomain].map((l) => ({ journey_id: l.journeyId, status: "FAILED", error_code: "EMAIL_DO_NOT_CONTACT" })).sort((a, b) => (a.journey_id < b.journey_id ? -1 : 1)),
    );
    for (const l of [byAddress, byDomain]) {
      const trail = await decisions(l.journeyId);
      expect(trail).toEqual(expect.arrayContaining([
        { stage: "send", result: "NO_LONGER_ELIGIBLE", summary: l === byAddress ? "the address is on the do-not-contact list" : "the address's domain is on the do-not-contact list" },
        { stage: "manual", result: "NO_LONGER_ELIGIBLE", summary: "the address or its domain is on the do-not-contact list" },
      ]));
    }
    const warm = await env.admin.query<{ journey_id: string; status: string }>(`SELECT journey_id, status FROM gold_communication_log WHERE tenant_id = $1 AND channel = 'EMAIL_WARM' AND status = 'SENT'`, [w.tenantId]);
    expect(warm.rows).toEqual([{ journey_id: other.journeyId, status: "SENT" }]);
  });
});
