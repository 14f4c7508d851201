/**
 * Dispatch against real Postgres (row-level security), pg-boss and Redis: eligibility, allocation,
 * the run's deterministic id, the stored summary and every lead's explanation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobDefinition } from "../../jobs/definition";
import { dispatchJob, enqueueTenantDispatches } from "../../jobs/pipeline/dispatch";
import { waSendJob } from "../../jobs/pipeline/wa-send";
import { runDispatch, type DispatchDeps } from "../../server/pipeline/dispatch/dispatch.server";
import { waSendQueue } from "../../jobs/queues";
import { insertDnc, insertEnrollment, insertLead } from "../support/factories";
import { createWorld, guardianFor, manualClock, startPipelineEnv, WEDNESDAY_10_00, type PipelineEnv } from "./support";
import { pgBossTransactionalQueue } from "../../jobs/transactional-queue";

let env: PipelineEnv;

beforeAll(async () => {
  env = await startPipelineEnv("pld", [dispatchJob, waSendJob] as JobDefinition[]);
});
afterAll(async () => {
  await env?.close();
});

function deps(clock: ReturnType<typeof manualClock>, options: DispatchDeps["options"] = {}): DispatchDeps {
  return { guardian: guardianFor(env, clock), boss: env.boss, queue: pgBossTransactionalQueue(env.boss), sequences: env.ports.sequences, clock, options };
}

describe("dispatch", () => {
  it("dispatches due eligible leads evenly over the phones, explains every lead, and runs a slot once", async () => {
    const w = await createWorld(env, { phones: 3, leads: 12, batchSize: 10 });
    const [review, paused, human, dnc, optedOut] = w.leads;
    await env.admin.query(`UPDATE gold_lead_journey SET requires_human_review = true WHERE id = $1`, [review!.journeyId]);
    await env.admin.query(`UPDATE gold_lead_journey SET sequence_paused = true WHERE id = $1`, [paused!.journeyId]);
    await env.admin.query(`UPDATE gold_lead_journey SET is_human_controlled = true WHERE id = $1`, [human!.journeyId]);
    await insertDnc(env.admin, { tenantId: w.tenantId, type: "PHONE", value: dnc!.phone, source: "manual" });
    await env.admin.query(`UPDATE gold_lead_journey SET whatsapp_opted_out = true, email_opted_out = true WHERE id = $1`, [optedOut!.journeyId]);
    // Used quota: phone 0 has only 2 new contacts left today.
    await env.store.setUsage({ tenantId: w.tenantId, phoneId: w.phoneIds[0]!, usageDate: "2026-06-10" }, 198, "set");

    const clock = manualClock(WEDNESDAY_10_00);
    const result = await runDispatch(deps(clock), { tenantId: w.tenantId });
    expect(result.status).toBe("DONE");
    if (result.status !== "DONE") return;
    const s = result.summary;
    // 12 leads, batch 10, the SQL filter keeps out review/paused/human/opted-out → 8 selected: the DNC
    // lead has no email either, so it has no channel; 7 go out on WhatsApp.
    expect(s.totalEligibleLeads).toBe(8);
    expect(s.dispatchedToWhatsApp).toBe(7);
    expect(s.skippedNoChannel).toBe(1);
    const perPhone = new Map<string, number>();
    for (const j of s.jobsCreated) perPhone.set(j.phoneId!, (perPhone.get(j.phoneId!) ?? 0) + 1);
    // Most quota left first: the nearly full phone gets nothing, the other two share the batch evenly.
    expect(perPhone.get(w.phoneIds[0]!)).toBeUndefined();
    expect([perPhone.get(w.phoneIds[1]!), perPhone.get(w.phoneIds[2]!)].sort()).toEqual([3, 4]);

    const jobs = await env.boss.findJobs(waSendQueue(w.tenantId), { key: w.phoneIds[1]!, queued: true });
    expect(jobs.length).toBe(perPhone.get(w.phoneIds[1]!));
    expect(jobs[0]!.data).toMatchObject({ tenantId: w.tenantId, phoneId: w.phoneIds[1], stepNumber: 1, sequenceId: w.sequenceId, templateId: w.templateId });

    const run = await env.admin.query(`SELECT status, total_eligible_leads, dispatched_to_whatsapp, skipped_no_channel, outcomes FROM dispatch_runs WHERE tenant_id = $1`, [w.tenantId]);
    expect(run.rows).toEqual([{ status: "DONE", total_eligible_leads: 8, dispatched_to_whatsapp: 7, skipped_no_channel: 1, outcomes: { DISPATCHED_WHATSAPP: 7, SKIPPED_NO_CHANNEL: 1 } }]);

    const { rows } = await env.admin.query(
      `SELECT id, last_dispatch_outcome AS o, next_action_at, assigned_phone_id, current_sequence_id, sequence_step, sequence_started_at, sequence_paused
         FROM gold_lead_journey WHERE tenant_id = $1`,
      [w.tenantId],
    );
    const byId = new Map(rows.map((r) => [r.id as string, r]));
    const dispatched = rows.filter((r) => r.o?.result === "DISPATCHED_WHATSAPP");
    expect(dispatched).toHaveLength(7);
    for (const r of dispatched) {
      expect(r.o).toMatchObject({ stage: "dispatch", eligible: true, channel: { selected: "WHATSAPP", fallback: null }, phone: { kind: "NEW" }, sequence: { stepNumber: 1 }, window: { open: true } });
      expect(r.assigned_phone_id).toBe(r.o.phone.phoneId);
      // Enrolled in the default sequence by this run, written in the same update as the decision.
      expect(r).toMatchObject({ current_sequence_id: w.sequenceId, sequence_step: 0, sequence_paused: false });
      expect(new Date(r.sequence_started_at).getTime()).toBe(WEDNESDAY_10_00.getTime());
      // Leased: not due again while its send job waits.
      expect(new Date(r.next_action_at).getTime()).toBe(WEDNESDAY_10_00.getTime() + 2 * 3600_000);
    }
    expect(byId.get(dnc!.journeyId)!.o).toMatchObject({ result: "SKIPPED_NO_CHANNEL", channel: { selected: null, reasons: expect.arrayContaining(["PHONE_DO_NOT_CONTACT"]) } });
    expect(byId.get(review!.journeyId)!.o).toBeNull();
    // Not eligible, or no channel: never enrolled.
    expect(byId.get(review!.journeyId)!.current_sequence_id).toBeNull();
    expect(byId.get(dnc!.journeyId)!.current_sequence_id).toBeNull();

    // The same slot again (a second scheduler, a retried job): nothing happens.
    expect(await runDispatch(deps(clock), { tenantId: w.tenantId })).toMatchObject({ status: "ALREADY_RAN" });
    // The next slot: the leased and parked leads are not due; a newly imported lead is.
    await insertLead(env.admin, w.tenantId, { company: { denumire: "Ferma Nouă SRL", telefonPrincipal: "+40729999999", hlrReachable: true } });
    clock.set(new Date(WEDNESDAY_10_00.getTime() + 5 * 60_000));
    const next = await runDispatch(deps(clock), { tenantId: w.tenantId });
    expect(next).toMatchObject({ status: "DONE", summary: { totalEligibleLeads: 1, dispatchedToWhatsApp: 1 } });
  });

  it("lets only one of two concurrent runs of a slot dispatch, and fans the cron tick out once per slot", async () => {
    const w = await createWorld(env, { phones: 0, leads: 3 });
    const clock = manualClock(new Date(WEDNESDAY_10_00.getTime() + 3600_000));
    const results = await Promise.all([runDispatch(deps(clock), { tenantId: w.tenantId }), runDispatch(deps(clock), { tenantId: w.tenantId })]);
    expect(results.map((r) => r.status).sort()).toEqual(["ALREADY_RAN", "DONE"]);
    const done = results.find((r) => r.status === "DONE");
    // No phone at all: counted, retried by the next run (the leads stay due).
    expect(done).toMatchObject({ summary: { outcomes: { NO_PHONE: 3 }, skippedQuotaExceeded: 3 } });
    const { rows } = await env.admin.query(`SELECT count(*)::int AS n FROM gold_lead_journey WHERE tenant_id = $1 AND next_action_at <= $2 AND last_dispatch_outcome->>'result' = 'NO_PHONE'`, [w.tenantId, clock()]);
    expect(rows[0].n).toBe(3);

    const slot = new Date("2026-06-10T09:00:00Z");
    expect(await enqueueTenantDispatches(env.boss, [w.tenantId], slot)).toBe(1);
    expect(await enqueueTenantDispatches(env.boss, [w.tenantId], slot)).toBe(0);
  });

  it("touches no lead while the window is closed and says when it opens", async () => {
    const w = await createWorld(env, { phones: 1, leads: 2 });
    const saturdayNoon = manualClock("2026-06-13T09:00:00Z");
    const result = await runDispatch(deps(saturdayNoon), { tenantId: w.tenantId });
    expect(result).toMatchObject({ status: "DONE", summary: { totalEligibleLeads: 0, nextDispatchAt: "2026-06-15T06:00:00.000Z" } });
    const run = await env.admin.query(`SELECT status FROM dispatch_runs WHERE tenant_id = $1`, [w.tenantId]);
    expect(run.rows[0].status).toBe("WINDOW_CLOSED");
    const { rows } = await env.admin.query(`SELECT count(*)::int AS n FROM gold_lead_journey WHERE tenant_id = $1 AND last_dispatch_outcome IS NULL`, [w.tenantId]);
    expect(rows[0].n).toBe(2);
  });

  it("keeps a contacted lead on its phone and makes it wait while that phone is banned", async () => {
    const w = await createWorld(env, { phones: 2, leads: 1 });
    const lead = w.leads[0]!;
    await env.admin.query(
      `UPDATE gold_lead_journey SET current_state = 'CONTACTED_WA', is_new_contact = false, assigned_phone_id = $2, next_action_at = $3 WHERE id = $1`,
      [lead.journeyId, w.phoneIds[0], new Date(WEDNESDAY_10_00.getTime() - 1000)],
    );
    await env.admin.query(`UPDATE wa_phone_numbers SET status = 'BANNED' WHERE id = $1`, [w.phoneIds[0]]);
    await insertEnrollment(env.admin, { tenantId: w.tenantId, journeyId: lead.journeyId, leadId: lead.leadId, sequenceId: w.sequenceId, currentStep: 1, enrolledAt: new Date(WEDNESDAY_10_00.getTime() - 86_400_000) });
    const clock = manualClock(new Date(WEDNESDAY_10_00.getTime() + 2 * 3600_000));
    const result = await runDispatch(deps(clock), { tenantId: w.tenantId });
    expect(result).toMatchObject({ status: "DONE", summary: { outcomes: { WAITING_FOR_STICKY_PHONE: 1 } } });
    const { rows } = await env.admin.query(`SELECT assigned_phone_id, next_action_at, last_dispatch_outcome AS o FROM gold_lead_journey WHERE id = $1`, [lead.journeyId]);
    expect(rows[0].assigned_phone_id).toBe(w.phoneIds[0]);
    expect(rows[0].o).toMatchObject({ result: "WAITING_FOR_STICKY_PHONE", phone: { code: "STICKY_PHONE_NOT_ACTIVE" }, sequence: { stepNumber: 2 } });
    expect(new Date(rows[0].next_action_at).getTime()).toBe(clock().getTime() + 3600_000);
  });
});
