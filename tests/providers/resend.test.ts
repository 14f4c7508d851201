import { Webhook } from "svix";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderAuthError, ProviderRateLimitedError, ProviderRequestError } from "../../server/providers/errors";
import { ResendClient } from "../../server/providers/resend/client.server";
import { resendEmailEventSchema } from "../../server/providers/resend/webhooks";
import { SANDBOX_CREDENTIALS } from "../../server/providers/sandbox";
import type { Timekeeper } from "../../server/clock";
import { FAST_RETRY, recordingTime, startReceiver, startTestSimulators, waitFor } from "./support";

const SECRET = SANDBOX_CREDENTIALS.resendWebhookSecret;
const FROM = "Cerniq Agro <oferte@cerniq-agro.ro>";

let sims: Awaited<ReturnType<typeof startTestSimulators>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let respondWith = 200;

beforeAll(async () => {
  receiver = await startReceiver(() => respondWith);
  sims = await startTestSimulators({ seed: 9, webhooks: { resend: [{ url: `${receiver.origin}/webhooks/resend`, secret: SECRET }] } });
});
afterAll(async () => {
  await sims?.close();
  await receiver?.close();
});
beforeEach(async () => {
  respondWith = 200;
  await sims.control.reset({ scenario: { email: { bounceRate: 0, complaintRate: 0, openProbability: 0, deliveryDelayMs: { min: 1_000, max: 1_000 } }, resend: { requestsPerSecond: 1000 } } });
  receiver.received.length = 0;
});

function client(options: { apiKey?: string; time?: Timekeeper; timeoutMs?: number } = {}) {
  const time = recordingTime();
  return {
    client: new ResendClient({
      baseUrl: sims.urls.resend,
      apiKey: options.apiKey ?? SANDBOX_CREDENTIALS.resendApiKey,
      from: FROM,
      retryPolicy: FAST_RETRY,
      time: options.time ?? time,
      timeoutMs: options.timeoutMs ?? 2_000,
    }),
    time,
  };
}
const requests = async (path: string) => (await sims.control.requests({ provider: "resend", path })).length;
const email = { to: "ion@fermaion.ro", subject: "Oferta pentru Ferma Ion", html: '<p>Vezi <a href="https://cerniq.ro/o/1">oferta</a></p>', tags: { journey: "j-123" } };

describe("Resend client (official SDK) against the simulator", () => {
  it("sends through the SDK pointed at the simulator, and the email reads back", async () => {
    const { client: resend } = client();
    const { id } = await resend.send(email, { idempotencyKey: "comm-log-1" });
    const stored = await resend.getEmail(id);
    expect(stored).toMatchObject({ id, from: FROM, to: ["ion@fermaion.ro"], subject: email.subject, last_event: "sent" });
    const [req] = await sims.control.requests({ provider: "resend", path: "/emails", method: "POST" });
    expect(req).toMatchObject({ status: 200 });
  });

  it("Idempotency-Key: the same key twice → one email; same key, other body → 409", async () => {
    const { client: resend } = client();
    const first = await resend.send(email, { idempotencyKey: "comm-log-2" });
    const again = await resend.send(email, { idempotencyKey: "comm-log-2" });
    expect(again.id).toBe(first.id);
    expect(await sims.control.messages({ provider: "resend" })).toHaveLength(1);

    const error = await resend.send({ ...email, subject: "Alt subiect" }, { idempotencyKey: "comm-log-2" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRequestError);
    expect(error).toMatchObject({ status: 409, providerCode: "invalid_idempotent_request" });
  });

  it("a concurrent request with the same key waits for the first one's answer", async () => {
    await sims.control.scenario({ resend: { processingDelayMs: 300 } });
    const scaled: Timekeeper = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms / 5)) };
    const { client: resend } = client({ time: scaled });
    const [a, b] = await Promise.all([resend.send(email, { idempotencyKey: "comm-log-3" }), resend.send(email, { idempotencyKey: "comm-log-3" })]);
    expect(a.id).toBe(b.id);
    expect(await sims.control.messages({ provider: "resend" })).toHaveLength(1);
    const statuses = (await sims.control.requests({ provider: "resend", path: "/emails" })).map((r) => r.status);
    expect(statuses).toContain(409);
  });

  it("batch send: ids in order; strict validation refuses the whole batch", async () => {
    const { client: resend } = client();
    const batch = await resend.sendBatch([email, { ...email, to: "maria@agrovest.ro" }, { ...email, to: ["a@b.ro", "c@d.ro"] }], { idempotencyKey: "batch-1" });
    expect(batch.ids).toHaveLength(3);
    expect(new Set(batch.ids).size).toBe(3);
    await expect(resend.sendBatch([email, { ...email, subject: undefined as unknown as string }], { idempotencyKey: "batch-2" })).rejects.toBeInstanceOf(
      ProviderRequestError,
    );
    const permissive = await resend.sendBatch([email, { ...email, from: "not an address" }], { idempotencyKey: "batch-3", validation: "permissive" });
    expect(permissive.ids).toHaveLength(1);
    expect(permissive.errors).toEqual([{ index: 1, message: expect.stringContaining("from") }]);
  });

  it("maps auth, validation, 5xx, 429 and timeouts to the typed errors", async () => {
    await expect(client({ apiKey: "re_revoked" }).client.send(email, { idempotencyKey: "k1" })).rejects.toBeInstanceOf(ProviderAuthError);
    await expect(client().client.send({ ...email, to: [] }, { idempotencyKey: "k2" })).rejects.toMatchObject({
      name: "ProviderRequestError",
      providerCode: "missing_required_field",
    });
    expect(await requests("/emails")).toBe(2);

    const { client: resend, time } = client({ timeoutMs: 150 });
    await sims.control.fault({ provider: "resend", path: "/emails", kind: "status", status: 500, times: 2 });
    await expect(resend.send(email, { idempotencyKey: "k3" })).resolves.toHaveProperty("id");
    expect(await requests("/emails")).toBe(5);

    await sims.control.fault({ provider: "resend", path: "/emails", kind: "status", status: 429, retryAfterSeconds: 3, times: 1 });
    await resend.send(email, { idempotencyKey: "k4" });
    expect(time.sleeps.at(-1)).toBe(3_000);

    // With an Idempotency-Key a timeout is safe to retry: 1 + 3 attempts.
    await sims.control.fault({ provider: "resend", path: "/emails", kind: "timeout", times: 4 });
    const before = await requests("/emails");
    await expect(resend.send(email, { idempotencyKey: "k5" })).rejects.toMatchObject({ name: "ProviderUnavailableError", reason: "timeout" });
    expect((await requests("/emails")) - before).toBe(4);
  });

  it("answers over the team rate limit with 429, Retry-After and the ratelimit headers", async () => {
    await sims.control.scenario({ resend: { requestsPerSecond: 1 } });
    const post = () =>
      fetch(`${sims.urls.resend}/emails`, {
        method: "POST",
        headers: { authorization: `Bearer ${SANDBOX_CREDENTIALS.resendApiKey}`, "user-agent": "test", "content-type": "application/json" },
        body: JSON.stringify({ from: FROM, to: "a@b.ro", subject: "s", text: "t" }),
      });
    expect((await post()).status).toBe(200);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.headers.get("ratelimit-policy")).toBe("1;w=1");
    expect(await limited.json()).toMatchObject({ statusCode: 429, name: "rate_limit_exceeded" });

    const { client: resend } = client();
    const error = await resend.send(email, { idempotencyKey: "rl" }).catch((e: unknown) => e);
    // The recorded sleeps do not wait, so every retry lands inside the same second.
    expect(error).toBeInstanceOf(ProviderRateLimitedError);
    expect((error as ProviderRateLimitedError).retryAfterMs).toBe(1_000);
  });

  it("refuses requests without a User-Agent, like Cloudflare in front of the API", async () => {
    const res = await fetch(`${sims.urls.resend}/emails/x`, { headers: { authorization: `Bearer ${SANDBOX_CREDENTIALS.resendApiKey}`, "user-agent": "" } });
    expect(res.status).toBe(403);
    expect(await res.text()).toBe("error code: 1010");
  });

  it("signs webhooks with Svix headers that the svix package verifies; retries keep the svix-id", async () => {
    const { client: resend } = client();
    const { id } = await resend.send(email, { idempotencyKey: "hooked" });
    await waitFor(() => receiver.received.length === 1, "email.sent");
    respondWith = 500; // the app is down when email.delivered arrives
    await sims.control.advance(1_000);
    await waitFor(() => receiver.received.length === 2, "first email.delivered attempt");
    respondWith = 200;
    await sims.control.advance(5_000); // Resend's first retry is after 5 s
    await waitFor(() => receiver.received.length === 3, "retried email.delivered");

    const verifier = new Webhook(SECRET);
    const events = receiver.received.map((hook) => {
      const verified = verifier.verify(hook.raw, {
        "svix-id": String(hook.headers["svix-id"]),
        "svix-timestamp": String(hook.headers["svix-timestamp"]),
        "svix-signature": String(hook.headers["svix-signature"]),
      });
      return { svixId: hook.headers["svix-id"], event: resendEmailEventSchema.parse(verified) };
    });
    expect(events.map((e) => e.event.type)).toEqual(["email.sent", "email.delivered", "email.delivered"]);
    expect(events[1]!.svixId).toBe(events[2]!.svixId);
    expect(events[0]!.svixId).not.toBe(events[1]!.svixId);
    expect(events[0]!.event.data).toMatchObject({ email_id: id, to: ["ion@fermaion.ro"], tags: { journey: "j-123" } });

    // A body changed in transit no longer verifies.
    const tampered = receiver.received[0]!;
    expect(() =>
      verifier.verify(tampered.raw.replace("ion@", "eve@"), {
        "svix-id": String(tampered.headers["svix-id"]),
        "svix-timestamp": String(tampered.headers["svix-timestamp"]),
        "svix-signature": String(tampered.headers["svix-signature"]),
      }),
    ).toThrow();
    expect(await resend.getEmail(id)).toMatchObject({ last_event: "delivered" });
  });

  it("bounces and complaints follow the scenario rates, and show in last_event", async () => {
    await sims.control.scenario({ email: { bounceRate: 1 } });
    const { client: resend } = client();
    const { id } = await resend.send(email, { idempotencyKey: "bounce-1" });
    await sims.control.advance(2_000);
    const bounced = await waitFor(() => receiver.received.find((h) => (h.body as { type: string }).type === "email.bounced"), "email.bounced");
    expect(resendEmailEventSchema.parse(bounced.body).data.bounce).toMatchObject({ type: "Permanent" });
    expect(await resend.getEmail(id)).toMatchObject({ last_event: "bounced" });

    await sims.control.scenario({ email: { bounceRate: 0, complaintRate: 1, openDelayMs: { min: 0, max: 0 } } });
    const second = await resend.send({ ...email, to: "maria@agrovest.ro" }, { idempotencyKey: "complaint-1" });
    await sims.control.advance(120_000);
    await waitFor(() => receiver.received.some((h) => (h.body as { type: string }).type === "email.complained"), "email.complained");
    expect(await resend.getEmail(second.id)).toMatchObject({ last_event: "complained" });
  });
});
