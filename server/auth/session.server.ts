import { createHash, randomBytes } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { recordAudit } from "../audit/audit.server";
import { getEnv } from "../config/env.server";
import { getPrisma, withTenant } from "../db/client.server";
import { logEvent } from "../observability/logger.server";
import { DUMMY_HASH, verifyPassword } from "./password.server";
import type { Role, SessionUser } from "./roles";

export type { SessionUser } from "./roles";

/** After this many wrong passwords in a row the account is locked for LOCK_MINUTES. */
const MAX_FAILED_ATTEMPTS = 5;
const LOCK_MINUTES = 15;

let sessionCookie: ReturnType<typeof createCookie> | undefined;
function cookie() {
  if (!sessionCookie) {
    const env = getEnv();
    sessionCookie = createCookie("cerniq_session", {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: env.COOKIE_SECURE,
      secrets: [env.SESSION_SECRET],
      maxAge: env.SESSION_TTL_HOURS * 3600,
    });
  }
  return sessionCookie;
}

/** Only a hash of the token is stored, so a leaked sessions table does not leak live sessions. */
function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

interface SessionRow {
  session_id: string;
  user_id: string;
  tenant_id: string;
  tenant_name: string;
  role: Role;
  name: string;
  email: string;
  locale: string;
}

export async function getSessionUser(request: Request): Promise<SessionUser | null> {
  const token: unknown = await cookie().parse(request.headers.get("Cookie"));
  if (typeof token !== "string" || token.length < 32) return null;
  // Before the tenant is known RLS hides every row; auth_session_lookup is the one narrow,
  // SECURITY DEFINER way to resolve a session (docs/decisions/0002-tenant-isolation-rls.md).
  const rows = await getPrisma().$queryRaw<SessionRow[]>`SELECT * FROM auth_session_lookup(${hashToken(token)})`;
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.user_id,
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    role: row.role,
    name: row.name,
    email: row.email,
    locale: row.locale === "en" ? "en" : "ro",
    sessionId: row.session_id,
  };
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getSessionUser(request);
  if (!user) {
    const url = new URL(request.url);
    const redirectTo = `${url.pathname}${url.search}`;
    throw redirect(`/login?redirectTo=${encodeURIComponent(redirectTo)}`);
  }
  return user;
}

interface LoginRow {
  user_id: string;
  tenant_id: string;
  role: Role;
  password_hash: string;
  is_active: boolean;
  name: string;
  locale: string;
  failed_login_attempts: number;
  locked_until: Date | null;
}

export type LogInResult =
  | { ok: true; headers: Headers; user: SessionUser }
  | { ok: false; code: "INVALID_CREDENTIALS" | "ACCOUNT_DISABLED" | "RATE_LIMITED" };

export async function logIn(input: { email: string; password: string; request: Request }): Promise<LogInResult> {
  const email = input.email.trim().toLowerCase();
  const rows = await getPrisma().$queryRaw<LoginRow[]>`SELECT * FROM auth_user_for_login(${email})`;
  const account = rows[0];
  if (!account) {
    await verifyPassword(input.password, DUMMY_HASH);
    logEvent("info", { action: "auth.login_failed", metadata: { reason: "unknown_email" } });
    return { ok: false, code: "INVALID_CREDENTIALS" };
  }
  if (account.locked_until && account.locked_until.getTime() > Date.now()) {
    return { ok: false, code: "RATE_LIMITED" };
  }
  const passwordOk = await verifyPassword(input.password, account.password_hash);
  if (!passwordOk) {
    await withTenant(account.tenant_id, async (tx) => {
      const attempts = account.failed_login_attempts + 1;
      await tx.user.update({
        where: { id: account.user_id },
        data: {
          failedLoginAttempts: attempts,
          lockedUntil: attempts >= MAX_FAILED_ATTEMPTS ? new Date(Date.now() + LOCK_MINUTES * 60_000) : null,
        },
      });
    });
    logEvent("info", { action: "auth.login_failed", tenantId: account.tenant_id, metadata: { userId: account.user_id } });
    return { ok: false, code: account.failed_login_attempts + 1 >= MAX_FAILED_ATTEMPTS ? "RATE_LIMITED" : "INVALID_CREDENTIALS" };
  }
  if (!account.is_active) return { ok: false, code: "ACCOUNT_DISABLED" };

  const env = getEnv();
  const token = randomBytes(32).toString("base64url");
  const userAgent = input.request.headers.get("user-agent")?.slice(0, 300) ?? null;
  const ip = input.request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null;
  const { session, tenantName } = await withTenant(account.tenant_id, async (tx) => {
    await tx.user.update({
      where: { id: account.user_id },
      data: { failedLoginAttempts: 0, lockedUntil: null, lastLoginAt: new Date() },
    });
    const created = await tx.userSession.create({
      data: {
        tenantId: account.tenant_id,
        userId: account.user_id,
        tokenHash: hashToken(token),
        expiresAt: new Date(Date.now() + env.SESSION_TTL_HOURS * 3600_000),
        userAgent,
        ip,
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      tenantId: account.tenant_id,
      actor: { type: "USER", userId: account.user_id, role: account.role, ip },
      action: "auth.login",
      entityType: "user",
      entityId: account.user_id,
      userAgent,
    });
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: account.tenant_id }, select: { name: true } });
    return { session: created, tenantName: tenant.name };
  });
  const headers = new Headers({ "Set-Cookie": await cookie().serialize(token) });
  logEvent("info", { action: "auth.login", tenantId: account.tenant_id, metadata: { userId: account.user_id } });
  return {
    ok: true,
    headers,
    user: {
      id: account.user_id,
      tenantId: account.tenant_id,
      tenantName,
      role: account.role,
      name: account.name,
      email,
      locale: account.locale === "en" ? "en" : "ro",
      sessionId: session.id,
    },
  };
}

export async function logOut(request: Request): Promise<Headers> {
  const user = await getSessionUser(request);
  if (user) {
    await withTenant(user.tenantId, async (tx) => {
      await tx.userSession.delete({ where: { id: user.sessionId } });
      await recordAudit(tx, { tenantId: user.tenantId, actor: { type: "USER", userId: user.id, role: user.role, ip: null }, action: "auth.logout", entityType: "user", entityId: user.id });
    });
  }
  return new Headers({ "Set-Cookie": await cookie().serialize("", { maxAge: 0 }) });
}
