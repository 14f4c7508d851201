/**
 * 1,000 fuzzed requests per webhook route, from a seeded generator (same seed, same requests, same
 * answers): garbage bytes, empty bodies, random JSON, deep nesting, bodies over the size limit,
 * wrong content types, truncated JSON, valid payloads with fields of the wrong type or missing,
 * characters Postgres cannot store, absurdly long ids, bad credentials, and valid events and their
 * replays mixed in.
 *
 * For every request: never a 5xx, and the answer accounts for itself —
 *   200 accepted/duplicate → the event is in webhook_events under the id returned;
 *   202 ignored            → a new webhook_rejections row, with a code;
 *   400                    → the body was stored with its error (webhook_rejections, or webhook_events
 *                            as REJECTED where the URL named the tenant), unless that exact body was
 *                            stored before;
 *   401 / 413 / 415        → nothing stored, and a code and a sentence say why.
 * Afterwards every stored event goes through normalization, which must end each one as PROCESSED
 * or IGNORED (with a reason) without throwing anything but its own "retry later".
 */
import { createHash, randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processWebhookEvent, RetryLaterError } from "../../server/events/process.server";
import {
  call,
  count,
  createLeadFixture,
  INSTANTLY_HEADER,
  INSTANTLY_SECRET,
  instantlyEvent,
  loadRoutes,
  post,
  processDeps,
  resendEvent,
  signResend,
  startWebhookTestEnv,
  timelinesAccountEvent,
  timelinesMessage,
  type Answer,
  type LeadFixture,
  type Routes,
  type WebhookTestEnv,
} from "./support";

const CASES_PER_ROUTE = 1_000;
const SEED = 20_261_122;

let env: WebhookTestEnv;
let routes: Routes;
let lead: LeadFixture;

beforeAll(async () => {
  env = await startWebhookTestEnv("wh_fuzz");
  routes = await loadRoutes();
  lead = await createLeadFixture(env.admin);
});

afterAll(async () => {
  await env?.close();
});

// ─── A seeded generator ──────────────────────────────────────────────────────────────────────────

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!, uuid: () => randomUUIDFrom(next) };
}
type Rng = ReturnType<typeof rng>;

function randomUUIDFrom(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const WRONG_VALUES: readonly unknown[] = [null, 0, -1, 1e308, 3.14, true, false, "", "x", "9999-99-99 99:99:99 +9999", [], {}, [1, "2"], { a: { b: 1 } }, "ünïcödé ✓ 🐄", "-".repeat(300)];
const NASTY_STRINGS: readonly string[] = ["\u0000", "a\u0000b", "\ud800", "x\udfffy", "\u202eRTL", "🐄🌾".repeat(50), "'; DROP TABLE webhook_events; --", "%00%0d%0a", "\\u0000"];

/** Every [path] to a value inside a JSON object, iteratively. */
function paths(root: unknown): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value: root, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (path.length) out.push(path);
    if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: [...path, k] });
  }
  return out;
}

function mutate(payload: unknown, path: Array<string | number>, change: (parent: Record<string | number, unknown>, key: string | number) => void): unknown {
  const copy = structuredClone(payload) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  change(parent, path.at(-1)!);
  return copy;
}

function deeplyNested(r: Rng): string {
  const depth = r.int(33, 20_000);
  return r.next() < 0.5 ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
}

interface Case {
  kind: string;
  body: Buffer;
  contentType: string;
  auth: "valid" | "bad";
}

/** Valid payloads for a route, with fresh ids: what the provider really sends. */
type Valid = (r: Rng) => unknown;

function makeCase(r: Rng, valid: Valid, previous: unknown[]): Case {
  const json = (value: unknown, kind: string): Case => ({ kind, body: Buffer.from(JSON.stringify(value)), contentType: "application/json", auth: "valid" });
  const slot = r.int(0, 19);
  switch (slot) {
    case 0:
      return { kind: "empty", body: Buffer.alloc(0), contentType: "application/json", auth: "valid" };
    case 1:
      return { kind: "garbage", body: Buffer.from(Array.from({ length: r.int(1, 2_000) }, () => r.int(0, 255))), contentType: "application/json", auth: "valid" };
    case 2:
      return json(fc.sample(fc.jsonValue(), { seed: r.int(0, 2 ** 30), numRuns: 1 })[0], "random-json");
    case 3:
      return { kind: "deeply-nested", body: Buffer.from(deeplyNested(r)), contentType: "application/json", auth: "valid" };
    case 4:
      // Every fifth of these is over the limit; the rest are large but allowed.
      return r.next() < 0.2
        ? json({ ...(valid(r) as object), padding: "x".repeat(1024 * 1024 + r.int(1, 1000)) }, "huge")
        : json({ ...(valid(r) as object), padding: "y".repeat(r.int(10_000, 200_000)) }, "large");
    case 5:
      return { ...json(valid(r), "wrong-content-type"), contentType: r.pick(["text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data; boundary=x"]) };
    case 6:
    case 7:
    case 8:
    case 9: {
      const payload = valid(r);
      const path = r.pick(paths(payload));
      return json(mutate(payload, path, (p, k) => (p[k] = r.pick(WRONG_VALUES))), "wrong-type");
    }
    case 10:
    case 11: {
      const payload = valid(r);
      const path = r.pick(paths(payload));
      return json(mutate(payload, path, (p, k) => (Array.isArray(p) ? p.splice(Number(k), 1) : delete p[k])), "missing-field");
    }
    case 12: {
      const payload = valid(r);
      const strings = paths(payload).filter((p) => typeof p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], payload) === "string");
      return json(mutate(payload, r.pick(strings), (p, k) => (p[k] = `${String(p[k])}${r.pick(NASTY_STRINGS)}`)), "nasty-unicode");
    }
    case 13: {
      const text = JSON.stringify(valid(r));
      return { kind: "truncated", body: Buffer.from(text.slice(0, r.int(1, text.length - 1))), contentType: "application/json", auth: "valid" };
    }
    case 14: {
      const payload = valid(r);
      const strings = paths(payload).filter((p) => typeof p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], payload) === "string");
      return json(mutate(payload, r.pick(strings), (p, k) => (p[k] = "9".repeat(r.int(300, 100_000)))), "long-string");
    }
    case 15:
    case 16:
    case 17: {
      const payload = valid(r);
      previous.push(payload);
      return json(payload, "valid");
    }
    case 18:
      return json(previous.length ? r.pick(previous) : valid(r), "replay");
    default:
      return { ...json(valid(r), "bad-auth"), auth: "bad" };
  }
}

// ─── Per route: how to send, how to make valid payloads ─────────────────────────────────────────

interface Target {
  name: keyof Routes;
  valid: Valid;
  request(c: Case, r: Rng): Request;
}

const targets = (): Target[] => [
  {
    name: "resend",
    valid: (r) => resendEvent(lead, r.pick(["email.sent", "email.delivered", "email.opened", "email.clicked", "email.bounced", "email.complained", "email.delivery_delayed", "contact.created"]), r.next() < 0.3 ? { emailId: r.uuid(), tags: {} } : {}),
    request(c, r) {
      const text = c.body.toString("utf8");
      // Resend's svix-id is per event: a replay repeats it, a new event gets a new one.
      const id = `msg_${createHash("sha256").update(c.body).digest("hex").slice(0, 24)}`;
      const headers = c.auth === "valid" ? signResend(text, { id }) : r.pick([{}, { ...signResend(text, { id }), "svix-signature": "v1,AAAA" }, signResend(text, { id, secret: "whsec_d3Jvbmc=" }), signResend(text, { id, at: new Date(Date.now() - 3_600_000) })]);
      return post("/webhooks/resend", c.body, { ...headers, "content-type": c.contentType });
    },
  },
  {
    name: "instantly",
    valid: (r) => instantlyEvent(lead, r.pick(["email_sent", "email_opened", "email_link_clicked", "reply_received", "email_bounced", "lead_unsubscribed", "lead_interested", "campaign_completed"]), { emailId: r.uuid(), at: new Date(Date.now() - r.int(0, 1e9)) }),
    request(c, r) {
      const secret: Record<string, string> =
        c.auth === "valid" ? { [INSTANTLY_HEADER]: INSTANTLY_SECRET } : r.pick<Record<string, string>>([{}, { [INSTANTLY_HEADER]: "" }, { [INSTANTLY_HEADER]: `${INSTANTLY_SECRET}x` }]);
      return post("/webhooks/instantly", c.body, { ...secret, "content-type": c.contentType });
    },
  },
  {
    name: "timelinesai",
    valid: (r) =>
      r.next() < 0.15
        ? timelinesAccountEvent(lead, r.pick(["connected", "disconnected", "suspended", "resumed"] as const), new Date(Date.now() - r.int(0, 1e9)))
        : timelinesMessage(lead, { direction: r.pick(["sent", "received"] as const), uid: r.uuid(), eventType: r.pick(["message:new", "message:received:new", "message:sent:new", "message:reaction", "call:incoming:missed"]) }),
    request(c, r) {
      const secret = c.auth === "valid" ? lead.timelinesSecret : r.pick(["", "0".repeat(64), lead.timelinesSecret.slice(1) + "0", "../../etc/passwd", "%00"]);
      return post(`/webhooks/timelinesai/${encodeURIComponent(secret)}`, c.body, { "content-type": c.contentType });
    },
  },
];

const storedRows = async () =>
  (await count(env.admin, `SELECT 1 FROM webhook_events`)) + (await count(env.admin, `SELECT 1 FROM webhook_rejections`));

describe("fuzzed webhook bodies", () => {
  for (const [index, name] of (["resend", "instantly", "timelinesai"] as const).entries()) {
    it(`${name}: ${CASES_PER_ROUTE} seeded cases, zero 5xx, every answer accounted for`, async () => {
      const target = targets().find((t) => t.name === name)!;
      const r = rng(SEED + index);
      const previous: unknown[] = [];
      const seenBodies = new Set<string>();
      const tally = new Map<string, number>();
      for (let i = 0; i < CASES_PER_ROUTE; i++) {
        const c = makeCase(r, target.valid, previous);
        const request = target.request(c, r);
        const before = await storedRows();
        const answer: Answer = await call(routes[name], request, env.boss);
        const after = await storedRows();
        const label = `#${i} ${c.kind} → ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
        tally.set(`${c.kind}:${answer.status}`, (tally.get(`${c.kind}:${answer.status}`) ?? 0) + 1);

        expect(answer.status, label).toBeLessThan(500);
        expect(answer.body.status, label).toMatch(/^(accepted|duplicate|ignored|rejected)$/);
        if (answer.status >= 300 || answer.body.status === "ignored") {
          expect(answer.body.reason?.code, label).toMatch(/^[A-Z_]+$/);
          expect(answer.body.reason?.message.length, label).toBeGreaterThan(0);
        }
        const digest = createHash("sha256").update(c.body).digest("hex");
        if (answer.status === 200) {
          expect(answer.body.eventId, label).toMatch(/^[0-9a-f-]{36}$/);
          expect(await count(env.admin, `SELECT 1 FROM webhook_events WHERE id = $1 AND status = 'RECEIVED'`, [answer.body.eventId]), label).toBe(1);
          expect(after - before, label).toBe(answer.body.status === "accepted" ? 1 : 0);
        } else if (answer.status === 202) {
          expect(after - before, label).toBe(1);
        } else if (answer.status === 400) {
          expect(after - before, label).toBe(seenBodies.has(digest) && name === "timelinesai" ? 0 : 1);
        } else {
          expect([401, 413, 415], label).toContain(answer.status);
          expect(after - before, label).toBe(0);
        }
        seenBodies.add(digest);
      }
      // The mix really exercised every path (a generator bug would show up as a missing bucket).
      if (process.env.FUZZ_TALLY) console.log(name, JSON.stringify([...tally].sort()));
      const statuses = new Set([...tally.keys()].map((k) => k.split(":")[1]));
      for (const expected of ["200", "400", "401", "413", "415"]) expect(statuses, JSON.stringify([...tally])).toContain(expected);
    }, 240_000);
  }

  it("normalization ends every fuzz-accepted event as PROCESSED or IGNORED, never with an unexpected error", async () => {
    const deps = await processDeps(env.boss);
    const { rows } = await env.admin.query<{ id: string; tenant_id: string }>(`SELECT id, tenant_id FROM webhook_events WHERE status = 'RECEIVED' ORDER BY received_at`);
    expect(rows.length).toBeGreaterThan(300);
    // Four at a time, the job's local concurrency (jobs/webhooks/normalize.ts): the fuzzed events share
    // one lead and its messages, so more only queue on its row lock while holding pool connections.
    const queue = [...rows];
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        const input = { tenantId: row.tenant_id, eventId: row.id, finalAttempt: false };
        const outcome = await processWebhookEvent(deps, input).catch(async (error: unknown) => {
          // Only "the message is not logged yet" may interrupt; the last attempt then closes the event.
          expect(error, String(error)).toBeInstanceOf(RetryLaterError);
          return processWebhookEvent(deps, { ...input, finalAttempt: true });
        });
        expect(["PROCESSED", "IGNORED", "ALREADY_DONE"]).toContain(outcome.status);
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    expect(await count(env.admin, `SELECT 1 FROM webhook_events WHERE status IN ('RECEIVED', 'FAILED')`)).toBe(0);
    expect(await count(env.admin, `SELECT 1 FROM webhook_events WHERE status = 'IGNORED' AND (error IS NULL OR error = '')`)).toBe(0);
  }, 240_000);
});

// Keep the generator honest: the same seed gives the same first cases.
describe("the generator", () => {
  it("is deterministic", () => {
    const a = rng(1);
    const b = rng(1);
    expect(Array.from({ length: 5 }, () => a.uuid())).toEqual(Array.from({ length: 5 }, () => b.uuid()));
    expect(randomUUID()).not.toBe(randomUUID());
  });
});
