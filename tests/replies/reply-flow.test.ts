/**
 * End to end in sandbox (issue 15): a lead's WhatsApp reply arrives through the TimelinesAI simulator
 * and its webhook, normalization makes the lead WARM_REPLY and stops its sequence, the reply worker
 * understands it, and either the answer goes out through the per-phone follow-up path (the wa.send
 * queue on the lead's sticky phone, no quota unit) or a review item opens with the right priority,
 * reason and due time. Everything real: Postgres, pg-boss, Redis, the simulators over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eventually, startReplyWorld, type ReplyLead, type ReplyWorld } from "./support";

// Real workers and simulators on a shared 2-core machine: generous limits, no timing asserted.
vi.setConfig({ testTimeout: 180_000 });

let w: ReplyWorld;

beforeAll(async () => {
  w = await startReplyWorld("reply_flow");
  await w.startReplyWorkers();
}, 120_000);

afterAll(async () => {
  await w?.close();
});

const analysed = (lead: ReplyLead) => () =>
  w.rows<{ id: string; intent: string; sentiment_score: number; analysis: Record<string, unknown> }>(
    `SELECT id, intent, sentiment_score, analysis FROM gold_communication_log WHERE journey_id = $1 AND direction = 'INBOUND' AND analysis IS NOT NULL`,
    [lead.journeyId],
  ).then((r) => r[0]);

describe("a WhatsApp reply, from the simulator to the answer", () => {
  it("positive: WARM_REPLY, the sequence stopped, the analysis stored, the answer sent once on the sticky phone as a follow-up", async () => {
    const lead = await w.lead();
    await w.leadWrites(lead, "Da, suntem interesați. Când putem discuta la telefon?");

    const reply = await eventually(analysed(lead), "the reply to be analysed");
    expect(reply.intent).toBe("INTERESTED");
    expect(reply.sentiment_score).toBeGreaterThanOrEqual(50);
    expect(reply.analysis).toMatchObject({ engine: "builtin", route: "AUTO", plan: { sendAutomatically: true } });

    const journey = await w.one<{ current_state: string; sentiment_score: number; last_intent: string; requires_human_review: boolean }>(
      `SELECT current_state, sentiment_score, last_intent, requires_human_review FROM gold_lead_journey WHERE id = $1`,
      [lead.journeyId],
    );
    expect(journey).toEqual({ current_state: "WARM_REPLY", sentiment_score: reply.sentiment_score, last_intent: "INTERESTED", requires_human_review: false });
    expect((await w.one<{ status: string }>(`SELECT status FROM sequence_enrollments WHERE id = $1`, [lead.enrollmentId])).status).toBe("STOPPED");

    const answer = await eventually(
      () => w.rows<{ id: string; status: string; mode: string; channel: string; phone_id: string; body: string; sent_message_id: string }>(`SELECT * FROM reply_answers WHERE journey_id = $1 AND status = 'SENT'`, [lead.journeyId]).then((r) => r[0]),
      "the answer to be sent",
    );
    expect(answer).toMatchObject({ mode: "AUTO", channel: "WHATSAPP", phone_id: w.tenant.phoneId });
    expect(answer.body).toContain("Vă mulțumim");
    const log = await w.one<{ status: string; quota_cost: number; phone_id: string; idempotency_key: string; external_message_id: string }>(
      `SELECT status, quota_cost, phone_id, idempotency_key, external_message_id FROM gold_communication_log WHERE id = $1`,
      [answer.sent_message_id],
    );
    expect(log).toMatchObject({ status: "SENT", quota_cost: 0, phone_id: w.tenant.phoneId, idempotency_key: `answer:${answer.id}` });
    // The wa.send job that carried it: the phone's key, a follow-up.
    const jobs = await w.rows<{ singleton_key: string; data: { followUp: boolean; kind: string } }>(`SELECT singleton_key, data FROM pgboss.job WHERE name = $2 AND data->>'answerId' = $1`, [answer.id, `wa.send.${w.tenant.tenantId}`]);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ singleton_key: w.tenant.phoneId, data: { followUp: true, kind: "answer" } });
    // TimelinesAI has exactly one message from our account to the lead with that text.
    const sent = await w.control<Array<{ id: string; direction: string; text?: string; to: string; from: string }>>("GET", "/messages?provider=timelinesai&direction=outbound");
    const ours = sent.filter((m) => m.text === answer.body);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ id: log.external_message_id, to: expect.stringContaining(lead.phone.slice(1)), from: expect.stringContaining(w.tenant.ourPhone.slice(1)) });
    // No person needed.
    expect(await w.rows(`SELECT id FROM human_review_queue WHERE journey_id = $1`, [lead.journeyId])).toHaveLength(0);
  });

  it("a price question: a HIGH review item (KEYWORD_TRIGGER) due 4 h after it opened, with a draft; nothing sent", async () => {
    const lead = await w.lead();
    await w.leadWrites(lead, "Cât costă sămânța de porumb la hectar? Trimiteți-mi prețul.");
    await eventually(analysed(lead), "the reply to be analysed");
    const item = await w.one<{ priority: string; reason: string; kind: string; status: string; created_at: Date; sla_due_at: Date; answer_id: string; drafted_answer: string }>(
      `SELECT priority, reason, kind, status, created_at, sla_due_at, answer_id, drafted_answer FROM human_review_queue WHERE journey_id = $1`,
      [lead.journeyId],
    );
    expect(item).toMatchObject({ priority: "HIGH", reason: "KEYWORD_TRIGGER", kind: "TRIAGE", status: "PENDING" });
    expect(item.sla_due_at.getTime() - item.created_at.getTime()).toBe(240 * 60_000);
    expect(item.drafted_answer).toContain("ofertă de preț");
    expect((await w.one<{ status: string }>(`SELECT status FROM reply_answers WHERE id = $1`, [item.answer_id])).status).toBe("DRAFT");
    expect((await w.one<{ requires_human_review: boolean; human_review_priority: string }>(`SELECT requires_human_review, human_review_priority FROM gold_lead_journey WHERE id = $1`, [lead.journeyId]))).toEqual({
      requires_human_review: true,
      human_review_priority: "HIGH",
    });
    // Its SLA timers are queued: almost due at 75 %, the breach at the due time.
    const timers = await w.rows<{ check: string; start_after: Date }>(`SELECT data->>'check' AS check, start_after FROM pgboss.job WHERE name = 'human.review.sla' AND data->>'reviewId' = (SELECT id::text FROM human_review_queue WHERE journey_id = $1) ORDER BY 1`, [lead.journeyId]);
    expect(timers.map((t) => t.check)).toEqual(["BREACH", "DUE_SOON"]);
    expect(timers[0]!.start_after.getTime()).toBe(item.sla_due_at.getTime());
    expect(timers[1]!.start_after.getTime()).toBe(item.created_at.getTime() + 180 * 60_000);
  });

  it("a refusal: an URGENT review item (NEGATIVE_SENTIMENT) due in 1 h", async () => {
    const lead = await w.lead();
    await w.leadWrites(lead, "Nu suntem interesați, mulțumim. Lucrăm deja cu alt furnizor.");
    await eventually(analysed(lead), "the reply to be analysed");
    const item = await w.one<{ priority: string; reason: string; created_at: Date; sla_due_at: Date }>(`SELECT priority, reason, created_at, sla_due_at FROM human_review_queue WHERE journey_id = $1`, [lead.journeyId]);
    expect(item).toMatchObject({ priority: "URGENT", reason: "NEGATIVE_SENTIMENT" });
    expect(item.sla_due_at.getTime() - item.created_at.getTime()).toBe(60 * 60_000);
    // NOT_INTERESTED is never answered automatically.
    expect(await w.rows(`SELECT id FROM reply_answers WHERE journey_id = $1 AND status <> 'DRAFT'`, [lead.journeyId])).toHaveLength(0);
  });
});
