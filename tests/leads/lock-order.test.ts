/**
 * The lock order (server/db/lock-order.server.ts) where two paths meet on one lead: a rep's change of
 * the lead (the tRPC use case) and a provider's reply (the normalization path), against a real
 * Postgres and pg-boss.
 *
 * The interleaving is forced, not hoped for: a third transaction holds the lead's enrollment, the reply
 * path is started and left waiting, then the person's path is started and left waiting, then the
 * enrollment is released. Under the old order (reply: message → enrollment → journey; person: journey
 * → enrollment) the reply path holds the message, gets the enrollment first and then waits for the
 * journey the person holds, while the person waits for the enrollment: Postgres reports a deadlock.
 * With the journey first on both paths, one waits for the other and both finish.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMessage } from "../support/factories";
import { adminQuery } from "../support/fixtures";
import { callerFor, createWorld, insertLead, type World } from "../sequences/support";

let world: World;
let boss: PgBoss;
let sequenceId: string;

beforeAll(async () => {
  world = await createWorld("lock");
  const { startBoss } = await import("../../jobs/boss.server");
  const { ensureQueues } = await import("../../jobs/runtime");
  const { aiSentimentQueue } = await import("../../jobs/replies/analyze");
  boss = await startBoss();
  await ensureQueues(boss, [aiSentimentQueue]);
  const manager = await callerFor(world.a.users.MANAGER);
  const tpl = await manager.templates.create({ name: "WA blocare", channel: "WHATSAPP", content: "{Salut|Bună} {{companyName}}", variables: [{ name: "companyName", required: true }] });
  const seq = await manager.sequences.create({
    name: "Secvență blocare",
    steps: [
      { stepNumber: 1, channel: "WHATSAPP", templateId: tpl.id, delayHours: 0, delayMinutes: 0, stopOnReply: true, respectBusinessHours: false },
      { stepNumber: 2, channel: "WHATSAPP", templateId: tpl.id, delayHours: 48, delayMinutes: 0, stopOnReply: true, respectBusinessHours: false },
    ],
  });
  sequenceId = seq.id;
});

afterAll(async () => {
  const { stopBoss } = await import("../../jobs/boss.server");
  await stopBoss();
  await world.close();
});

/** A lead contacted on WhatsApp: an ACTIVE enrollment and one SENT message with a provider id. */
async function contactedLead() {
  const phone = `+40745${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
  const { leadId, journeyId } = await insertLead(world.db.adminUrl, world.a.tenantId, { state: "CONTACTED_WA", previousState: "COLD", phone });
  const rep = await callerFor(world.a.users.SALES_REP);
  const enrolled = await rep.sequences.enroll({ sequenceId, leadId });
  const messageUid = `wamid-${randomUUID()}`;
  await insertMessage(world.db.adminUrl, {
    tenantId: world.a.tenantId, journeyId: journeyId!, leadId, channel: "WHATSAPP", direction: "OUTBOUND", status: "SENT",
    externalMessageId: messageUid, timelinesaiMessageUid: messageUid, idempotencyKey: `${journeyId}:1:WHATSAPP`, sentAt: new Date(Date.now() - 3_600_000), sequenceStep: 1,
  });
  return { leadId, journeyId: journeyId!, phone, messageUid, enrollmentId: enrolled.leads[0]!.enrollmentId! };
}

async function replyByWebhook(lead: { phone: string; messageUid: string }) {
  const { withTenant } = await import("../../server/db/client.server");
  const { applyEvent } = await import("../../server/events/apply.server");
  const { pgBossTransactionalQueue } = await import("../../jobs/transactional-queue");
  return withTenant(world.a.tenantId, (tx) =>
    applyEvent(tx, { tenantId: world.a.tenantId, queue: pgBossTransactionalQueue(boss) }, {
      type: "REPLIED",
      provider: "TIMELINESAI",
      channel: "WHATSAPP",
      occurredAt: new Date(),
      raw: { source: "webhook", webhookEventId: randomUUID() },
      lead: { phone: lead.phone },
      inReplyTo: { externalId: lead.messageUid },
      reply: { externalId: `wamid-in-${randomUUID()}`, text: "Da, trimiteți oferta vă rog", automatic: false },
    }),
  );
}

/** Holds the enrollment row in its own transaction until released. */
async function holdEnrollment(enrollmentId: string) {
  const client = new pg.Client({ connectionString: world.db.adminUrl });
  await client.connect();
  await client.query("BEGIN");
  await client.query("SELECT 1 FROM sequence_enrollments WHERE id = $1 FOR UPDATE", [enrollmentId]);
  const pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
  return {
    pid,
    release: async () => {
      await client.query("COMMIT");
      await client.end();
    },
  };
}

/** Waits until `count` sessions wait for a lock, directly or behind another waiter. */
async function untilLockWaiters(count: number) {
  for (let i = 0; i < 2000; i++) {
    const [row] = await adminQuery<{ n: number }>(world.db.adminUrl, "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
    if ((row?.n ?? 0) >= count) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never saw ${count} sessions waiting for a lock`);
}

describe("one lock order for journey, enrollment and message rows", () => {
  it("a reply logged by hand and the same lead's WhatsApp reply, forced to meet on the enrollment: both finish, no deadlock", async () => {
    // (With the old order this interleaving is a deadlock every time.)
    const lead = await contactedLead();
    const rep = await callerFor(world.a.users.SALES_REP);
    const hold = await holdEnrollment(lead.enrollmentId);
    const webhook = replyByWebhook(lead).then((r) => ({ ok: true as const, r }), (e: unknown) => ({ ok: false as const, e }));
    await untilLockWaiters(1);
    const person = rep.leads
      .transition({ leadId: lead.leadId, to: "WARM_REPLY", reason: "A sunat înapoi" })
      .then((r) => ({ ok: true as const, r }), (e: unknown) => ({ ok: false as const, e }));
    await untilLockWaiters(2);
    await hold.release();
    const [w, p] = await Promise.all([webhook, person]);

    expect(w.ok ? null : String((w as { e: unknown }).e)).toBeNull();
    expect(p.ok ? null : String((p as { e: unknown }).e)).toBeNull();
    // The reply path took the journey first, so it moved the lead; the person's move then found the
    // lead already WARM_REPLY: a no-op, nothing recorded twice.
    expect(w.ok && w.r).toMatchObject({ outcome: "applied" });
    expect(p.ok && p.r).toMatchObject({ changed: false, from: "WARM_REPLY", to: "WARM_REPLY" });
    const [journey] = await adminQuery<{ current_state: string; reply_count: number }>(world.db.adminUrl, "SELECT current_state, reply_count FROM gold_lead_journey WHERE id = $1", [lead.journeyId]);
    expect(journey).toEqual({ current_state: "WARM_REPLY", reply_count: 1 });
    const moves = await adminQuery(world.db.adminUrl, "SELECT 1 FROM lead_state_history WHERE journey_id = $1 AND to_state = 'WARM_REPLY'", [lead.journeyId]);
    expect(moves).toHaveLength(1);
    const [enrollment] = await adminQuery<{ status: string }>(world.db.adminUrl, "SELECT status FROM sequence_enrollments WHERE id = $1", [lead.enrollmentId]);
    expect(enrollment?.status).toBe("STOPPED");
    const inbound = await adminQuery<{ channel: string }>(world.db.adminUrl, "SELECT channel FROM gold_communication_log WHERE journey_id = $1 AND direction = 'INBOUND' ORDER BY channel", [lead.journeyId]);
    expect(inbound.map((r) => r.channel)).toEqual(["WHATSAPP"]);
  });

  it("a person pausing, a reply and an open report on one lead, many times at once: every transaction finishes", async () => {
    const rep = await callerFor(world.a.users.SALES_REP);
    const { withTenant } = await import("../../server/db/client.server");
    const { applyEvent } = await import("../../server/events/apply.server");
    const { pgBossTransactionalQueue } = await import("../../jobs/transactional-queue");
    const leads = await Promise.all(Array.from({ length: 12 }, () => contactedLead()));
    const outcomes = await Promise.allSettled(
      leads.flatMap((lead) => [
        rep.leads.transition({ leadId: lead.leadId, to: "PAUSED", reason: "Concediu" }),
        replyByWebhook(lead),
        withTenant(world.a.tenantId, (tx) =>
          applyEvent(tx, { tenantId: world.a.tenantId, queue: pgBossTransactionalQueue(boss) }, {
            type: "OPENED",
            provider: "TIMELINESAI",
            channel: "WHATSAPP",
            occurredAt: new Date(),
            raw: { source: "status-sync", messageUid: lead.messageUid },
            lead: { phone: lead.phone },
            message: { externalId: lead.messageUid },
          }),
        ),
      ]),
    );
    // A person's pause may lose to the reply (a replied lead can still be paused; the reply of a paused
    // lead leaves it paused): either order is fine. What may never happen is a deadlock or a timeout.
    const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected").map((o) => String(o.reason));
    expect(failures).toEqual([]);
    for (const lead of leads) {
      const [j] = await adminQuery<{ current_state: string; reply_count: number; open_count: number }>(world.db.adminUrl, "SELECT current_state, reply_count, open_count FROM gold_lead_journey WHERE id = $1", [lead.journeyId]);
      expect(j?.reply_count).toBe(1);
      expect(j?.open_count).toBe(1);
      expect(["PAUSED", "WARM_REPLY"]).toContain(j?.current_state);
    }
  });
});
