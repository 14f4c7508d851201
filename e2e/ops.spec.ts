import { expect, test } from "@playwright/test";

// The operator endpoints of the real server process (pg-boss started, workers embedded).
test("/healthz reports database, Redis, pg-boss and the quota store as healthy", async ({ request }) => {
  // The quota store is "degraded" until the first resync after start has written its sentinel
  // (a start job, then the quota-store monitor): wait for it rather than for a fixed time.
  await expect
    .poll(async () => ((await (await request.get("/healthz")).json()) as { status: string }).status, { timeout: 60_000 })
    .toBe("ok");
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { status: string; checks: Record<string, { ok: boolean }> };
  expect(body.status).toBe("ok");
  expect(Object.keys(body.checks).sort()).toEqual(["database", "queue", "quotaStore", "redis"]);
});

test("/metrics speaks Prometheus and counts requests", async ({ request }) => {
  await request.get("/login");
  const response = await request.get("/metrics");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/plain");
  const text = await response.text();
  expect(text).toContain("# TYPE cerniq_http_request_duration_seconds histogram");
  expect(text).toMatch(/cerniq_http_request_duration_seconds_count\{method="GET",route="\/login",status="200"\} \d+/);
  expect(text).toContain('cerniq_queue_jobs{queue="maintenance.sessions.purge"');
});

test("the tRPC endpoint refuses anonymous callers with a typed error", async ({ request }) => {
  const response = await request.get("/api/trpc/dashboard.summary");
  expect(response.status()).toBe(401);
  const body = (await response.json()) as { error: { json: { data: { code: string } } } };
  expect(body.error.json.data.code).toBe("UNAUTHORIZED");
});
