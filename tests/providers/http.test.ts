/**
 * sendRaw, the one HTTP request every JSON provider client makes (server/providers/http.server.ts),
 * against a real local server: what comes back, and how each way of failing is classified. Exactly
 * once depends on that classification: a request that may have reached the provider (a timeout, a
 * connection broken mid-request) is ambiguous and a send is never repeated blindly; one that never
 * left (a refused connection) is safe to repeat.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultHttpError, sendRaw, type RawRequest } from "../../server/providers/http.server";
import { ProviderRateLimitedError, ProviderUnavailableError } from "../../server/providers/errors";

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;
let handler: Handler = (_req, _body, res) => res.end();
const received: Array<{ method?: string; url?: string; contentType?: string; body: string }> = [];
const server = http.createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => (body += chunk));
  req.on("end", () => {
    received.push({ method: req.method, url: req.url, contentType: req.headers["content-type"], body });
    handler(req, body, res);
  });
});
let base = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const call = (over: Partial<RawRequest> = {}): Promise<Awaited<ReturnType<typeof sendRaw>>> =>
  sendRaw({ provider: "timelinesai", operation: "test", method: "POST", url: `${base}/messages`, headers: { authorization: "Bearer t" }, body: { text: "Bună ziua" }, timeoutMs: 5_000, ...over });

const failure = async (promise: Promise<unknown>): Promise<ProviderUnavailableError> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderUnavailableError);
  return error as ProviderUnavailableError;
};

describe("sendRaw", () => {
  it("sends the body as JSON and returns the status, the parsed body and the headers by any case", async () => {
    handler = (_req, body, res) => {
      res.writeHead(201, { "content-type": "application/json", "X-Request-Id": "r-1" });
      res.end(JSON.stringify({ status: "ok", echo: JSON.parse(body) }));
    };
    received.length = 0;
    const res = await call();
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ status: "ok", echo: { text: "Bună ziua" } });
    expect(res.headers.get("x-request-id")).toBe("r-1");
    expect(res.headers.get("X-REQUEST-ID")).toBe("r-1");
    expect(res.headers.get("retry-after")).toBeNull();
    expect(received).toEqual([{ method: "POST", url: "/messages", contentType: "application/json", body: JSON.stringify({ text: "Bună ziua" }) }]);
  });

  it("a GET carries no body and no content type; a body that is not JSON is kept as text", async () => {
    handler = (_req, _body, res) => res.end("<html>gateway</html>");
    received.length = 0;
    const res = await call({ method: "GET", body: undefined, url: `${base}/chats?phone=%2B40712345678` });
    expect(res).toMatchObject({ status: 200, body: undefined, text: "<html>gateway</html>" });
    expect(received).toEqual([{ method: "GET", url: "/chats?phone=%2B40712345678", contentType: undefined, body: "" }]);
  });

  it("a 429's Retry-After reaches the typed error", async () => {
    handler = (_req, _body, res) => {
      res.writeHead(429, { "retry-after": "7" });
      res.end();
    };
    const res = await call();
    const error = defaultHttpError(res, { provider: "timelinesai", operation: "test", now: Date.now() });
    expect(error).toBeInstanceOf(ProviderRateLimitedError);
    expect(error).toMatchObject({ retryAfterMs: 7_000 });
  });

  it("a refused connection never reached the provider: not ambiguous, safe to repeat", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(call({ url: `http://127.0.0.1:${port}/messages` }));
    expect(error).toMatchObject({ reason: "network", ambiguous: false });
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("a connection broken after the request arrived is ambiguous (the message may have gone out)", async () => {
    handler = (req) => req.socket.destroy();
    received.length = 0;
    const error = await failure(call());
    expect(error).toMatchObject({ reason: "network", ambiguous: true });
    expect(received).toHaveLength(1);
  });

  it("no answer within the deadline is an ambiguous timeout", async () => {
    handler = () => undefined;
    const error = await failure(call({ timeoutMs: 200 }));
    expect(error).toMatchObject({ reason: "timeout", ambiguous: true });
    expect(error.message).toContain("no answer within 200 ms");
  });

  it("the deadline covers the body: headers then a stall is a timeout too", async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"status":');
    };
    const error = await failure(call({ timeoutMs: 300 }));
    expect(error).toMatchObject({ reason: "timeout", ambiguous: true });
  });
});
