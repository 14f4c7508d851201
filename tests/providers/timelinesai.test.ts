import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import {
  ProviderAuthError,
  ProviderInvalidRecipientError,
  ProviderRateLimitedError,
  ProviderRequestError,
  ProviderResponseError,
  ProviderUnavailableError,
} from "../../server/providers/errors";
import { RedisSlidingWindowPacer } from "../../server/providers/pacing.server";
import { SANDBOX_CREDENTIALS } from "../../server/providers/sandbox";
import { TimelinesAiClient, type TimelinesAiClientConfig } from "../../server/providers/timelinesai/client.server";
import { normalizeMessageStatus } from "../../server/providers/timelinesai/schemas";
import { timelinesWebhookEventSchema } from "../../server/providers/timelinesai/webhooks";
import { connectTestRedis, FAST_RETRY, recordingTime, startReceiver, startTestSimulators, waitFor } from "./support";

const ACCOUNT = "+40740000101";
const LEAD = "+40722111222";

let sims: Awaited<ReturnType<typeof startTestSimulators>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let redis: Redis;

beforeAll(async () => {
  redis = await connectTestRedis();
  receiver = await startReceiver();
  sims = await startTestSimulators({
    seed: 11,
    // The tenant secret travels in the URL: TimelinesAI can neither sign nor add headers.
    webhooks: { timelinesai: [{ url: `${receiver.origin}/webhooks/timelinesai/tenant-secret-123` }] },
  });
});

afterAll(async () => {
  await sims?.close();
  await receiver?.close();
  redis?.disconnect();
});

beforeEach(async () => {
  await sims.control.reset({
    scenario: {
      replies: { probability: 0 },
      whatsapp: { deliveryDelayMs: { min: 5_000, max: 5_000 }, readDelayMs: { min: 60_000, max: 60_000 }, readProbability: 1 },
    },
  });
  receiver.received.length = 0;
});

function client(overrides: Partial<TimelinesAiClientConfig> = {}) {
  const time = recordingTime();
  const c = new TimelinesAiClient({
    baseUrl: sims.urls.timelinesai,
    token: SANDBOX_CREDENTIALS.timelinesaiToken,
    pacer: new RedisSlidingWindowPacer({ redis, provider: "timelinesai", keyPrefix: `test:${randomUUID()}` }),
    retryPolicy: FAST_RETRY,
    time,
    timeoutMs: 2_000,
    ...overrides,
  });
  return { client: c, time };
}

async function countRequests(path: string) {
  return (await sims.control.requests({ provider: "timelinesai", path })).length;
}

describe("TimelinesAI client against the simulator", () => {
  it("sends to a phone, finds the chat, and reads a status history that grows over simulated time", async () => {
    const { client: tl } = client();
    const { messageUid } = await tl.sendToPhone({ phone: LEAD, text: "Bună ziua, domnule Popescu!", accountPhone: ACCOUNT });

    const chats = await tl.listChats({ phone: LEAD, account: ACCOUNT });
    expect(chats.items).toHaveLength(1);
    expect(chats.items[0]).toMatchObject({ phone: LEAD, whatsapp_account_id: "40740000101@s.whatsapp.net" });

    const history = async () => (await tl.getMessageStatusHistory(messageUid, { account: ACCOUNT })).map((e) => normalizeMessageStatus(e.status));
    expect(await history()).toEqual(["QUEUED"]);
    await sims.control.advance(1_000);
    expect(await history()).toEqual(["QUEUED", "SENT"]);
    await sims.control.advance(5_000);
    expect(await history()).toEqual(["QUEUED", "SENT", "DELIVERED"]);
    await sims.control.advance(60_000);
    expect(await history()).toEqual(["QUEUED", "SENT", "DELIVERED", "READ"]);

    const message = await tl.getMessage(messageUid);
    expect(message).toMatchObject({ uid: messageUid, from_me: true, text: "Bună ziua, domnule Popescu!", status: "Read" });
    expect(message.timestamp).toBeInstanceOf(Date);

    const reply = await tl.sendToChat({ chatId: chats.items[0]!.id, text: "Revin cu detalii.", accountPhone: ACCOUNT });
    const history2 = await tl.listChatMessages(chats.items[0]!.id, { account: ACCOUNT });
    // Oldest first, whatever order the page came in.
    expect(history2.items.map((m) => m.uid)).toEqual([messageUid, reply.messageUid]);

    // The simulator's own message log matches what we sent.
    const log = await sims.control.messages({ provider: "timelinesai" });
    expect(log.map((m) => [m.id, m.to, m.from])).toEqual([
      [messageUid, LEAD, ACCOUNT],
      [reply.messageUid, LEAD, ACCOUNT],
    ]);
  });

  it("lists the 20 WhatsApp accounts and reads one account's status", async () => {
    const { client: tl } = client();
    const accounts = await tl.listWhatsAppAccounts();
    expect(accounts).toHaveLength(20);
    expect(await tl.getWhatsAppAccount(ACCOUNT)).toMatchObject({ phone: ACCOUNT, status: "Active" });
  });

  it("wrong token → ProviderAuthError after exactly one request", async () => {
    const { client: tl } = client({ token: "revoked" });
    await expect(tl.listWhatsAppAccounts()).rejects.toBeInstanceOf(ProviderAuthError);
    expect(await countRequests("/whatsapp_accounts")).toBe(1);
  });

  it("invalid numbers → ProviderInvalidRecipientError, locally (no request) or from the provider (one request)", async () => {
    const { client: tl } = client();
    await expect(tl.sendToPhone({ phone: "0722 111 222", text: "x", accountPhone: ACCOUNT })).rejects.toBeInstanceOf(ProviderInvalidRecipientError);
    expect(await countRequests("/messages")).toBe(0);

    await sims.control.scenario({ whatsapp: { rejectedNumbers: ["+40799000000"] } });
    const error = await tl.sendToPhone({ phone: "+40799000000", text: "x", accountPhone: ACCOUNT }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderInvalidRecipientError);
    expect(error).toMatchObject({ code: "PROVIDER_INVALID_RECIPIENT", retryable: false, status: 400 });
    expect(await countRequests("/messages")).toBe(1);
  });

  it("other 4xx → ProviderRequestError, never retried", async () => {
    const { client: tl } = client();
    await expect(tl.getChat(999_999)).rejects.toBeInstanceOf(ProviderRequestError);
    expect(await countRequests("/chats/999999")).toBe(1);
  });

  it("5xx twice then OK → three requests seen by the provider, exponential waits", async () => {
    const { client: tl, time } = client();
    await sims.control.fault({ provider: "timelinesai", path: "/whatsapp_accounts", kind: "status", status: 502, times: 2 });
    await expect(tl.listWhatsAppAccounts()).resolves.toHaveLength(20);
    expect(await countRequests("/whatsapp_accounts")).toBe(3);
    expect(time.sleeps).toHaveLength(2);
  });

  it("5xx four times → ProviderUnavailableError after 1 + 3 attempts", async () => {
    const { client: tl } = client();
    await sims.control.fault({ provider: "timelinesai", path: "/whatsapp_accounts", kind: "status", status: 500, times: 10 });
    const error = await tl.listWhatsAppAccounts().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ reason: "server", retryable: true });
    expect(await countRequests("/whatsapp_accounts")).toBe(4);
  });

  it("429 with Retry-After is honoured; without it the wait is the fixed 60 s of the seeds", async () => {
    const { client: tl, time } = client({ retryPolicy: { ...FAST_RETRY, rateLimitWaitMs: 60_000 } });
    await sims.control.fault({ provider: "timelinesai", path: "/chats", kind: "status", status: 429, retryAfterSeconds: 7, times: 1 });
    await tl.listChats();
    expect(time.sleeps).toEqual([7_000]);

    await sims.control.fault({ provider: "timelinesai", path: "/chats", kind: "status", status: 429, times: 2 });
    time.sleeps.length = 0;
    await tl.listChats();
    expect(time.sleeps).toEqual([60_000, 60_000]);
  });

  it("429 six times → ProviderRateLimitedError after 1 + 5 attempts", async () => {
    const { client: tl } = client();
    await sims.control.fault({ provider: "timelinesai", path: "/chats", kind: "status", status: 429, retryAfterSeconds: 0, times: 10 });
    await expect(tl.listChats()).rejects.toBeInstanceOf(ProviderRateLimitedError);
    expect(await countRequests("/chats")).toBe(6);
  });

  it("timeouts: reads are retried 3 times; a send is not repeated (it may have gone out)", async () => {
    const { client: tl } = client({ timeoutMs: 150 });
    await sims.control.fault({ provider: "timelinesai", path: "/whatsapp_accounts", kind: "timeout", times: 10 });
    await expect(tl.listWhatsAppAccounts()).rejects.toMatchObject({ name: "ProviderUnavailableError", reason: "timeout" });
    expect(await countRequests("/whatsapp_accounts")).toBe(4);

    await sims.control.fault({ provider: "timelinesai", method: "POST", path: "/messages", kind: "timeout", times: 10 });
    const error = await tl.sendToPhone({ phone: LEAD, text: "x", accountPhone: ACCOUNT }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ProviderUnavailableError", reason: "timeout", ambiguous: true, retryable: true });
    expect(await countRequests("/messages")).toBe(1);
  });

  it("a 200 that is not the documented JSON → ProviderResponseError", async () => {
    const { client: tl } = client();
    await sims.control.fault({ provider: "timelinesai", path: "/whatsapp_accounts", kind: "malformed", times: 1 });
    await expect(tl.listWhatsAppAccounts()).rejects.toBeInstanceOf(ProviderResponseError);
  });

  it("emits unsigned webhooks to the URL carrying the tenant secret, in the documented shapes", async () => {
    const { client: tl } = client();
    const { messageUid } = await tl.sendToPhone({ phone: LEAD, text: "Ofertă semințe", accountPhone: ACCOUNT });
    await sims.control.advance(2_000);
    await sims.control.post("/timelinesai/incoming", { phone: LEAD, text: "Cât costă?", account: ACCOUNT });
    await sims.control.post(`/timelinesai/accounts/${encodeURIComponent(ACCOUNT)}/status`, { status: "Banned" });
    // Subscribed by default: message:new (both directions) and the account events.
    const hooks = await waitFor(() => receiver.received.length >= 3 && receiver.received, "3 webhooks");

    for (const hook of hooks) {
      expect(hook.path).toBe("/webhooks/timelinesai/tenant-secret-123");
      expect(hook.headers["svix-signature"]).toBeUndefined();
      expect(hook.headers.authorization).toBeUndefined();
      expect(timelinesWebhookEventSchema.safeParse(hook.body).success).toBe(true);
    }
    const byType = (type: string) => hooks.filter((h) => (h.body as { event_type: string }).event_type === type);
    expect(byType("message:new").map((h) => (h.body as { message: { direction: string; message_uid: string } }).message)).toEqual([
      expect.objectContaining({ direction: "sent", message_uid: messageUid }),
      expect.objectContaining({ direction: "received" }),
    ]);
    expect(byType("whatsapp:account:suspended")).toHaveLength(1);
    // Only the subscribed types arrive: message:sent:new is not subscribed here.
    expect(byType("message:sent:new")).toHaveLength(0);

    // The banned account now reads as such, and sending from it is refused (not a bad lead number).
    expect(await tl.getWhatsAppAccount(ACCOUNT)).toMatchObject({ status: "Suspended" });
    await expect(tl.sendToPhone({ phone: LEAD, text: "x", accountPhone: ACCOUNT })).rejects.toBeInstanceOf(ProviderRequestError);
  });

  it("counts failed webhook deliveries in errors_counter and keeps the subscription enabled", async () => {
    const failing = await startReceiver(() => 500);
    try {
      const { client: tl } = client();
      const sub = await tl.createWebhook({ eventType: "message:received:new", url: `${failing.origin}/hook?secret=s` });
      await sims.control.post("/timelinesai/incoming", { phone: LEAD, text: "Bună", account: ACCOUNT });
      await waitFor(() => failing.received.length === 1, "the failing delivery");
      const hooks = await waitFor(async () => {
        const list = await tl.listWebhooks();
        const found = list.find((w) => w.id === sub.id);
        return found && found.errors_counter === 1 ? list : undefined;
      }, "errors_counter = 1");
      expect(hooks.find((w) => w.id === sub.id)).toMatchObject({ enabled: true, errors_counter: 1 });
    } finally {
      await failing.close();
    }
  });
});
