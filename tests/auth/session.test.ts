import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as SessionModuleNs from "../../server/auth/session.server";
import { createTestDatabase, useDatabase, type TestDatabase } from "../support/db";
import { adminQuery, createTenantFixture, TEST_PASSWORD, type TenantFixture } from "../support/fixtures";

let db: TestDatabase;
let a: TenantFixture;
type SessionModule = typeof SessionModuleNs;
let session: SessionModule;

function request(cookie?: string): Request {
  return new Request("http://localhost/outreach/dashboard", { headers: cookie ? { Cookie: cookie, "user-agent": "vitest" } : { "user-agent": "vitest" } });
}

function cookieFrom(headers: Headers): string {
  const setCookie = headers.get("Set-Cookie");
  if (!setCookie) throw new Error("no Set-Cookie");
  return setCookie.split(";")[0]!;
}

beforeAll(async () => {
  db = await createTestDatabase("auth");
  await useDatabase(db);
  a = await createTenantFixture(db.adminUrl, "alfa");
  session = await import("../../server/auth/session.server");
});

afterAll(async () => {
  const { disconnectPrisma } = await import("../../server/db/client.server");
  await disconnectPrisma();
  await db.drop();
});

describe("login, session, logout", () => {
  it("logs in with the right password, case-insensitive email, and resolves the session", async () => {
    const result = await session.logIn({ email: "  ADMIN@alfa.test ", password: TEST_PASSWORD, request: request() });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const setCookie = result.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const user = await session.getSessionUser(request(cookieFrom(result.headers)));
    expect(user).toMatchObject({ id: a.users.ADMIN.id, tenantId: a.tenantId, role: "ADMIN", tenantName: a.tenantName });
    // Only a hash of the token is stored.
    const rows = await adminQuery<{ token_hash: string }>(db.adminUrl, "SELECT token_hash FROM user_sessions WHERE user_id = $1", [a.users.ADMIN.id]);
    expect(rows).toHaveLength(1);
    expect(cookieFrom(result.headers)).not.toContain(rows[0]!.token_hash);
  });

  it("rejects a wrong password and an unknown email with the same code", async () => {
    const wrong = await session.logIn({ email: "manager@alfa.test", password: "nope-nope-nope", request: request() });
    const unknown = await session.logIn({ email: "nobody@alfa.test", password: "nope-nope-nope", request: request() });
    expect(wrong).toEqual({ ok: false, code: "INVALID_CREDENTIALS" });
    expect(unknown).toEqual({ ok: false, code: "INVALID_CREDENTIALS" });
  });

  it("locks the account after 5 wrong passwords, even for the right one", async () => {
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await session.logIn({ email: "sales_rep@alfa.test", password: `wrong-${i}-password`, request: request() });
      codes.push(r.ok ? "OK" : r.code);
    }
    expect(codes.slice(0, 4)).toEqual(Array(4).fill("INVALID_CREDENTIALS"));
    expect(codes[4]).toBe("RATE_LIMITED");
    const right = await session.logIn({ email: "sales_rep@alfa.test", password: TEST_PASSWORD, request: request() });
    expect(right).toEqual({ ok: false, code: "RATE_LIMITED" });
  });

  it("refuses a disabled account", async () => {
    await adminQuery(db.adminUrl, "UPDATE users SET is_active = false WHERE id = $1", [a.users.MANAGER.id]);
    const r = await session.logIn({ email: "manager@alfa.test", password: TEST_PASSWORD, request: request() });
    expect(r).toEqual({ ok: false, code: "ACCOUNT_DISABLED" });
    await adminQuery(db.adminUrl, "UPDATE users SET is_active = true WHERE id = $1", [a.users.MANAGER.id]);
  });

  it("logout deletes the session so the cookie stops working", async () => {
    const r = await session.logIn({ email: "admin@alfa.test", password: TEST_PASSWORD, request: request() });
    if (!r.ok) throw new Error("login failed");
    const cookie = cookieFrom(r.headers);
    expect(await session.getSessionUser(request(cookie))).not.toBeNull();
    const out = await session.logOut(request(cookie));
    expect(out.get("Set-Cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    expect(await session.getSessionUser(request(cookie))).toBeNull();
  });

  it("ignores forged, expired and garbage cookies", async () => {
    expect(await session.getSessionUser(request("cerniq_session=abc"))).toBeNull();
    expect(await session.getSessionUser(request("cerniq_session=" + "x".repeat(200)))).toBeNull();
    const r = await session.logIn({ email: "admin@alfa.test", password: TEST_PASSWORD, request: request() });
    if (!r.ok) throw new Error("login failed");
    await adminQuery(db.adminUrl, "UPDATE user_sessions SET expires_at = now() - interval '1 minute'");
    expect(await session.getSessionUser(request(cookieFrom(r.headers)))).toBeNull();
  });

  it("requireUser redirects to /login with the page to come back to", async () => {
    const thrown = await session.requireUser(request()).then(() => null, (e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(302);
    expect((thrown as Response).headers.get("Location")).toBe("/login?redirectTo=%2Foutreach%2Fdashboard");
  });
});
