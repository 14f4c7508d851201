/**
 * The two ways a webhook reaches the pipeline (docs/decisions/0006-webhook-fast-path.md): the Remix
 * resource routes in app/routes and the Express fast path the server mounts in front of Remix. Both
 * must exist at the same URLs and give the same answers, over real HTTP, to the same requests:
 * valid, replayed, unauthenticated, malformed, unattributed, wrong method, wrong type, too large.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import http, { type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpApp } from "../../server/http/app.server";
import { WEBHOOK_FAST_ROUTES } from "../../server/webhooks/express.server";
import { MAX_WEBHOOK_BODY_BYTES } from "../../server/webhooks/body";
import {
  count,
  createLeadFixture,
  INSTANTLY_HEADER,
  INSTANTLY_SECRET,
  instantlyEvent,
  remixWebhookRoutes,
  resendEvent,
  signResend,
  startWebhookTestEnv,
  timelinesMessage,
  webhookBuild,
  type LeadFixture,
  type WebhookTestEnv,
} from "./support";

let env: WebhookTestEnv;
let lead: LeadFixture;
const servers: Server[] = [];
const origins = { fast: "", remix: "" };

async function listen(fastPath: boolean): Promise<string> {
  const app = createHttpApp({ build: await webhookBuild(), publicDir: mkdtempSync(path.join(tmpdir(), "cerniq-public-")), boss: env.boss, webhookFastPath: fastPath });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  env = await startWebhookTestEnv("wh_adapters");
  lead = await createLeadFixture(env.admin);
  origins.fast = await listen(true);
  origins.remix = await listen(false);
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await env?.close();
});

interface Sent {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** Written in 64 KiB chunks, so without a Content-Length header the body goes chunked. */
  body?: string | Buffer;
}

interface Received {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** node:http rather than fetch: these requests need headers fetch will not send (a lying Content-Length). */
function send(origin: string, request: Sent): Promise<Received> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(`${origin}${request.path}`, { method: request.method ?? "POST", headers: request.headers }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    // The server may answer (413) and close before the whole body is written, so a write error can
    // come just before the answer is parsed: only a connection that ends without one is a failure.
    req.on("error", (error) => setTimeout(() => (answered ? undefined : reject(error)), 1_000));
    const body = typeof request.body === "string" ? Buffer.from(request.body) : request.body;
    if (body) for (let i = 0; i < body.length; i += 65_536) req.write(body.subarray(i, i + 65_536));
    req.end();
  });
}

/** What a sender can observe and act on, minus what differs by design (our event id). */
function observable(answer: Received) {
  const body = answer.body === "" ? null : (JSON.parse(answer.body) as { eventId?: string });
  if (body && "eventId" in body) body.eventId = body.eventId ? "<id>" : "<none>";
  return {
    status: answer.status,
    body,
    contentType: answer.headers["content-type"],
    cacheControl: answer.headers["cache-control"],
    allow: answer.headers.allow,
  };
}

const json = { "content-type": "application/json" };
const resend = (payload: unknown, o: { secret?: string } = {}): Sent => {
  const body = JSON.stringify(payload);
  return { path: "/webhooks/resend", headers: { ...json, ...signResend(body, o) }, body };
};
const timelines = (secret: string, body: string): Sent => ({ path: `/webhooks/timelinesai/${secret}`, headers: json, body });

/** Each call makes a fresh request (new provider ids), so the two servers never see each other's events. */
const cases: Array<[string, () => Sent[]]> = [
  ["a signed Resend event, then its replay", () => {
    const first = resend(resendEvent(lead, "email.delivered"));
    return [first, first];
  }],
  ["a Resend event signed with another secret", () => [resend(resendEvent(lead, "email.opened"), { secret: "whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldC0wMTIzNDU2Nzg5" })]],
  ["a Resend event without svix headers", () => [{ path: "/webhooks/resend", headers: json, body: JSON.stringify(resendEvent(lead, "email.opened")) }]],
  ["an authentic Resend body that is not JSON", () => {
    const body = `{"type": "email.delivered", ${randomUUID()}`;
    return [{ path: "/webhooks/resend", headers: { ...json, ...signResend(body) }, body }];
  }],
  ["an authentic Resend event we do not use", () => [resend({ type: "contact.created", created_at: new Date().toISOString(), data: { id: randomUUID() } })]],
  ["an Instantly event", () => [{ path: "/webhooks/instantly", headers: { ...json, [INSTANTLY_HEADER]: INSTANTLY_SECRET }, body: JSON.stringify(instantlyEvent(lead, "email_sent")) }]],
  ["an Instantly event with the wrong secret header", () => [{ path: "/webhooks/instantly", headers: { ...json, [INSTANTLY_HEADER]: "wrong" }, body: JSON.stringify(instantlyEvent(lead, "email_sent")) }]],
  ["a form post to Instantly", () => [{ path: "/webhooks/instantly", headers: { "content-type": "application/x-www-form-urlencoded", [INSTANTLY_HEADER]: INSTANTLY_SECRET }, body: "a=1" }]],
  ["a TimelinesAI reply, then its replay", () => {
    const first = timelines(lead.timelinesSecret, JSON.stringify(timelinesMessage(lead, { direction: "received" })));
    return [first, first];
  }],
  ["a TimelinesAI reply to an unknown secret", () => [timelines("f".repeat(64), JSON.stringify(timelinesMessage(lead, { direction: "received" })))]],
  ["a TimelinesAI body that fails the schema", () => [timelines(lead.timelinesSecret, JSON.stringify({ event_type: "message:received:new", message: { uid: randomUUID() } }))]],
  ["an empty TimelinesAI body", () => [{ path: `/webhooks/timelinesai/${lead.timelinesSecret}`, headers: { ...json, "content-length": "0" } }]],
  ["TimelinesAI without the secret segment", () => [{ path: "/webhooks/timelinesai", headers: json, body: "{}" }]],
  ["a trailing slash and other letter case", () => [{ ...resend(resendEvent(lead, "email.clicked")), path: "/Webhooks/Resend/" }]],
  ["GET and HEAD", () => [{ method: "GET", path: "/webhooks/resend" }, { method: "HEAD", path: "/webhooks/instantly" }]],
  ["a Content-Length over the limit", () => [{ path: `/webhooks/timelinesai/${lead.timelinesSecret}`, headers: { ...json, "content-length": String(MAX_WEBHOOK_BODY_BYTES + 1) }, body: "{}" }]],
];

describe("the Express fast path and the Remix routes", () => {
  it("serve the same URLs: every route file Remix's conventions find, and no other", () => {
    const remix = remixWebhookRoutes().map((route) => ({ path: `/${route.path}`, routeFile: route.file.replace(/^routes\//, "") }));
    const fast = WEBHOOK_FAST_ROUTES.map(({ path: p, routeFile }) => ({ path: p, routeFile }));
    expect(fast.sort((a, b) => a.path.localeCompare(b.path))).toEqual(remix.sort((a, b) => a.path.localeCompare(b.path)));
  });

  it.each(cases)("give the same answers: %s", async (_name, make) => {
    const answers: Record<keyof typeof origins, ReturnType<typeof observable>[]> = { fast: [], remix: [] };
    for (const via of ["fast", "remix"] as const) {
      for (const request of make()) {
        const received = await send(origins[via], request);
        // Which adapter answered: Remix streams its Response (chunked), the fast path writes it whole.
        if (request.method !== "HEAD") expect(received.headers["transfer-encoding"], via).toBe(via === "remix" ? "chunked" : undefined);
        answers[via].push(observable(received));
      }
    }
    expect(answers.fast).toEqual(answers.remix);
    expect(answers.fast.every((a) => a.status < 500)).toBe(true);
  });

  it("answers 413 to a chunked body past the limit, and closes instead of reading the rest", async () => {
    const before = await count(env.admin, `SELECT 1 FROM webhook_events WHERE tenant_id = $1`, [lead.tenantId]);
    const huge = JSON.stringify({ ...timelinesMessage(lead, { direction: "received" }), padding: "x".repeat(2 * MAX_WEBHOOK_BODY_BYTES) });
    const answer = await send(origins.fast, { path: `/webhooks/timelinesai/${lead.timelinesSecret}`, headers: json, body: huge });
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe("close");
    expect(JSON.parse(answer.body)).toMatchObject({ reason: { code: "PAYLOAD_TOO_LARGE" } });
    expect(await count(env.admin, `SELECT 1 FROM webhook_events WHERE tenant_id = $1`, [lead.tenantId])).toBe(before);
  });
});
