/**
 * What farmers write, acted on (issue 15), through the real reply path (simulator → webhook →
 * normalization → reply worker), the worker's clock fixed so dates are the same every run:
 * LATER with a date resumes the sequence then; an out-of-office postpones it without a person; a
 * WRONG_PERSON reply becomes a one-click contact suggestion; an opt-out on WhatsApp stops email too,
 * including an email already queued; a complaint is URGENT; the daily cap and a person holding the lead
 * keep answers for approval; a doubled job acts once.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eventually, startReplyWorld, type ReplyLead, type ReplyWorld } from "./support";

// Real workers and simulators on a shared 2-core machine: generous limits, no timing asserted.
vi.setConfig({ testTimeout: 180_000 });

let w: ReplyWorld;
/** Tuesday 10 November 2026, 10:00 in Bucharest. */
const NOW = new Date("2026-11-10T08:00:00Z");

beforeAll(async () => {
  w = await startReplyWorld("reply_acting");
  const { configureReplyDeps } = await import("../../jobs/replies/deps");
  configureReplyDeps({ clock: () => NOW });
  await w.startReplyWorkers();
}, 120_000);

afterAll(async () => {
  await w?.close();
});

const analysedReply = (lead: ReplyLead) =>
  eventually(
    () => w.rows<{ id: string; intent: string }>(`SELECT id, intent FROM gold_communication_log WHERE journey_id = $1 AND direction = 'INBOUND' AND analysis IS NOT NULL ORDER BY created_at DESC`, [lead.journeyId]).then((r) => r[0]),
    "the reply to be analysed",
  );

async function caller(user: ReplyWorld["tenant"]["users"]["rep"]) {
  const { appRouter } = await import("../../server/trpc/router.server");
  const { createCallerFactory } = await import("../../server/trpc/init.server");
  return createCallerFactory(appRouter)({ user, requestId: "test", ip: null, boss: w.boss, clock: () => NOW });
}

describe("acted on", () => {
  it("LATER naming a month: back in the sequence, its next step on 1 February, the lead page's next action says why; a person checks", async () => {
    const lead = await w.lead();
    await w.leadWrites(lead, "Reveniți în februarie, acum suntem ocupați cu inventarul.");
    expect((await analysedReply(lead)).intent).toBe("LATER");
    const j = await w.one<{ current_state: string; next_action_at: Date; next_action_reason: string; requires_human_review: boolean }>(
      `SELECT current_state, next_action_at, next_action_reason, requires_human_review FROM gold_lead_journey WHERE id = $1`,
      [lead.journeyId],
    );
    // 1 February 2027, 00:00 in Bucharest (the test tenant's window is always open).
    expect(j).toMatchObject({ current_state: "CONTACTED_WA", next_action_at: new Date("2027-01-31T22:00:00Z"), requires_human_review: true });
    expect(j.next_action_reason).toContain("1 februarie 2027");
    const e = await w.one<{ status: string; next_step_at: Date; current_step: number }>(`SELECT status, next_step_at, current_step FROM sequence_enrollments WHERE id = $1`, [lead.enrollmentId]);
    expect(e).toEqual({ status: "ACTIVE", next_step_at: new Date("2027-01-31T22:00:00Z"), current_step: 1 });
    const history = await w.rows<{ from_state: string; to_state: string; reason: string }>(`SELECT from_state, to_state, reason FROM lead_state_history WHERE journey_id = $1 ORDER BY created_at`, [lead.journeyId]);
    // (The reply's row carries the provider's time, the move back the worker's fixed clock: compared as a set.)
    expect(history.map((h) => `${h.from_state}→${h.to_state}`).sort()).toEqual(["CONTACTED_WA→WARM_REPLY", "WARM_REPLY→CONTACTED_WA"]);
    expect(history.find((h) => h.to_state === "CONTACTED_WA")!.reason).toContain("februarie");
    expect((await w.one<{ priority: string }>(`SELECT priority FROM human_review_queue WHERE journey_id = $1`, [lead.journeyId])).priority).toBe("MEDIUM");
  });

  it("an out-of-office naming its return: the next step after the return date, no review, no answer", async () => {
    const lead = await w.lead();
    await w.leadWrites(lead, "Bună ziua, sunt în concediu până pe 15 ianuarie, cu acces limitat la telefon.");
    expect((await analysedReply(lead)).intent).toBe("AUTO_REPLY");
    const j = await w.one<{ current_state: string; next_action_at: Date }>(`SELECT current_state, next_action_at FROM gold_lead_journey WHERE id = $1`, [lead.journeyId]);
    expect(j).toEqual({ current_state: "CONTACTED_WA", next_action_at: new Date("2027-01-15T22:00:00Z") });
    expect(await w.rows(`SELECT id FROM human_review_queue WHERE journey_id = $1`, [lead.journeyId])).toHaveLength(0);
    expect(await w.rows(`SELECT id FROM reply_answers WHERE journey_id = $1`, [lead.journeyId])).toHaveLength(0);
  });

  it("WRONG_PERSON naming someone: a suggestion the rep accepts with one click; the old number is not messaged again", async () => {
    const lead = await w.lead();
    await w.leadWrites(lead, "Nu eu mă ocup de asta, vorbiți cu fiul meu, Andrei, la 0722 123 456.");
    expect((await analysedReply(lead)).intent).toBe("WRONG_PERSON");
    const s = await w.one<{ id: string; name: string; role: string; phone: string; status: string }>(`SELECT id, name, role, phone, status FROM contact_suggestions WHERE journey_id = $1`, [lead.journeyId]);
    expect(s).toMatchObject({ name: "Andrei", role: "fiul", phone: "+40722123456", status: "PENDING" });
    const rep = await caller(w.tenant.users.rep);
    const detail = await rep.reviews.get({ reviewId: (await w.one<{ id: string }>(`SELECT id FROM human_review_queue WHERE journey_id = $1`, [lead.journeyId])).id });
    expect(detail.suggestions.map((x) => x.id)).toEqual([s.id]);

    expect(await rep.reviews.acceptSuggestion({ suggestionId: s.id })).toEqual({ leadId: lead.leadId, replaced: ["name", "role", "phone"] });
    const company = await w.one<{ telefon_principal: string; contact_principal_nume: string }>(`SELECT telefon_principal, contact_principal_nume FROM gold_companies WHERE id = $1`, [lead.leadId]);
    expect(company).toEqual({ telefon_principal: "+40722123456", contact_principal_nume: "Andrei" });
    expect(await w.rows(`SELECT 1 FROM do_not_contact WHERE tenant_id = $1 AND type = 'PHONE' AND value = $2`, [w.tenant.tenantId, lead.phone])).toHaveLength(1);
    // Decided once: a second click is refused.
    await expect(rep.reviews.acceptSuggestion({ suggestionId: s.id })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await w.rows(`SELECT 1 FROM audit_log WHERE action = 'lead.contact_suggestion.accept' AND entity_id = $1`, [s.id])).toHaveLength(1);
  });

  it("an opt-out on WhatsApp stops email too, including an email already queued: the workers run, nothing goes out", async () => {
    const lead = await w.lead();
    // An email already queued for this lead: an answer on the warm-email queue (its worker not running yet).
    const { withTenant } = await import("../../server/db/client.server");
    const { createAnswer, releaseAnswer } = await import("../../server/replies/answers/answers.server");
    const { pgBossTransactionalQueue } = await import("../../jobs/transactional-queue");
    const queued = await withTenant(w.tenant.tenantId, async (tx) => {
      const { id } = await createAnswer(tx, { tenantId: w.tenant.tenantId, journeyId: lead.journeyId, leadId: lead.leadId, inboundMessageId: null, idempotencyKey: `person:${randomUUID()}`, route: { ok: true, channel: "EMAIL_WARM" }, subject: "Oferta", body: "Bună ziua, vă trimitem oferta cerută.", source: "PERSON", intent: null, createdBy: w.tenant.users.rep.id, now: NOW });
      await releaseAnswer(tx, pgBossTransactionalQueue(w.boss), { tenantId: w.tenant.tenantId, answerId: id, mode: "MANUAL", actor: { type: "USER", userId: w.tenant.users.rep.id, role: "SALES_REP", ip: null }, now: NOW });
      return id;
    });
    expect(await w.rows(`SELECT id FROM pgboss.job WHERE name = 'q.email.warm' AND data->>'answerId' = $1 AND state = 'created'`, [queued])).toHaveLength(1);

    await w.leadWrites(lead, "STOP. Nu mai trimiteți mesaje pe acest număr.");
    expect((await analysedReply(lead)).intent).toBe("UNSUBSCRIBE");
    expect(await w.one(`SELECT whatsapp_opted_out, email_opted_out, next_action_at FROM gold_lead_journey WHERE id = $1`, [lead.journeyId])).toEqual({ whatsapp_opted_out: true, email_opted_out: true, next_action_at: null });
    const dnc = await w.rows<{ type: string; value: string; source: string }>(`SELECT type, value, source FROM do_not_contact WHERE tenant_id = $1 AND value IN ($2, $3) ORDER BY type`, [w.tenant.tenantId, lead.phone, lead.email]);
    expect(dnc).toEqual([{ type: "PHONE", value: lead.phone, source: "reply:opt_out" }, { type: "EMAIL", value: lead.email, source: "reply:opt_out" }]);
    expect((await w.one<{ priority: string }>(`SELECT priority FROM human_review_queue WHERE journey_id = $1`, [lead.journeyId])).priority).toBe("LOW");

    // Now the email worker runs: the queued answer stands down.
    const { emailWarmJob } = await import("../../jobs/pipeline/email-send");
    await w.startWorkers([emailWarmJob] as never[]);
    await eventually(() => w.rows(`SELECT id FROM pgboss.job WHERE name = 'q.email.warm' AND data->>'answerId' = $1 AND state = 'completed'`, [queued]).then((r) => r.length === 1), "the queued email job to run");
    expect((await w.one<{ status: string; error_code: string }>(`SELECT status, error_code FROM reply_answers WHERE id = $1`, [queued]))).toEqual({ status: "CANCELLED", error_code: "OPTED_OUT" });
    expect(await w.control<unknown[]>("GET", "/messages?provider=resend")).toHaveLength(0);
    expect(await w.rows(`SELECT id FROM gold_communication_log WHERE journey_id = $1 AND channel = 'EMAIL_WARM'`, [lead.journeyId])).toHaveLength(0);
  });

  it("a complaint: URGENT (reason COMPLAINT), stopped everywhere, never answered", async () => {
    const lead = await w.lead();
    await w.leadWrites(lead, "Vă reclam la ANPC pentru spam! Nu v-am dat niciodată numărul.");
    expect((await analysedReply(lead)).intent).toBe("COMPLAINT");
    expect(await w.one(`SELECT priority, reason FROM human_review_queue WHERE journey_id = $1`, [lead.journeyId])).toEqual({ priority: "URGENT", reason: "COMPLAINT" });
    expect(await w.one(`SELECT whatsapp_opted_out, email_opted_out FROM gold_lead_journey WHERE id = $1`, [lead.journeyId])).toEqual({ whatsapp_opted_out: true, email_opted_out: true });
    expect(await w.rows(`SELECT id FROM reply_answers WHERE journey_id = $1`, [lead.journeyId])).toHaveLength(0);
    // An URGENT item is also posted to the tenant's Slack webhook (none configured here: the job posts nothing).
    expect(await w.rows(`SELECT id FROM pgboss.job WHERE name = 'notify.slack' AND data->>'event' = 'review.urgent' AND data->>'tenantId' = $1`, [w.tenant.tenantId])).not.toHaveLength(0);
  });

  it("past the daily cap, a positive reply waits for approval (HIGH, says why)", async () => {
    await w.admin.query(`UPDATE tenants SET auto_answer_daily_cap = 1 WHERE id = $1`, [w.tenant.tenantId]);
    try {
      const lead = await w.lead();
      await w.leadWrites(lead, "Da, suntem interesați. Când putem discuta la telefon?");
      await eventually(() => w.rows(`SELECT id FROM reply_answers WHERE journey_id = $1 AND mode = 'AUTO'`, [lead.journeyId]).then((r) => r.length === 1), "the first answer");
      await w.leadWrites(lead, "Mă interesează, trimiteți-mi detalii pe email vă rog.");
      const item = await eventually(() => w.rows<{ kind: string; priority: string; ai_analysis: { why: string; whyParts: { code: string }[] } }>(`SELECT kind, priority, ai_analysis FROM human_review_queue WHERE journey_id = $1`, [lead.journeyId]).then((r) => r[0]), "the held answer");
      expect(item).toMatchObject({ kind: "APPROVAL", priority: "HIGH" });
      expect(item.ai_analysis.why).toContain("Limita zilnică");
      // The same reason as codes, for the reader's language: the route's, then why the answer is held.
      expect(item.ai_analysis.whyParts.map((p) => p.code)).toEqual(["rule.positive", "hold.DAILY_CAP"]);
      expect(await w.rows(`SELECT id FROM reply_answers WHERE journey_id = $1 AND mode = 'AUTO'`, [lead.journeyId])).toHaveLength(1);
    } finally {
      await w.admin.query(`UPDATE tenants SET auto_answer_daily_cap = 2 WHERE id = $1`, [w.tenant.tenantId]);
    }
  });

  it("while a person holds the lead nothing is answered automatically: the draft waits for them, on their list", async () => {
    const lead = await w.lead({ humanControlled: { by: w.tenant.users.rep2.id } });
    await w.leadWrites(lead, "Da, suntem interesați. Când putem discuta la telefon?");
    const item = await eventually(() => w.rows<{ kind: string; status: string; assigned_to_user: string }>(`SELECT kind, status, assigned_to_user FROM human_review_queue WHERE journey_id = $1`, [lead.journeyId]).then((r) => r[0]), "the held answer");
    expect(item).toEqual({ kind: "APPROVAL", status: "ASSIGNED", assigned_to_user: w.tenant.users.rep2.id });
    expect(await w.rows(`SELECT status FROM reply_answers WHERE journey_id = $1`, [lead.journeyId])).toEqual([{ status: "DRAFT" }]);
    const bell = await (await caller(w.tenant.users.rep2)).notifications.list({ limit: 10 });
    expect(bell.items.some((n) => n.kind === "review.assigned" && n.link?.includes("/outreach/review?item="))).toBe(true);
  });

  it("the same reply analysed by three racing jobs acts once: one item, one answer", async () => {
    const lead = await w.lead();
    const messageId = randomUUID();
    await w.admin.query(
      `INSERT INTO gold_communication_log (id, tenant_id, journey_id, lead_id, channel, direction, status, idempotency_key, content_preview, phone_id, created_at)
       VALUES ($1, $2, $3, $4, 'WHATSAPP', 'INBOUND', 'REPLIED', $5, 'Cât costă îngrășământul? Vreau o ofertă de preț.', $6, now())`,
      [messageId, w.tenant.tenantId, lead.journeyId, lead.leadId, `test:in:${messageId}`, w.tenant.phoneId],
    );
    const { understandAndRoute } = await import("../../server/replies/handle-reply.server");
    const { replyDeps } = await import("../../jobs/replies/deps");
    const results = await Promise.all([1, 2, 3].map(() => understandAndRoute(replyDeps(w.boss), { tenantId: w.tenant.tenantId, messageId })));
    expect(results.map((r) => r.outcome).sort()).toEqual(["already_analysed", "already_analysed", "handled"]);
    expect(await w.rows(`SELECT id FROM human_review_queue WHERE trigger_message_id = $1`, [messageId])).toHaveLength(1);
    expect(await w.rows(`SELECT id FROM reply_answers WHERE inbound_message_id = $1`, [messageId])).toHaveLength(1);
  });
});
