/**
 * The WhatsApp status sync's cadence against pg-boss' cron ticks (server/events/status-sync.server.ts).
 * A minute's tick starts anywhere in that minute's first half, so a message polled late in one tick
 * must still be due at the start of the next: it is polled once per tick, never skipped, never twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgBossTransactionalQueue } from "../../jobs/transactional-queue";
import { syncWhatsAppStatuses, type StatusHistorySource } from "../../server/events/status-sync.server";
import { createLeadFixture, one, startWebhookTestEnv, type WebhookTestEnv } from "./support";

let env: WebhookTestEnv;

beforeAll(async () => {
  env = await startWebhookTestEnv("wh_sync");
});

afterAll(async () => {
  await env?.close();
});

describe("status sync cadence", () => {
  it("polls a fresh message at every minute's tick, however late in its minute the previous tick started", async () => {
    const f = await createLeadFixture(env.admin); // its WhatsApp message was sent five minutes ago
    const polled: string[] = [];
    const source: StatusHistorySource = {
      async statusHistory(uid) {
        polled.push(uid);
        return [{ status: "Sent", at: new Date(Date.now() - 300_000) }];
      },
    };
    const sync = (at: Date) => syncWhatsAppStatuses({ source, queue: pgBossTransactionalQueue(env.boss), now: () => at }, f.tenantId);
    const minute = Math.ceil(Date.now() / 60_000) * 60_000;

    // Minute M's tick started 29 s into its minute; minute M+1's started at once.
    expect((await sync(new Date(minute + 29_000))).polled).toBe(1);
    const next = await one<{ next_at: string }>(env.admin, `SELECT metadata #>> '{statusSync,nextAt}' AS next_at FROM gold_communication_log WHERE id = $1`, [f.whatsapp.logId]);
    expect(new Date(next.next_at).toISOString()).toBe(new Date(minute + 60_000).toISOString());
    expect((await sync(new Date(minute + 61_000))).polled).toBe(1);
    // A second run within the same minute (a tick that was late) does not poll it again.
    expect((await sync(new Date(minute + 89_000))).polled).toBe(0);
    expect((await sync(new Date(minute + 120_500))).polled).toBe(1);
    expect(polled).toEqual([f.whatsapp.uid, f.whatsapp.uid, f.whatsapp.uid]);
  });
});
