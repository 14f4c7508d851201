/**
 * The WhatsApp send against the TimelinesAI simulator over HTTP: exactly once under retries and
 * crashes, spacing, run-time quota and window re-checks, and the journey's explanation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobDefinition } from "../../jobs/definition";
import { dispatchJob } from "../../jobs/pipeline/dispatch";
import { waSendJob } from "../../jobs/pipeline/wa-send";
import { processWaSend } from "../../server/pipeline/send/whatsapp-send.server";
import { insertDnc } from "../support/factories";
import { addFault, createWorld, dispatchedWaSends, guardianFor, manualClock, sendDeps, simulatorMessages, startPipelineEnv, WEDNESDAY_10_00, type PipelineEnv, type World } from "./support";

let env: PipelineEnv;

beforeAll(async () => {
  env = await startPipelineEnv("plw", [dispatchJob, waSendJob] as JobDefinition[]);
});
afterAll(async () => {
  await env?.close();
});

const dispatched = (w: World, clock: ReturnType<typeof manualClock>) => dispatchedWaSends(env, w, clock);

const sentTo = async (phone: string) => (await simulatorMessages(env)).filter((m) => m.to === phone);

describe("WhatsApp send", () => {
  it("sends once, logs it, moves the lead to CONTACTED_WA and schedules step 2; a retried job does nothing", async () => {
    const w = await createWorld(env, { phones: 1, leads: 1 });
    const clock = manualClock(WEDNESDAY_10_00);
    const [p] = await dispatched(w, clock);
    const deps = sendDeps(env, clock);
    const first = await processWaSend(deps, p!, { jobId: "job-1" });
    expect(first).toMatchObject({ kind: "SENT", reconciled: false });
    const again = await processWaSend(deps, p!, { jobId: "job-1-retry" });
    expect(again).toMatchObject({ kind: "ALREADY_SENT" });

    const lead = w.leads[0]!;
    const messages = await sentTo(lead.phone);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.text).toMatch(/^(Bună ziua|Salut), Ferma 1 SRL! Avem oferte pentru Iași\.$/);
    const log = await env.admin.query(`SELECT status, idempotency_key, quota_cost, external_message_id, phone_id FROM gold_communication_log WHERE journey_id = $1`, [lead.journeyId]);
    expect(log.rows).toEqual([{ status: "SENT", idempotency_key: `${lead.journeyId}:1:WHATSAPP`, quota_cost: 1, external_message_id: messages[0]!.id, phone_id: w.phoneIds[0] }]);
    const j = await env.admin.query(`SELECT current_state, is_new_contact, sequence_step, next_action_at, last_dispatch_outcome AS o FROM gold_lead_journey WHERE id = $1`, [lead.journeyId]);
    expect(j.rows[0]).toMatchObject({ current_state: "CONTACTED_WA", is_new_contact: false, sequence_step: 1, o: { result: "SENT", stage: "send", quota: { allowed: true, cost: 1 } } });
    expect(new Date(j.rows[0].next_action_at).getTime()).toBe(WEDNESDAY_10_00.getTime() + 24 * 3600_000);
    const history = await env.admin.query(`SELECT from_state, to_state, actor_type, actor_id, reason, metadata FROM lead_state_history WHERE journey_id = $1`, [lead.journeyId]);
    expect(history.rows).toEqual([
      { from_state: "COLD", to_state: "CONTACTED_WA", actor_type: "JOB", actor_id: "wa.send:job-1", reason: "Primul mesaj WhatsApp trimis", metadata: { messageUid: messages[0]!.id, phoneId: w.phoneIds[0], sequenceStep: 1 } },
    ]);
    // What transitionLead and advanceAfterSend write through Prisma, written here by the send's SQL.
    const moved = await env.admin.query(
      `SELECT j.previous_state, j.state_change_reason, j.first_contact_channel, j.quota_consumption_date, j.current_sequence_id, j.last_channel_used,
              j.state_changed_at = j.first_contact_at AS same_instant, e.current_step, e.status, e.next_step_at = j.next_action_at AS next_agrees
         FROM gold_lead_journey j JOIN sequence_enrollments e ON e.journey_id = j.id WHERE j.id = $1`,
      [lead.journeyId],
    );
    expect(moved.rows[0]).toEqual({ previous_state: "COLD", state_change_reason: "Primul mesaj WhatsApp trimis", first_contact_channel: "WHATSAPP", quota_consumption_date: "2026-06-10", current_sequence_id: w.sequenceId, last_channel_used: "WHATSAPP", same_instant: true, current_step: 1, status: "ACTIVE", next_agrees: true });
    expect(await env.redis.get(`quota:wa:${w.tenantId}:${w.phoneIds[0]}:2026-06-10`).catch(() => null)).toBeDefined();
    const usage = await guardianFor(env, clock).usage(w.tenantId, w.phoneIds, (await import("../../server/quota/settings")).DEFAULT_QUOTA_SETTINGS);
    expect(usage[0]!.used).toBe(1);
    const history2 = await env.admin.query(`SELECT new_contacts_count, followups_count FROM wa_quota_usage WHERE phone_id = $1`, [w.phoneIds[0]]);
    expect(history2.rows).toEqual([{ new_contacts_count: 1, followups_count: 0 }]);
  });

  it("defers the next send on the phone by 30 s + up to 120 s, without a worker waiting", async () => {
    const w = await createWorld(env, { phones: 1, leads: 2 });
    const clock = manualClock(WEDNESDAY_10_00);
    const [a, b] = await dispatched(w, clock);
    const deps = sendDeps(env, clock);
    expect(await processWaSend(deps, a!, { jobId: "a" })).toMatchObject({ kind: "SENT" });
    const deferred = await processWaSend(deps, b!, { jobId: "b" });
    expect(deferred.kind).toBe("RESCHEDULE");
    if (deferred.kind !== "RESCHEDULE") return;
    const wait = deferred.startAfter.getTime() - WEDNESDAY_10_00.getTime();
    expect(wait).toBeGreaterThanOrEqual(30_000);
    expect(wait).toBeLessThanOrEqual(150_000);
    expect(deferred.payload.deferrals).toBe(1);
    clock.set(deferred.startAfter);
    expect(await processWaSend(deps, deferred.payload, { jobId: "b2" })).toMatchObject({ kind: "SENT" });
  });

  it("does not send again after a crash between TimelinesAI's acceptance and the log: it reconciles", async () => {
    const w = await createWorld(env, { phones: 1, leads: 1 });
    const clock = manualClock(WEDNESDAY_10_00);
    const [p] = await dispatched(w, clock);
    const crashing = sendDeps(env, clock, {
      afterProviderAccepted: () => {
        throw new Error("worker killed");
      },
    });
    await expect(processWaSend(crashing, p!, { jobId: "crash" })).rejects.toThrow("worker killed");
    const mid = await env.admin.query(`SELECT status, metadata->>'attemptAt' AS attempt FROM gold_communication_log WHERE journey_id = $1`, [w.leads[0]!.journeyId]);
    expect(mid.rows[0]).toMatchObject({ status: "QUEUED" });
    expect(mid.rows[0].attempt).not.toBeNull();

    clock.set(new Date(WEDNESDAY_10_00.getTime() + 10 * 60_000));
    const retried = await processWaSend(sendDeps(env, clock), p!, { jobId: "retry" });
    expect(retried).toMatchObject({ kind: "SENT", reconciled: true });
    expect(await sentTo(w.leads[0]!.phone)).toHaveLength(1);
    const usage = await guardianFor(env, clock).usage(w.tenantId, w.phoneIds, (await import("../../server/quota/settings")).DEFAULT_QUOTA_SETTINGS);
    expect(usage[0]!.used).toBe(1);
    const j = await env.admin.query(`SELECT current_state, last_dispatch_outcome->>'result' AS r FROM gold_lead_journey WHERE id = $1`, [w.leads[0]!.journeyId]);
    expect(j.rows[0]).toEqual({ current_state: "CONTACTED_WA", r: "RECONCILED_SENT" });
  });

  it("after an ambiguous timeout that never reached WhatsApp, sends exactly once and consumes one unit", async () => {
    const w = await createWorld(env, { phones: 1, leads: 1 });
    const clock = manualClock(WEDNESDAY_10_00);
    const [p] = await dispatched(w, clock);
    await addFault(env, { provider: "timelinesai", method: "POST", path: "/messages", kind: "timeout", times: 1 });
    const first = await processWaSend(sendDeps(env, clock), p!, { jobId: "t1" });
    expect(first).toMatchObject({ kind: "RESCHEDULE", code: "PROVIDER_UNAVAILABLE" });
    if (first.kind !== "RESCHEDULE") return;
    expect(first.payload.attempts).toEqual({ network: 1 });
    clock.set(first.startAfter);
    expect(await processWaSend(sendDeps(env, clock), first.payload, { jobId: "t2" })).toMatchObject({ kind: "SENT", reconciled: false });
    expect(await sentTo(w.leads[0]!.phone)).toHaveLength(1);
    const usage = await guardianFor(env, clock).usage(w.tenantId, w.phoneIds, (await import("../../server/quota/settings")).DEFAULT_QUOTA_SETTINGS);
    expect(usage[0]!.used).toBe(1);
  });

  it("re-checks the quota at run time: never past the limit, and a refused new lead is freed for another phone", async () => {
    const w = await createWorld(env, { phones: 1, leads: 2, phoneLimit: 5 });
    const clock = manualClock(WEDNESDAY_10_00);
    const [a, b] = await dispatched(w, clock);
    // Someone else used the phone's quota meanwhile.
    await env.store.setUsage({ tenantId: w.tenantId, phoneId: w.phoneIds[0]!, usageDate: "2026-06-10" }, 4, "set");
    expect(await processWaSend(sendDeps(env, clock), a!, { jobId: "a" })).toMatchObject({ kind: "SENT" });
    clock.set(new Date(WEDNESDAY_10_00.getTime() + 200_000));
    const refused = await processWaSend(sendDeps(env, clock), b!, { jobId: "b" });
    expect(refused).toMatchObject({ kind: "DONE", code: "REFUSED_QUOTA_EXHAUSTED" });
    const usage = await guardianFor(env, clock).usage(w.tenantId, w.phoneIds, (await import("../../server/quota/settings")).DEFAULT_QUOTA_SETTINGS);
    expect(usage[0]!.used).toBe(5);
    const j = await env.admin.query(`SELECT assigned_phone_id, next_action_at, last_dispatch_outcome AS o FROM gold_lead_journey WHERE id = $1`, [b!.journeyId]);
    expect(j.rows[0].assigned_phone_id).toBeNull();
    expect(new Date(j.rows[0].next_action_at).getTime()).toBe(clock().getTime());
    expect(j.rows[0].o).toMatchObject({ result: "REFUSED_QUOTA_EXHAUSTED", quota: { allowed: false, reason: "QUOTA_EXHAUSTED", used: 5, limit: 5 } });
    expect(await sentTo(w.leads.find((l) => l.journeyId === b!.journeyId)!.phone)).toHaveLength(0);
  });

  it("re-checks the window at run time and reschedules the lead to the next opening", async () => {
    const w = await createWorld(env, { phones: 1, leads: 1 });
    const clock = manualClock(WEDNESDAY_10_00);
    const [p] = await dispatched(w, clock);
    clock.set("2026-06-10T15:30:00Z"); // 18:30 in Bucharest
    expect(await processWaSend(sendDeps(env, clock), p!, { jobId: "late" })).toMatchObject({ kind: "DONE", code: "REFUSED_OUTSIDE_WINDOW" });
    const j = await env.admin.query(`SELECT next_action_at, next_action_reason FROM gold_lead_journey WHERE id = $1`, [p!.journeyId]);
    expect(new Date(j.rows[0].next_action_at).toISOString()).toBe("2026-06-11T06:00:00.000Z");
    expect(j.rows[0].next_action_reason).toBe("outside the sending window");
    expect(await sentTo(w.leads[0]!.phone)).toHaveLength(0);
  });

  it("drops a stale job when the lead replied meanwhile, and sends a number WhatsApp refuses to the fallback", async () => {
    const w = await createWorld(env, { phones: 1, leads: 2 });
    const clock = manualClock(WEDNESDAY_10_00);
    const [a, b] = await dispatched(w, clock);
    await env.admin.query(`UPDATE gold_lead_journey SET current_state = 'WARM_REPLY' WHERE id = $1`, [a!.journeyId]);
    expect(await processWaSend(sendDeps(env, clock), a!, { jobId: "a" })).toMatchObject({ kind: "DONE", code: "NO_LONGER_ELIGIBLE" });

    const leadB = w.leads.find((l) => l.journeyId === b!.journeyId)!;
    await fetch(`${env.sims.origin}/__control/scenario`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ faults: [], whatsapp: { rejectedNumbers: [leadB.phone] } }) });
    const result = await processWaSend(sendDeps(env, clock), b!, { jobId: "b" });
    expect(result).toMatchObject({ kind: "DONE", code: "RECIPIENT_INVALID" });
    const lead = await env.admin.query(`SELECT hlr_reachable FROM gold_companies WHERE id = $1`, [leadB.leadId]);
    expect(lead.rows[0].hlr_reachable).toBe(false);
    const log = await env.admin.query(`SELECT status, quota_cost FROM gold_communication_log WHERE journey_id = $1`, [b!.journeyId]);
    expect(log.rows).toEqual([{ status: "FAILED", quota_cost: 0 }]);
    const usage = await guardianFor(env, clock).usage(w.tenantId, w.phoneIds, (await import("../../server/quota/settings")).DEFAULT_QUOTA_SETTINGS);
    expect(usage[0]!.used).toBe(0);
  });

  it("sends the follow-up step on the lead's own phone at 200/200: follow-ups cost no quota", async () => {
    const w = await createWorld(env, { phones: 2, leads: 1, phoneLimit: 3 });
    const clock = manualClock(WEDNESDAY_10_00);
    const [first] = await dispatched(w, clock);
    expect(await processWaSend(sendDeps(env, clock), first!, { jobId: "s1" })).toMatchObject({ kind: "SENT" });
    await env.store.setUsage({ tenantId: w.tenantId, phoneId: first!.phoneId, usageDate: "2026-06-11" }, 3, "set");
    clock.set(new Date(WEDNESDAY_10_00.getTime() + 24 * 3600_000 + 60_000));
    const [followUp] = await dispatched(w, clock);
    expect(followUp).toMatchObject({ stepNumber: 2, phoneId: first!.phoneId });
    expect(await processWaSend(sendDeps(env, clock), followUp!, { jobId: "s2" })).toMatchObject({ kind: "SENT" });
    const log = await env.admin.query(`SELECT sequence_step, quota_cost FROM gold_communication_log WHERE journey_id = $1 ORDER BY sequence_step`, [first!.journeyId]);
    expect(log.rows).toEqual([{ sequence_step: 1, quota_cost: 1 }, { sequence_step: 2, quota_cost: 0 }]);
    const usage = await guardianFor(env, clock).usage(w.tenantId, [first!.phoneId], (await import("../../server/quota/settings")).DEFAULT_QUOTA_SETTINGS);
    expect(usage[0]!.used).toBe(3);
    const j = await env.admin.query(`SELECT current_state, sequence_step, next_action_at FROM gold_lead_journey WHERE id = $1`, [first!.journeyId]);
    expect(j.rows[0]).toEqual({ current_state: "CONTACTED_WA", sequence_step: 2, next_action_at: null });
  });

  it("re-checks the do-not-contact list at run time, whatever way the number was written", async () => {
    const w = await createWorld(env, { phones: 1, leads: 1 });
    const clock = manualClock(WEDNESDAY_10_00);
    const [p] = await dispatched(w, clock);
    const lead = w.leads[0]!;
    await env.admin.query(`UPDATE gold_companies SET telefon_principal = $2 WHERE id = $1`, [lead.leadId, `0${lead.phone.slice(3, 6)} ${lead.phone.slice(6, 9)} ${lead.phone.slice(9)}`.replace(/^0/, "+40 ")]);
    await insertDnc(env.admin, { tenantId: w.tenantId, type: "PHONE", value: lead.phone, reason: "cerut de client" });
    expect(await processWaSend(sendDeps(env, clock), p!, { jobId: "dnc" })).toMatchObject({ kind: "DONE", code: "NO_LONGER_ELIGIBLE", reason: "phone number is on the do-not-contact list" });
    expect(await sentTo(lead.phone)).toHaveLength(0);
  });

  it("does not repeat the same text to a lead within the tenant's period: the step waits it out", async () => {
    const w = await createWorld(env, { phones: 1, leads: 1 });
    // Step 2 renders exactly what step 1 sent (same template, same lead → same variant).
    await env.admin.query(`UPDATE outreach_sequence_steps SET template_id = (SELECT template_id FROM outreach_sequence_steps WHERE sequence_id = $1 AND step_number = 1) WHERE sequence_id = $1 AND step_number = 2`, [w.sequenceId]);
    await env.admin.query(`UPDATE tenants SET settings = settings || '{"sameContentDays": 14}' WHERE id = $1`, [w.tenantId]);
    const clock = manualClock(WEDNESDAY_10_00);
    const [first] = await dispatched(w, clock);
    expect(await processWaSend(sendDeps(env, clock), first!, { jobId: "same-1" })).toMatchObject({ kind: "SENT" });
    clock.set(new Date(WEDNESDAY_10_00.getTime() + 24 * 3600_000 + 60_000));
    const [second] = await dispatched(w, clock);
    expect(await processWaSend(sendDeps(env, clock), second!, { jobId: "same-2" })).toMatchObject({ kind: "DONE", code: "DEFERRED_SAME_CONTENT" });
    expect(await sentTo(w.leads[0]!.phone)).toHaveLength(1);
    const j = await env.admin.query(`SELECT next_action_at, last_dispatch_outcome->>'result' AS result FROM gold_lead_journey WHERE id = $1`, [first!.journeyId]);
    expect(j.rows[0]).toEqual({ next_action_at: new Date(WEDNESDAY_10_00.getTime() + 14 * 24 * 3600_000), result: "DEFERRED_SAME_CONTENT" });
    const log = await env.admin.query(`SELECT count(*)::int AS n FROM gold_communication_log WHERE journey_id = $1`, [first!.journeyId]);
    expect(log.rows[0].n).toBe(1);
    // Past the period the step goes out.
    clock.set(new Date(WEDNESDAY_10_00.getTime() + 14 * 24 * 3600_000 + 60_000));
    expect(await processWaSend(sendDeps(env, clock), second!, { jobId: "same-3" })).toMatchObject({ kind: "SENT" });
    expect(await sentTo(w.leads[0]!.phone)).toHaveLength(2);
  });
});
