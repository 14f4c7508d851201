import { randomUUID } from "node:crypto";
import { Webhook } from "svix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { parseEnv } from "../../server/config/env.server";
import { createProviderClients, webhookSecrets } from "../../server/providers/factory.server";
import { SANDBOX_CREDENTIALS } from "../../server/providers/sandbox";
import { connectTestRedis, startReceiver, startTestSimulators, waitFor } from "./support";

let sims: Awaited<ReturnType<typeof startTestSimulators>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let redis: Redis;

beforeAll(async () => {
  redis = await connectTestRedis();
  receiver = await startReceiver();
  sims = await startTestSimulators({ webhooks: { resend: [{ url: `${receiver.origin}/webhooks/resend` }] } });
});
afterAll(async () => {
  await sims?.close();
  await receiver?.close();
  redis?.disconnect();
});

const baseEnv = {
  DATABASE_URL: "postgres://u:p@127.0.0.1:1/db",
  REDIS_URL: "redis://127.0.0.1:1",
  SESSION_SECRET: "x".repeat(32),
};

describe("sandbox wiring", () => {
  it("with no provider keys, the factory points every client at the simulators", async () => {
    const env = parseEnv({ ...baseEnv, SIMULATOR_PORT: String(sims.port) });
    expect(env.sandbox).toBe(true);
    const clients = createProviderClients({ redis, env, pacingKeyPrefix: `test:${randomUUID()}` });
    expect(clients.modes).toEqual({ timelinesai: "simulator", instantly: "simulator", resend: "simulator", llm: "simulator" });
    expect(await clients.timelinesai.listWhatsAppAccounts()).toHaveLength(20);
    expect(await clients.instantly.listWebhooks()).toEqual([]);
    expect((await clients.resend.send({ to: "a@b.ro", subject: "s", text: "t" }, { idempotencyKey: "factory-1" })).id).toBeTruthy();
    expect(webhookSecrets(env)).toEqual({ resend: SANDBOX_CREDENTIALS.resendWebhookSecret, instantly: SANDBOX_CREDENTIALS.instantlyWebhookSecret });
  });

  it("a configured key switches that provider to live", () => {
    const env = parseEnv({ ...baseEnv, RESEND_API_KEY: "re_live", RESEND_WEBHOOK_SECRET: "whsec_bGl2ZQ==" });
    expect(createProviderClients({ redis, env, pacingKeyPrefix: `test:${randomUUID()}` }).modes).toMatchObject({ resend: "live", timelinesai: "simulator" });
    expect(webhookSecrets(env).resend).toBe("whsec_bGl2ZQ==");
  });
});

describe("scenario control and determinism", () => {
  const sendTen = async () => {
    const clients = createProviderClients({ redis, env: parseEnv({ ...baseEnv, SIMULATOR_PORT: String(sims.port) }), pacingKeyPrefix: `test:${randomUUID()}` });
    for (let i = 0; i < 10; i++) {
      await clients.timelinesai.sendToPhone({ phone: `+4072200${String(1000 + i)}`, text: `Bună ziua ${i}`, accountPhone: `+40740000${String(101 + (i % 3))}` });
    }
    await sims.control.advance(2 * 86_400_000);
    return (await sims.control.messages({ provider: "timelinesai", direction: "inbound" })).map((m) => [m.from, m.text]);
  };
  const scenario = { replies: { probability: 0.6 } };

  it("same seed → same replies; another seed → others", async () => {
    await sims.control.reset({ seed: 7, scenario });
    const first = await sendTen();
    await sims.control.reset({ seed: 7, scenario });
    const second = await sendTen();
    await sims.control.reset({ seed: 8, scenario });
    const other = await sendTen();
    expect(first.length).toBeGreaterThan(0);
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it("a probabilistic fault is seeded too", async () => {
    const pattern = async () => {
      await sims.control.reset({ seed: 21, scenario: { faults: [{ provider: "llm", kind: "status", status: 500, probability: 0.5 }] } });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`${sims.urls.llm}/models`, { headers: { authorization: `Bearer ${SANDBOX_CREDENTIALS.llmApiKey}` } });
        statuses.push(res.status);
      }
      return statuses;
    };
    const a = await pattern();
    expect(a).toContain(500);
    expect(a).toContain(200);
    expect(await pattern()).toEqual(a);
  });

  it("replays a webhook delivery as-is (same svix-id, same body), as a receiver must tolerate", async () => {
    await sims.control.reset({ seed: 1 });
    receiver.received.length = 0;
    await fetch(`${sims.urls.resend}/emails`, {
      method: "POST",
      headers: { authorization: `Bearer ${SANDBOX_CREDENTIALS.resendApiKey}`, "user-agent": "test", "content-type": "application/json" },
      body: JSON.stringify({ from: "a@cerniq.ro", to: "b@c.ro", subject: "s", text: "t" }),
    });
    await waitFor(() => receiver.received.length === 1, "email.sent");
    const [delivery] = await sims.control.deliveries("resend");
    await sims.control.replay(delivery!.id);
    await waitFor(() => receiver.received.length === 2, "replayed email.sent");
    const [a, b] = receiver.received;
    expect(b!.headers["svix-id"]).toBe(a!.headers["svix-id"]);
    expect(b!.raw).toBe(a!.raw);
    expect(() => new Webhook(SANDBOX_CREDENTIALS.resendWebhookSecret).verify(b!.raw, b!.headers as Record<string, string>)).not.toThrow();
  });

  it("exposes state, and answers unknown paths in the provider's envelope", async () => {
    const state = await sims.control.state();
    expect(state).toMatchObject({ seed: 1, clock: "manual" });
    const res = await fetch(`${sims.urls.timelinesai}/nope`, { headers: { authorization: `Bearer ${SANDBOX_CREDENTIALS.timelinesaiToken}` } });
    expect([res.status, await res.json()]).toEqual([404, { status: "error", message: "Not found" }]);
  });
});
