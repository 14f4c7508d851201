/**
 * The seed tells the truth (issue 13 item 5): two demo tenants are seeded into a real database, one
 * with "now" inside the sending window on a Wednesday afternoon, one on the Sunday the clocks go
 * forward, and every record is checked against the rules the running system applies: nothing dated
 * after now, sends only in the window, spacing and the daily quota per phone, histories that follow
 * the transition table and end in the journey's state, enrollments at the steps actually sent and due
 * when nextStepFor says, replies after what they answer, review items matching their replies and
 * SLAs, quota history equal to the log, daily statistics equal to a recomputation.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTenantSeed, DEMO_TENANTS, demoPhoneNumber, HISTORY_DAYS } from "../../prisma/seed/tenant";
import { SEQUENCES, TEMPLATES } from "../../prisma/seed/content";
import { checkTransition, type LeadState } from "../../server/lead-state/transitions";
import { quotaSettingsFromTenant } from "../../server/quota/settings";
import { calendarFor, type SendingCalendar } from "../../server/quota/window";
import { checkSteps, nextStepFor, type StepTiming } from "../../server/sequences/definition";
import { DEFAULT_ACCOUNTS } from "../../server/sandbox/launcher";
import { computeDailyStats, DAILY_STAT_COLUMNS, type DailyCountField } from "../../server/stats/daily-stats.server";
import { addDays, localDay } from "../../server/stats/day";
import { checkTemplate } from "../../server/templates/template";
import { parseLeadSource } from "../../server/leads/provenance";
import { whyPartsSchema, whyTextRo } from "../../server/replies/why";
import { createTestDatabase, type TestDatabase } from "../support/db";

// Wednesday 18 November 2026, 15:07 in Bucharest; Sunday 29 March 2026 (23-hour day), 10:30.
const CASES = [
  { tenant: DEMO_TENANTS[0], now: new Date("2026-11-18T13:07:41Z"), leads: 1500 },
  { tenant: DEMO_TENANTS[1], now: new Date("2026-03-29T07:30:00Z"), leads: 700 },
] as const;

let db: TestDatabase;
let client: pg.Client;
const seeded: Array<{ tenantId: string; now: Date; calendar: SendingCalendar; zone: string }> = [];

const rows = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows;

beforeAll(async () => {
  db = await createTestDatabase("seed");
  client = new pg.Client({ connectionString: db.adminUrl });
  await client.connect();
  for (const [k, c] of CASES.entries()) {
    await client.query("BEGIN");
    const s = await buildTenantSeed(client, { tenant: c.tenant, seed: 4242 + k, leadCount: c.leads, passwordHash: "x", now: c.now });
    await client.query("COMMIT");
    const [t] = await rows<{ timezone: string; sending_days: number[]; sending_start_hour: number; sending_end_hour: number; wa_daily_quota: number; settings: unknown }>(
      "SELECT timezone, sending_days, sending_start_hour, sending_end_hour, wa_daily_quota, settings FROM tenants WHERE id = $1",
      [s.tenantId],
    );
    const settings = quotaSettingsFromTenant({ timezone: t!.timezone, sendingDays: t!.sending_days, sendingStartHour: t!.sending_start_hour, sendingEndHour: t!.sending_end_hour, waDailyQuota: t!.wa_daily_quota, settings: t!.settings });
    seeded.push({ tenantId: s.tenantId, now: c.now, calendar: calendarFor(settings.window), zone: t!.timezone });
  }
}, 180_000);

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

/** Timestamp columns that record something that happened (planned times like next_action_at are not). */
const FACT_COLUMNS: Record<string, string[]> = {
  tenants: ["created_at", "updated_at"],
  users: ["created_at", "updated_at"],
  gold_companies: ["created_at", "updated_at"],
  gold_lead_journey: ["assigned_at", "state_changed_at", "sequence_started_at", "first_contact_at", "last_contact_at", "last_reply_at", "last_open_at", "converted_at", "last_dispatch_at", "created_at", "updated_at"],
  gold_communication_log: ["sent_at", "delivered_at", "read_at", "opened_at", "clicked_at", "replied_at", "bounced_at", "failed_at", "created_at", "updated_at"],
  lead_state_history: ["created_at"],
  sequence_enrollments: ["last_step_at", "paused_at", "stopped_at", "enrolled_at", "completed_at", "created_at", "updated_at"],
  human_review_queue: ["assigned_at", "sla_breached_at", "resolved_at", "created_at", "updated_at"],
  wa_phone_numbers: ["status_changed_at", "last_health_check_at", "last_connected_at", "last_disconnected_at", "last_error_at", "last_message_sent_at", "created_at", "updated_at"],
  wa_quota_usage: ["first_message_at", "last_message_at", "created_at", "updated_at"],
  do_not_contact: ["created_at"],
  audit_log: ["created_at"],
  alerts: ["created_at", "updated_at"],
  outreach_templates: ["created_at", "updated_at"],
  template_versions: ["created_at", "updated_at"],
  outreach_sequences: ["created_at", "updated_at"],
  outreach_sequence_steps: ["created_at", "updated_at"],
  email_campaigns: ["created_at", "updated_at"],
};

describe("seed content", () => {
  it("has valid templates and sequences, and the first tenant's phones are the sandbox workspace's accounts", () => {
    for (const t of TEMPLATES) {
      for (const v of t.versions) expect(checkTemplate({ channel: t.channel, subject: v.subject ?? t.subject, content: v.content, variables: t.variables }).issues).toEqual([]);
    }
    const byKey = new Map(TEMPLATES.map((t) => [t.key, { id: t.key, channel: t.channel, isActive: true }]));
    for (const s of SEQUENCES) {
      const steps = s.steps.map((st) => ({ ...st, templateId: st.template, fallbackTemplateId: st.fallback, delayMinutes: 0, stopOnReply: true, respectBusinessHours: true }));
      expect(checkSteps(steps, byKey)).toEqual([]);
    }
    expect(Array.from({ length: 20 }, (_, i) => demoPhoneNumber(0, i + 1))).toEqual([...DEFAULT_ACCOUNTS]);
  });
});

describe.each([0, 1])("seeded tenant %i", (k) => {
  const ctx = () => seeded[k]!;

  it("dates nothing after the seed's now", async () => {
    const { tenantId, now } = ctx();
    for (const [table, columns] of Object.entries(FACT_COLUMNS)) {
      const key = table === "tenants" ? "id" : "tenant_id";
      const [r] = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${key} = $1 AND (${columns.map((c) => `${c} > $2`).join(" OR ")})`, [tenantId, now]);
      expect({ table, future: r!.n }).toEqual({ table, future: 0 });
    }
  });

  it("records every lead's source and legal basis: the Gold-stage run that delivered it, landed before its first message", async () => {
    const { tenantId, now } = ctx();
    const leads = await rows<{ source: string; legal_basis: string; created_at: Date; first_out: Date | null; first_contact_at: Date | null }>(
      `SELECT c.source, c.legal_basis, c.created_at, j.first_contact_at,
              (SELECT min(m.created_at) FROM gold_communication_log m WHERE m.lead_id = c.id AND m.direction = 'OUTBOUND') AS first_out
         FROM gold_companies c JOIN gold_lead_journey j ON j.lead_id = c.id WHERE c.tenant_id = $1`,
      [tenantId],
    );
    expect(leads.length).toBe(CASES[k]!.leads);
    const runs = new Map<string, number>();
    let contacted = 0;
    for (const l of leads) {
      expect(l.legal_basis).toBe("LEGITIMATE_INTEREST");
      const source = parseLeadSource(l.source);
      if (source.kind !== "GOLD_IMPORT" || !source.run || !source.at) throw new Error(`a seeded lead without a Gold-stage run and date: ${l.source}`);
      expect(source.run).toMatch(/^etapa1-\d{4}$/);
      // One run, one moment: every lead of a run names the same date.
      expect(runs.get(source.run) ?? source.at.getTime()).toBe(source.at.getTime());
      runs.set(source.run, source.at.getTime());
      // The run wrote its rows in order from the moment it landed, well inside a minute.
      expect(l.created_at.getTime()).toBeGreaterThanOrEqual(source.at.getTime());
      expect(l.created_at.getTime() - source.at.getTime()).toBeLessThan(60_000);
      expect(source.at.getTime()).toBeLessThanOrEqual(now.getTime());
      for (const first of [l.first_out, l.first_contact_at]) {
        if (first) expect(source.at.getTime()).toBeLessThan(first.getTime());
      }
      if (l.first_out) contacted += 1;
    }
    expect(contacted).toBeGreaterThan(0);
    // Runs are numbered in the order they landed.
    const ordered = [...runs.entries()].sort((a, b) => a[1] - b[1]).map(([run]) => run);
    expect(ordered).toEqual([...ordered].sort());
    expect(runs.size).toBeGreaterThan(HISTORY_DAYS / 2);
  });

  it("has a past worth checking", async () => {
    const { tenantId, now } = ctx();
    const [r] = await rows<{ wa: number; cold: number; warm: number; replies: number; reviews: number; converted: number; first: Date }>(
      `SELECT count(*) FILTER (WHERE channel = 'WHATSAPP' AND direction = 'OUTBOUND')::int AS wa,
              count(*) FILTER (WHERE channel = 'EMAIL_COLD' AND direction = 'OUTBOUND')::int AS cold,
              count(*) FILTER (WHERE channel = 'EMAIL_WARM' AND direction = 'OUTBOUND')::int AS warm,
              count(*) FILTER (WHERE direction = 'INBOUND')::int AS replies,
              (SELECT count(*)::int FROM human_review_queue WHERE tenant_id = $1) AS reviews,
              (SELECT count(*)::int FROM gold_lead_journey WHERE tenant_id = $1 AND current_state = 'CONVERTED') AS converted,
              min(created_at) AS first
         FROM gold_communication_log WHERE tenant_id = $1`,
      [tenantId],
    );
    expect(r!.wa).toBeGreaterThan(300);
    expect(r!.cold + r!.warm).toBeGreaterThan(30);
    expect(r!.replies).toBeGreaterThan(20);
    expect(r!.reviews).toBe(r!.replies);
    expect(r!.converted).toBeGreaterThan(0);
    expect(now.getTime() - r!.first.getTime()).toBeLessThanOrEqual((HISTORY_DAYS + 1) * 86_400_000);
  });

  it("sends only inside the sending window, ≥ 30 s apart per phone, ≤ the daily quota of new contacts", async () => {
    const { tenantId, calendar } = ctx();
    const sent = await rows<{ channel: string; phone_id: string | null; sent_at: Date; quota_cost: number }>(
      "SELECT channel, phone_id, sent_at, quota_cost FROM gold_communication_log WHERE tenant_id = $1 AND direction = 'OUTBOUND' AND sent_at IS NOT NULL ORDER BY phone_id, sent_at",
      [tenantId],
    );
    const outside = sent.filter((m) => !calendar.state(m.sent_at).open);
    expect(outside).toEqual([]);
    const [t] = await rows<{ jitter_min_seconds: number; wa_daily_quota: number }>("SELECT jitter_min_seconds, wa_daily_quota FROM tenants WHERE id = $1", [tenantId]);
    const wa = sent.filter((m) => m.channel === "WHATSAPP");
    let closest = Infinity;
    const perDay = new Map<string, number>();
    for (let i = 0; i < wa.length; i++) {
      const m = wa[i]!;
      const prev = wa[i - 1];
      if (prev && prev.phone_id === m.phone_id) closest = Math.min(closest, m.sent_at.getTime() - prev.sent_at.getTime());
      if (m.quota_cost === 1) {
        const key = `${m.phone_id}:${calendar.localDate(m.sent_at)}`;
        perDay.set(key, (perDay.get(key) ?? 0) + 1);
      }
    }
    expect(closest).toBeGreaterThanOrEqual(t!.jitter_min_seconds * 1000);
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(t!.wa_daily_quota);
    // Phones that were never ACTIVE never sent; phones sent nothing after they stopped being ACTIVE.
    const late = await rows(
      `SELECT m.id FROM gold_communication_log m JOIN wa_phone_numbers p ON p.id = m.phone_id
        WHERE m.tenant_id = $1 AND m.direction = 'OUTBOUND' AND p.status <> 'ACTIVE' AND m.sent_at >= p.status_changed_at`,
      [tenantId],
    );
    expect(late).toEqual([]);
  });

  it("keeps each message's facts in order: created ≤ sent ≤ delivered ≤ read; replies after what they answer", async () => {
    const { tenantId } = ctx();
    const bad = await rows(
      `SELECT id FROM gold_communication_log WHERE tenant_id = $1 AND direction = 'OUTBOUND' AND NOT (
         (sent_at IS NULL OR sent_at >= created_at) AND (delivered_at IS NULL OR delivered_at > sent_at) AND (read_at IS NULL OR read_at > delivered_at)
         AND (opened_at IS NULL OR opened_at > sent_at) AND (clicked_at IS NULL OR clicked_at >= opened_at) AND (bounced_at IS NULL OR bounced_at > sent_at)
         AND (failed_at IS NULL OR failed_at > sent_at) AND (replied_at IS NULL OR replied_at > sent_at)
         AND (status <> 'QUEUED' OR sent_at IS NULL) AND (status = 'QUEUED' OR sent_at IS NOT NULL))`,
      [tenantId],
    );
    expect(bad).toEqual([]);
    // Every inbound message answers an outbound one of its lead, on its channel, sent before it; the
    // answered message is REPLIED at that moment.
    const orphans = await rows(
      `SELECT i.id FROM gold_communication_log i WHERE i.tenant_id = $1 AND i.direction = 'INBOUND' AND NOT EXISTS (
         SELECT 1 FROM gold_communication_log o WHERE o.journey_id = i.journey_id AND o.channel = i.channel AND o.direction = 'OUTBOUND'
            AND o.status = 'REPLIED' AND o.replied_at = i.created_at AND o.sent_at < i.created_at AND (o.channel <> 'WHATSAPP' OR o.read_at < i.created_at))`,
      [tenantId],
    );
    expect(orphans).toEqual([]);
    const [counts] = await rows<{ replied: number; inbound: number }>(
      `SELECT count(*) FILTER (WHERE direction = 'OUTBOUND' AND status = 'REPLIED')::int AS replied, count(*) FILTER (WHERE direction = 'INBOUND')::int AS inbound
         FROM gold_communication_log WHERE tenant_id = $1`,
      [tenantId],
    );
    expect(counts!.replied).toBe(counts!.inbound);
    // Seeded WhatsApp messages carry the provider's ids the sandbox simulator learns at start.
    const [noIds] = await rows<{ n: number }>(
      `SELECT count(*)::int AS n FROM gold_communication_log WHERE tenant_id = $1 AND channel = 'WHATSAPP' AND (external_message_id IS NULL OR timelinesai_chat_id IS NULL)`,
      [tenantId],
    );
    expect(noIds!.n).toBe(0);
  });

  it("has state histories that follow the transition table and end in the journey's state", async () => {
    const { tenantId } = ctx();
    const journeys = await rows<{ id: string; current_state: LeadState; previous_state: LeadState | null; state_changed_at: Date; converted_at: Date | null }>(
      "SELECT id, current_state, previous_state, state_changed_at, converted_at FROM gold_lead_journey WHERE tenant_id = $1",
      [tenantId],
    );
    const history = await rows<{ journey_id: string; from_state: LeadState | null; to_state: LeadState; created_at: Date }>(
      "SELECT journey_id, from_state, to_state, created_at FROM lead_state_history WHERE tenant_id = $1 ORDER BY journey_id, created_at, id",
      [tenantId],
    );
    const byJourney = new Map<string, typeof history>();
    for (const h of history) byJourney.set(h.journey_id, [...(byJourney.get(h.journey_id) ?? []), h]);
    const problems: string[] = [];
    for (const j of journeys) {
      const steps = byJourney.get(j.id) ?? [];
      let state: LeadState = "COLD";
      let previous: LeadState | null = null;
      for (const h of steps) {
        if (h.from_state !== state) problems.push(`${j.id}: history row from ${h.from_state} but the lead was ${state}`);
        if (checkTransition(state, h.to_state, previous).kind !== "allowed") problems.push(`${j.id}: ${state} → ${h.to_state} is not allowed`);
        previous = state;
        state = h.to_state;
      }
      if (state !== j.current_state) problems.push(`${j.id}: history ends in ${state}, the journey is ${j.current_state}`);
      if (steps.length > 0 && previous !== j.previous_state) problems.push(`${j.id}: previous_state ${j.previous_state}, history says ${previous}`);
      if (steps.length > 0 && steps.at(-1)!.created_at.getTime() !== j.state_changed_at.getTime()) problems.push(`${j.id}: state_changed_at is not the last move`);
      if ((j.current_state === "CONVERTED") !== (j.converted_at !== null) && j.current_state !== "DEAD") problems.push(`${j.id}: converted_at`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it("has enrollments at the steps actually sent, due when nextStepFor says, inside the window", async () => {
    const { tenantId, calendar } = ctx();
    const steps = await rows<StepTiming & { sequence_id: string }>(
      `SELECT sequence_id, step_number AS "stepNumber", channel, template_id AS "templateId", delay_hours AS "delayHours", delay_minutes AS "delayMinutes",
              stop_on_reply AS "stopOnReply", respect_business_hours AS "respectBusinessHours"
         FROM outreach_sequence_steps WHERE tenant_id = $1 ORDER BY step_number`,
      [tenantId],
    );
    const enrollments = await rows<{ journey_id: string; sequence_id: string; status: string; current_step: number; enrolled_at: Date; last_step_at: Date | null; next_step_at: Date | null; sent: number[] }>(
      `SELECT e.journey_id, e.sequence_id, e.status, e.current_step, e.enrolled_at, e.last_step_at, e.next_step_at,
              COALESCE((SELECT array_agg(m.sequence_step ORDER BY m.sequence_step) FROM gold_communication_log m
                         WHERE m.journey_id = e.journey_id AND m.sequence_id = e.sequence_id AND m.direction = 'OUTBOUND'), '{}') AS sent
         FROM sequence_enrollments e WHERE e.tenant_id = $1`,
      [tenantId],
    );
    expect(enrollments.length).toBeGreaterThan(100);
    const problems: string[] = [];
    for (const e of enrollments) {
      const own = steps.filter((s) => s.sequence_id === e.sequence_id);
      const expectedSent = Array.from({ length: e.current_step }, (_, i) => i + 1);
      if (JSON.stringify(e.sent) !== JSON.stringify(expectedSent)) problems.push(`${e.journey_id}: at step ${e.current_step}, sent ${e.sent.join(",")}`);
      if (e.status === "ACTIVE") {
        const next = nextStepFor({ currentStep: e.current_step, enrolledAt: e.enrolled_at, lastStepAt: e.last_step_at, steps: own }, e.last_step_at ?? e.enrolled_at, calendar);
        if (next?.at.getTime() !== e.next_step_at?.getTime()) problems.push(`${e.journey_id}: next_step_at ${e.next_step_at?.toISOString()}, nextStepFor says ${next?.at.toISOString()}`);
        if (e.next_step_at && !calendar.state(e.next_step_at).open) problems.push(`${e.journey_id}: due outside the window`);
      } else if (e.next_step_at !== null) problems.push(`${e.journey_id}: ${e.status} with a next step`);
      if (e.status === "COMPLETED" && e.current_step !== own.length) problems.push(`${e.journey_id}: COMPLETED at step ${e.current_step}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
    // The journey mirrors its open enrollment's next step.
    const mirror = await rows(
      `SELECT j.id FROM gold_lead_journey j JOIN sequence_enrollments e ON e.journey_id = j.id AND e.status = 'ACTIVE'
        WHERE j.tenant_id = $1 AND j.next_action_reason LIKE 'sequence step%' AND j.next_action_at IS DISTINCT FROM e.next_step_at`,
      [tenantId],
    );
    expect(mirror).toEqual([]);
  });

  it("opens review items that match their replies: status, SLA due time, breaches", async () => {
    const { tenantId, now } = ctx();
    const reviews = await rows<{
      kind: string; priority: string; status: string; created_at: Date; sla_due_at: Date; sla_breached: boolean; sla_breached_at: Date | null; resolved_at: Date | null;
      resolution: string | null; assigned_at: Date | null; ai_sentiment_score: number; score: number | null; route: string | null; rule: string | null; analysis: Record<string, unknown>; trigger_direction: string; trigger_at: Date; same_journey: boolean; sla: number; threshold: number;
    }>(
      `SELECT r.kind, r.priority, r.status, r.created_at, r.sla_due_at, r.sla_breached, r.sla_breached_at, r.resolved_at, r.resolution, r.assigned_at, r.ai_sentiment_score,
              m.sentiment_score AS score, m.analysis->>'route' AS route, m.analysis->>'rule' AS rule, r.ai_analysis AS analysis, m.direction AS trigger_direction, m.created_at AS trigger_at, m.journey_id = r.journey_id AS same_journey,
              CASE r.priority WHEN 'URGENT' THEN t.sla_urgent_minutes WHEN 'HIGH' THEN t.sla_high_minutes WHEN 'MEDIUM' THEN t.sla_medium_minutes ELSE t.sla_low_minutes END AS sla,
              t.sentiment_auto_threshold AS threshold
         FROM human_review_queue r JOIN gold_communication_log m ON m.id = r.trigger_message_id JOIN tenants t ON t.id = r.tenant_id
        WHERE r.tenant_id = $1`,
      [tenantId],
    );
    expect(reviews.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const r of reviews) {
      if (r.trigger_direction !== "INBOUND" || !r.same_journey) problems.push("trigger is not the lead's reply");
      if (r.created_at < r.trigger_at) problems.push("review before its reply");
      if (r.sla_due_at.getTime() !== r.created_at.getTime() + r.sla * 60_000) problems.push(`due ${r.sla_due_at.toISOString()} ≠ created + ${r.sla} min`);
      if (r.ai_sentiment_score !== r.score) problems.push("score differs from the reply's analysis");
      // The product's routing decided (server/replies/understanding/routing.ts): AUTO → an answer held
      // for approval (the seeded tenants' mode), anything else → triage; AUTO only at or over the threshold.
      const expected = r.route === "AUTO" ? "APPROVAL" : "TRIAGE";
      if (r.kind !== expected) problems.push(`route ${r.route} gave ${r.kind}`);
      if (r.kind === "APPROVAL" && r.score! < r.threshold) problems.push(`score ${r.score} approved under the threshold`);
      // Why it is here, as the worker stores it: the rule's code (then, for an answer held for approval,
      // the hold's), and the same in Romanian.
      const why = whyPartsSchema.safeParse(r.analysis.whyParts);
      const codes = why.success ? why.data.map((p) => p.code) : [];
      const expectedCodes = [`rule.${r.rule}`, ...(r.kind === "APPROVAL" ? ["hold.MODE_APPROVAL"] : [])];
      if (JSON.stringify(codes) !== JSON.stringify(expectedCodes)) problems.push(`why ${JSON.stringify(codes)} for rule ${r.rule} (${r.kind})`);
      else if (r.analysis.why !== whyTextRo(why.data!)) problems.push("why text differs from its codes");
      if ((r.status === "RESOLVED") !== (r.resolved_at !== null && r.resolution !== null)) problems.push(`status ${r.status} vs resolution`);
      if (r.status !== "PENDING" && r.assigned_at === null) problems.push(`${r.status} without assignment`);
      if (r.sla_breached !== (r.sla_breached_at !== null)) problems.push("sla_breached vs sla_breached_at");
      if (r.sla_breached && (r.sla_breached_at! < r.sla_due_at || (r.resolved_at !== null && r.resolved_at <= r.sla_due_at))) problems.push("breach without lateness");
      // The breach job runs at the due time: an item still open a minute after it is marked.
      if (!r.sla_breached && r.sla_due_at.getTime() + 60_000 < now.getTime() && (r.resolved_at === null || r.resolved_at > r.sla_due_at)) problems.push("late item not marked breached");
    }
    expect(problems.slice(0, 10)).toEqual([]);
    const flags = await rows(
      `SELECT j.id FROM gold_lead_journey j WHERE j.tenant_id = $1
          AND j.requires_human_review <> EXISTS (SELECT 1 FROM human_review_queue r WHERE r.journey_id = j.id AND r.status <> 'RESOLVED')`,
      [tenantId],
    );
    expect(flags).toEqual([]);
  });

  it("gives every open approval item the answer the reply worker would have drafted for it", async () => {
    const { tenantId } = ctx();
    const items = await rows<{ answer_id: string | null; status: string | null; key: string | null; trigger: string; same_lead: boolean | null; channel: string | null; trigger_channel: string; drafted: string | null; body: string | null }>(
      `SELECT r.answer_id, a.status, a.idempotency_key AS key, r.trigger_message_id AS trigger, a.journey_id = r.journey_id AS same_lead, a.channel, m.channel AS trigger_channel,
              r.drafted_answer AS drafted, a.body
         FROM human_review_queue r JOIN gold_communication_log m ON m.id = r.trigger_message_id LEFT JOIN reply_answers a ON a.id = r.answer_id
        WHERE r.tenant_id = $1 AND r.kind = 'APPROVAL' AND r.status <> 'RESOLVED'`,
      [tenantId],
    );
    // Only these items carry an answer row (resolved ones keep the text they were resolved with).
    const [answers] = await rows<{ n: number }>("SELECT count(*)::int AS n FROM reply_answers WHERE tenant_id = $1", [tenantId]);
    expect(answers!.n).toBe(items.length);
    for (const i of items) {
      expect(i).toMatchObject({ status: "DRAFT", key: `ai:${i.trigger}`, same_lead: true, channel: i.trigger_channel === "WHATSAPP" ? "WHATSAPP" : "EMAIL_WARM", drafted: i.body });
      expect(i.body).toMatch(/^Bună ziua/);
    }
  });

  it("has quota history and phone counters equal to the log", async () => {
    const { tenantId } = ctx();
    const diff = await rows(
      `WITH log AS (
         SELECT phone_id, (sent_at AT TIME ZONE t.timezone)::date AS day,
                count(*) FILTER (WHERE quota_cost = 1)::int AS new_contacts, count(*) FILTER (WHERE quota_cost = 0)::int AS followups,
                min(sent_at) AS first, max(sent_at) AS last
           FROM gold_communication_log m JOIN tenants t ON t.id = m.tenant_id
          WHERE m.tenant_id = $1 AND channel = 'WHATSAPP' AND direction = 'OUTBOUND' AND sent_at IS NOT NULL GROUP BY 1, 2)
       SELECT * FROM log FULL JOIN (SELECT * FROM wa_quota_usage WHERE tenant_id = $1) u ON u.phone_id = log.phone_id AND u.usage_date = log.day
        WHERE u.id IS NULL OR log.phone_id IS NULL OR u.new_contacts_count <> log.new_contacts OR u.followups_count <> log.followups
           OR u.first_message_at <> log.first OR u.last_message_at <> log.last`,
      [tenantId],
    );
    expect(diff).toEqual([]);
    const phones = await rows(
      `SELECT p.id FROM wa_phone_numbers p WHERE p.tenant_id = $1 AND (
         p.messages_sent_total <> (SELECT count(*) FROM gold_communication_log m WHERE m.phone_id = p.id AND m.direction = 'OUTBOUND' AND m.sent_at IS NOT NULL)
         OR p.last_message_sent_at IS DISTINCT FROM (SELECT max(sent_at) FROM gold_communication_log m WHERE m.phone_id = p.id AND m.direction = 'OUTBOUND'))`,
      [tenantId],
    );
    expect(phones).toEqual([]);
  });

  it("stores daily statistics for every past day that equal a recomputation from the log", async () => {
    const { tenantId, now, zone } = ctx();
    const today = localDay(zone, now);
    const from = addDays(today, -HISTORY_DAYS);
    const stored = await rows<Record<string, number> & { day: string }>(
      "SELECT *, to_char(stat_date, 'YYYY-MM-DD') AS day FROM outreach_daily_stats WHERE tenant_id = $1 ORDER BY stat_date",
      [tenantId],
    );
    expect(stored.map((r) => r.day)).toEqual(Array.from({ length: HISTORY_DAYS }, (_, i) => addDays(from, i)));
    const fresh = await computeDailyStats(client, { tenantId, from, to: addDays(today, -1), timeZone: zone });
    for (const s of fresh) {
      const row = stored.find((r) => r.day === s.day)!;
      for (const [field, column] of Object.entries(DAILY_STAT_COLUMNS)) expect({ day: s.day, column, n: row[column] }).toEqual({ day: s.day, column, n: s[field as DailyCountField] });
    }
    // The chart's numbers stay within what the tenant has: no more new contacts than leads contacted.
    const [contacted] = await rows<{ n: number }>("SELECT count(*)::int AS n FROM gold_lead_journey WHERE tenant_id = $1 AND first_contact_at IS NOT NULL", [tenantId]);
    expect(fresh.reduce((sum, s) => sum + s.newContacts, 0)).toBeLessThanOrEqual(contacted!.n);
  });

  it("stores the analytics breakdowns of the same past days, agreeing with the daily totals", async () => {
    const { tenantId } = ctx();
    const total = async (sql: string) => (await rows<{ n: number }>(sql, [tenantId]))[0]!.n;
    const waSent = await total("SELECT COALESCE(sum(wa_sent), 0)::int AS n FROM outreach_daily_stats WHERE tenant_id = $1");
    const sent = await total("SELECT COALESCE(sum(wa_sent + email_cold_sent + email_warm_sent), 0)::int AS n FROM outreach_daily_stats WHERE tenant_id = $1");
    expect(waSent).toBeGreaterThan(0);
    // Every WhatsApp message goes out from a phone; every automated message from a sequence step.
    expect(await total("SELECT COALESCE(sum(sent), 0)::int AS n FROM outreach_daily_phone_stats WHERE tenant_id = $1")).toBe(waSent);
    expect(await total("SELECT COALESCE(sum(sent), 0)::int AS n FROM outreach_daily_step_stats WHERE tenant_id = $1")).toBe(sent);
    for (const table of ["outreach_daily_template_stats", "outreach_daily_rep_stats", "outreach_daily_channel_stats"]) {
      expect({ table, hasRows: (await total(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`)) > 0 }).toEqual({ table, hasRows: true });
    }
  });
});
