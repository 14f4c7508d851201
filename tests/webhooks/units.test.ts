/**
 * The pure pieces of the webhook path, without a database: status ranking, provider normalizers,
 * the phone-status mapping, the status-sync cadence, body vetting, secret comparison, the cache.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { nextStatus, planStatusChange, STATUS_RANK, type MessageTimestamps } from "../../server/events/message-status";
import { normalize } from "../../server/events/normalize";
import { emailAddress, e164, eventTime } from "../../server/events/normalize/values";
import { phoneStatusTarget } from "../../server/events/phone-status.server";
import { nextCheckDelayMs } from "../../server/events/status-sync.server";
import { isIgnored, type Normalized } from "../../server/events/types";
import { isJsonContentType, MAX_JSON_DEPTH, parseStorableJson, storabilityProblem } from "../../server/webhooks/body";
import { sameSecret } from "../../server/webhooks/secrets.server";
import { TtlCache } from "../../server/webhooks/tenant-cache";
import { instantlyEventId } from "../../server/webhooks/providers/instantly.server";
import type { MessageStatus } from "../../server/generated/prisma/enums";

const NO_TIMESTAMPS: MessageTimestamps = { sentAt: null, deliveredAt: null, readAt: null, openedAt: null, clickedAt: null, repliedAt: null, bouncedAt: null, failedAt: null };
const raw = { source: "webhook" as const, webhookEventId: randomUUID() };
const received = new Date("2026-03-02T10:00:00Z");

describe("message status is monotonic", () => {
  const progress: Array<Exclude<MessageStatus, "QUEUED">> = ["SENT", "DELIVERED", "READ", "OPENED", "CLICKED", "REPLIED"];

  it("never moves to a lower rank, whatever the order of reports", () => {
    for (const current of ["QUEUED", ...progress] as MessageStatus[]) {
      for (const reported of progress) {
        const next = nextStatus(current, reported);
        const rank = (s: MessageStatus) => STATUS_RANK[s as keyof typeof STATUS_RANK];
        if (next) expect(rank(next), `${current} + ${reported}`).toBeGreaterThan(rank(current));
        else expect(rank(reported), `${current} + ${reported}`).toBeLessThanOrEqual(rank(current));
      }
    }
  });

  it("treats READ and OPENED as one rank", () => {
    expect(nextStatus("READ", "OPENED")).toBeNull();
    expect(nextStatus("OPENED", "READ")).toBeNull();
  });

  it("lets a failure end a message only until engagement proves it arrived; nothing leaves BOUNCED/FAILED", () => {
    expect(nextStatus("SENT", "BOUNCED")).toBe("BOUNCED");
    expect(nextStatus("DELIVERED", "BOUNCED")).toBe("BOUNCED");
    expect(nextStatus("QUEUED", "FAILED")).toBe("FAILED");
    expect(nextStatus("OPENED", "BOUNCED")).toBeNull();
    expect(nextStatus("REPLIED", "FAILED")).toBeNull();
    for (const reported of [...progress, "BOUNCED", "FAILED"] as const) {
      expect(nextStatus("BOUNCED", reported)).toBeNull();
      expect(nextStatus("FAILED", reported)).toBeNull();
    }
  });

  it("records the first report of each status, even one that does not move the status", () => {
    const at = new Date("2026-03-02T10:00:00Z");
    const late = planStatusChange({ status: "READ", timestamps: { ...NO_TIMESTAMPS, readAt: at } }, "DELIVERED", at);
    expect(late).toEqual({ status: null, timestamps: { deliveredAt: at }, firstOfItsKind: true });
    const again = planStatusChange({ status: "READ", timestamps: { ...NO_TIMESTAMPS, readAt: at, deliveredAt: at } }, "DELIVERED", new Date());
    expect(again).toEqual({ status: null, timestamps: {}, firstOfItsKind: false });
  });
});

describe("normalizers", () => {
  const resend = (type: string, data: Record<string, unknown> = {}) => ({
    type,
    created_at: "2026-03-02T09:00:00.000Z",
    data: { created_at: "2026-03-02T08:59:00.000Z", email_id: "e-1", from: "A <a@x.ro>", to: ["Ion@Ferma.ro"], subject: "S", tags: { cerniq_message: "9b2f8a5e-1f0c-4e55-9d3c-5f4f7c6f0a11" }, ...data },
  });
  const event = (n: Normalized) => {
    if (isIgnored(n)) throw new Error(`ignored: ${n.reason}`);
    return n;
  };

  it("Resend: maps types, keeps our tag as the log id, lower-cases the lead's address", () => {
    const n = event(normalize("RESEND", resend("email.delivered"), raw, received));
    expect(n).toMatchObject({ type: "DELIVERED", channel: "EMAIL_WARM", message: { externalId: "e-1", logId: "9b2f8a5e-1f0c-4e55-9d3c-5f4f7c6f0a11" }, lead: { email: "ion@ferma.ro" } });
    expect(n.occurredAt.toISOString()).toBe("2026-03-02T09:00:00.000Z");
    expect(event(normalize("RESEND", resend("email.bounced", { bounce: { message: "550", type: "Transient" } }), raw, received))).toMatchObject({ type: "BOUNCED", detail: { permanent: false } });
    expect(event(normalize("RESEND", resend("email.suppressed", { suppressed: { message: "on list" } }), raw, received))).toMatchObject({ type: "FAILED" });
    expect(event(normalize("RESEND", resend("email.received", { from: "Ion <Ion@Ferma.ro>" }), raw, received))).toMatchObject({ type: "REPLIED", lead: { email: "ion@ferma.ro" } });
    expect(isIgnored(normalize("RESEND", resend("email.delivery_delayed"), raw, received))).toBe(true);
  });

  it("Instantly: the click event's two spellings, auto replies flagged, lead labels ignored", () => {
    const base = { timestamp: "2026-03-02T09:00:00.000Z", campaign_id: "c-1", lead_email: "ion@ferma.ro", email_id: "m-1", step: 2 };
    expect(event(normalize("INSTANTLY", { ...base, event_type: "link_clicked" }, raw, received)).type).toBe("CLICKED");
    expect(event(normalize("INSTANTLY", { ...base, event_type: "email_link_clicked" }, raw, received)).type).toBe("CLICKED");
    expect(event(normalize("INSTANTLY", { ...base, event_type: "email_sent" }, raw, received))).toMatchObject({ type: "SENT", createIfMissing: true, message: { instantlyCampaignId: "c-1", sequenceStep: 2 } });
    expect(event(normalize("INSTANTLY", { ...base, event_type: "auto_reply_received" }, raw, received))).toMatchObject({ type: "REPLIED", reply: { automatic: true } });
    expect(isIgnored(normalize("INSTANTLY", { ...base, event_type: "lead_meeting_booked" }, raw, received))).toBe(true);
    expect(isIgnored(normalize("INSTANTLY", { ...base, lead_email: null, event_type: "email_opened" }, raw, received))).toBe(true);
  });

  it("TimelinesAI: a sent message is our echo (SENT), a received one a reply; groups and chat events ignored", () => {
    const message = (direction: "sent" | "received", isGroup = false) => ({
      event_type: "message:new",
      chat: { chat_id: "123", is_group: isGroup, phone: "+40 722 000 001" },
      whatsapp_account: { phone: "+40740000101" },
      message: { direction, timestamp: "2026-03-02 11:00:00 +0200", message_uid: "u-1", sender: { phone: "+40722000001" }, recipient: { phone: "+40740000101" }, text: "Da" },
    });
    expect(event(normalize("TIMELINESAI", message("sent"), raw, received))).toMatchObject({ type: "SENT", message: { externalId: "u-1" }, lead: { whatsappChatId: "123" } });
    const reply = event(normalize("TIMELINESAI", message("received"), raw, received));
    expect(reply).toMatchObject({ type: "REPLIED", lead: { phone: "+40722000001", whatsappChatId: "123" }, reply: { externalId: "u-1", ourPhone: "+40740000101", automatic: false } });
    expect(reply.occurredAt.toISOString()).toBe("2026-03-02T09:00:00.000Z");
    expect(isIgnored(normalize("TIMELINESAI", message("received", true), raw, received))).toBe(true);
    expect(isIgnored(normalize("TIMELINESAI", { event_type: "chat:new", chat: { id: 1 } }, raw, received))).toBe(true);
    expect(isIgnored(normalize("TIMELINESAI", { event_type: "call:incoming:missed" }, raw, received))).toBe(true);
  });

  it("TimelinesAI account events become ACCOUNT_STATUS at the provider's time", () => {
    const n = event(
      normalize("TIMELINESAI", { event_type: "whatsapp:account:disconnected", whatsapp_account: { id: "40740000101@s.whatsapp.net", phone: "+40740000101", disconnected_on: "2026-03-02 12:00:00 +0200" } }, raw, received),
    );
    expect(n).toMatchObject({ type: "ACCOUNT_STATUS", status: "DISCONNECTED", account: { phone: "+40740000101" } });
    expect(n.occurredAt.toISOString()).toBe("2026-03-02T10:00:00.000Z");
  });

  it("value parsers", () => {
    expect(emailAddress("Ion Popescu <Ion.Popescu@Ferma.RO>")).toBe("ion.popescu@ferma.ro");
    expect(emailAddress("no address")).toBeUndefined();
    expect(e164("40712345678@s.whatsapp.net")).toBe("+40712345678");
    expect(e164("+40 712-345 678")).toBe("+40712345678");
    expect(e164("12")).toBeUndefined();
    expect(eventTime("not a date", received)).toBe(received);
  });

  it("Instantly event ids ignore merged lead fields but tell occurrences apart", () => {
    const base = { timestamp: "2026-03-02T09:00:00.000Z", event_type: "email_opened", campaign_id: "c", lead_email: "a@b.ro", email_id: "m" };
    expect(instantlyEventId({ ...base, firstName: "Ion" })).toBe(instantlyEventId({ ...base, firstName: "Ioan" }));
    expect(instantlyEventId(base)).not.toBe(instantlyEventId({ ...base, timestamp: "2026-03-02T09:00:01.000Z" }));
  });
});

describe("phone status from account events", () => {
  it("reports of the connection never overrule a person's PAUSED or QUARANTINE, and never lift a ban", () => {
    expect(phoneStatusTarget("ACTIVE", "DISCONNECTED")).toBe("OFFLINE");
    expect(phoneStatusTarget("PAUSED", "DISCONNECTED")).toBeNull();
    expect(phoneStatusTarget("OFFLINE", "CONNECTED")).toBe("ACTIVE");
    expect(phoneStatusTarget("QUARANTINE", "CONNECTED")).toBeNull();
    expect(phoneStatusTarget("BANNED", "RESUMED")).toBeNull();
    expect(phoneStatusTarget("PAUSED", "SUSPENDED")).toBe("BANNED");
    expect(phoneStatusTarget("BANNED", "SUSPENDED")).toBeNull();
  });
});

describe("status sync cadence", () => {
  it("polls often while delivery is likely, then less and less", () => {
    const minute = 60_000;
    expect(nextCheckDelayMs(2 * minute)).toBe(minute);
    expect(nextCheckDelayMs(30 * minute)).toBe(5 * minute);
    expect(nextCheckDelayMs(5 * 60 * minute)).toBe(30 * minute);
    expect(nextCheckDelayMs(3 * 24 * 60 * minute)).toBe(6 * 60 * minute);
  });
});

describe("body vetting", () => {
  it("refuses what jsonb cannot hold, and nesting past the limit, without recursing", () => {
    expect(storabilityProblem({ a: "x\u0000" })).toMatch(/NUL/);
    expect(storabilityProblem({ ["k\ud800"]: 1 })).toMatch(/surrogate/);
    expect(storabilityProblem({ ok: "🐄 ă î ș ț" })).toBeNull();
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    expect(parseStorableJson(Buffer.from(deep))).toEqual({ ok: false, error: `nested deeper than ${MAX_JSON_DEPTH} levels` });
    expect(parseStorableJson(Buffer.alloc(0))).toEqual({ ok: false, error: "empty body" });
  });

  it("accepts JSON content types and a missing header only", () => {
    expect(isJsonContentType("application/json; charset=utf-8")).toBe(true);
    expect(isJsonContentType("application/cloudevents+json")).toBe(true);
    expect(isJsonContentType(null)).toBe(true);
    expect(isJsonContentType("text/plain")).toBe(false);
  });
});

describe("secrets and cache", () => {
  it("compares secrets of any lengths", () => {
    expect(sameSecret("abc", "abc")).toBe(true);
    expect(sameSecret("abc", "abcd")).toBe(false);
    expect(sameSecret("", "abc")).toBe(false);
  });

  it("expires entries and evicts the oldest when full", () => {
    let now = 0;
    const cache = new TtlCache<string>(1_000, 2, () => now);
    cache.set("a", "1");
    cache.set("b", "2");
    cache.set("c", "3");
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("c")).toBe("3");
    now = 1_001;
    expect(cache.get("b")).toBeUndefined();
  });
});
