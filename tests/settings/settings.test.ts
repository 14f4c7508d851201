/**
 * Tenant settings through the procedures, against real Postgres, Redis and pg-boss: a changed sending
 * window is honoured by the very next dispatch run with no restart (every cached settings path is keyed
 * by the values), a changed quota moves the phones that had the default and their Redis mirrors, every
 * change is validated by the form's own schema and audited, and only admins of the tenant may do it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobDefinition } from "../../jobs/definition";
import { dispatchJob } from "../../jobs/pipeline/dispatch";
import { waSendJob } from "../../jobs/pipeline/wa-send";
import { pgBossTransactionalQueue } from "../../jobs/transactional-queue";
import type { SessionUser } from "../../server/auth/roles";
import type { Clock } from "../../server/clock";
import { runDispatch, type DispatchDeps } from "../../server/pipeline/dispatch/dispatch.server";
import { createWorld, guardianFor, manualClock, startPipelineEnv, WEDNESDAY_10_00, type PipelineEnv, type World } from "../pipeline/support";
import { sharedRedisUrl } from "../quota/support/index";
import { failureOf } from "../sequences/support";

let env: PipelineEnv;
let world: World;
let other: World;
const users: Record<string, SessionUser> = {};

async function callerFor(user: SessionUser, clock?: Clock) {
  const { appRouter } = await import("../../server/trpc/router.server");
  const { createCallerFactory } = await import("../../server/trpc/init.server");
  return createCallerFactory(appRouter)({ user, requestId: "test", ip: null, boss: null, ...(clock ? { clock } : {}) });
}

async function addUser(tenantId: string, role: SessionUser["role"], tag: string): Promise<SessionUser> {
  const { rows } = await env.admin.query<{ id: string }>("INSERT INTO users (tenant_id, email, name, password_hash, role) VALUES ($1, $2, $3, 'x', $4) RETURNING id", [tenantId, `${tag}@${tenantId.slice(0, 8)}.test`, `${role} ${tag}`, role]);
  return { id: rows[0]!.id, tenantId, tenantName: "t", role, name: `${role} ${tag}`, email: `${tag}@x.test`, locale: "ro", sessionId: "s" };
}

function deps(clock: Clock): DispatchDeps {
  return { guardian: guardianFor(env, clock), boss: env.boss, queue: pgBossTransactionalQueue(env.boss), sequences: env.ports.sequences, clock };
}

beforeAll(async () => {
  // The settings procedure writes phone mirrors through the process's quota store: the same Redis
  // logical database as the pipeline world's store.
  process.env.REDIS_URL = await sharedRedisUrl(13);
  env = await startPipelineEnv("settings", [dispatchJob, waSendJob] as JobDefinition[]);
  world = await createWorld(env, { phones: 2, leads: 4 });
  other = await createWorld(env, { phones: 1, leads: 1 });
  users.admin = await addUser(world.tenantId, "ADMIN", "admin");
  users.admin2 = await addUser(world.tenantId, "ADMIN", "admin2");
  users.manager = await addUser(world.tenantId, "MANAGER", "manager");
  users.rep = await addUser(world.tenantId, "SALES_REP", "rep");
  users.otherAdmin = await addUser(other.tenantId, "ADMIN", "oadmin");
}, 120_000);

afterAll(async () => {
  await env?.close();
});

describe("business settings", () => {
  it("a changed sending window is honoured by the next dispatch run, without a restart", async () => {
    const admin = await callerFor(users.admin!);
    const before = await admin.settings.get();
    expect(before).toMatchObject({ sendingStartHour: 9, sendingEndHour: 18, sendingDays: [1, 2, 3, 4, 5], holidayCountry: "RO" });

    // 10:00 on a Wednesday; the admin moves the start to 11:00: the 10:00 run must not send.
    const clock = manualClock(WEDNESDAY_10_00);
    const { updatedAt: _u, ...current } = before;
    const later = await admin.settings.update({ ...current, sendingStartHour: 11 });
    expect(later.changed).toEqual(["sendingStartHour"]);
    const closed = await runDispatch(deps(clock), { tenantId: world.tenantId });
    expect(closed.status).toBe("DONE");
    if (closed.status !== "DONE") return;
    expect(closed.summary.dispatchedToWhatsApp).toBe(0);
    const [run] = (await env.admin.query("SELECT status FROM dispatch_runs WHERE tenant_id = $1", [world.tenantId])).rows;
    expect(run.status).toBe("WINDOW_CLOSED");

    // Back to 09:00: the next slot (10:05) sends.
    await admin.settings.update({ ...current, sendingStartHour: 9 });
    clock.set(new Date(WEDNESDAY_10_00.getTime() + 5 * 60_000));
    const open = await runDispatch(deps(clock), { tenantId: world.tenantId });
    expect(open.status === "DONE" && open.summary.dispatchedToWhatsApp).toBe(4);

    // And a day taken out of the sending days closes Wednesday the same way.
    await admin.settings.update({ ...current, sendingDays: [1, 2, 4, 5] });
    clock.set(new Date(WEDNESDAY_10_00.getTime() + 10 * 60_000));
    await runDispatch(deps(clock), { tenantId: world.tenantId });
    const statuses = (await env.admin.query("SELECT status FROM dispatch_runs WHERE tenant_id = $1 ORDER BY slot_start", [world.tenantId])).rows.map((r) => r.status);
    expect(statuses).toEqual(["WINDOW_CLOSED", "DONE", "WINDOW_CLOSED"]);
    await admin.settings.update(current);
  });

  it("moves the phones that had the default quota, and their Redis mirrors; a phone's own limit stays", async () => {
    const admin = await callerFor(users.admin!);
    const { updatedAt: _u, ...current } = await admin.settings.get();
    // Phone 2 got its own limit on the phones page.
    await env.admin.query("UPDATE wa_phone_numbers SET daily_quota_limit = 120 WHERE id = $1", [world.phoneIds[1]]);
    const r = await admin.settings.update({ ...current, waDailyQuota: 150 });
    expect(r.phonesFollowingQuota).toBe(1);
    const limits = (await env.admin.query("SELECT id, daily_quota_limit FROM wa_phone_numbers WHERE tenant_id = $1 ORDER BY id", [world.tenantId])).rows;
    expect(Object.fromEntries(limits.map((p) => [p.id, p.daily_quota_limit]))).toEqual({ [world.phoneIds[0]!]: 150, [world.phoneIds[1]!]: 120 });
    expect((await env.store.readMirror(world.phoneIds[0]!))?.limit).toBe(150);
    // Another tenant's phones are never touched.
    const others = (await env.admin.query("SELECT daily_quota_limit FROM wa_phone_numbers WHERE tenant_id = $1", [other.tenantId])).rows;
    expect(others.map((p) => p.daily_quota_limit)).toEqual([200]);
    await admin.settings.update(current);
  });

  it("validates with the form's schema, audits each change with before and after, and keeps other settings keys", async () => {
    const admin = await callerFor(users.admin!);
    const { updatedAt: _u, ...current } = await admin.settings.get();
    await env.admin.query(`UPDATE tenants SET settings = settings || '{"somethingElse": 7}' WHERE id = $1`, [world.tenantId]);
    for (const bad of [
      { ...current, sendingStartHour: 18, sendingEndHour: 9 },
      { ...current, jitterMinSeconds: 200, jitterMaxSeconds: 100 },
      { ...current, slaUrgentMinutes: 500, slaHighMinutes: 240 },
      { ...current, timezone: "Europe/Nowhere" },
      { ...current, sendingDays: [] },
      { ...current, bounceThreshold: 0.9 },
    ]) {
      expect((await failureOf(admin.settings.update(bad))).code).toBe("BAD_REQUEST");
    }
    const r = await admin.settings.update({ ...current, autoAnswerMode: "AUTO", autoAnswerCaps: { perLeadPerDay: 1, perTenantPerDay: 50 }, bounceThreshold: 0.025, holidayCountry: null });
    expect(r.changed.sort()).toEqual(["autoAnswerCaps", "autoAnswerMode", "bounceThreshold", "holidayCountry"]);
    expect(r.settings).toMatchObject({ autoAnswerMode: "AUTO", autoAnswerCaps: { perLeadPerDay: 1, perTenantPerDay: 50 }, bounceThreshold: 0.025, holidayCountry: null });
    const [row] = (
      await env.admin.query("SELECT settings, bounce_threshold::text AS b, auto_answer_daily_cap, auto_answer_tenant_daily_cap FROM tenants WHERE id = $1", [world.tenantId])
    ).rows;
    // The caps are the columns the reply worker reads, not a JSON key of their own.
    expect(row.settings).toMatchObject({ somethingElse: 7, holidayCountry: null });
    expect(row.settings).not.toHaveProperty("autoAnswerCaps");
    expect(row).toMatchObject({ auto_answer_daily_cap: 1, auto_answer_tenant_daily_cap: 50 });
    expect(row.b).toBe("0.0250");
    const audit = (await env.admin.query("SELECT actor_user_id, before, after FROM audit_log WHERE tenant_id = $1 AND action = 'tenant.settings_update' ORDER BY created_at DESC LIMIT 1", [world.tenantId])).rows[0];
    expect(audit.actor_user_id).toBe(users.admin!.id);
    expect(audit.before).toMatchObject({ autoAnswerMode: current.autoAnswerMode, holidayCountry: "RO" });
    expect(audit.after).toMatchObject({ autoAnswerMode: "AUTO", holidayCountry: null });
    // Saving the same values changes nothing and writes no audit row.
    const count = async () => Number((await env.admin.query("SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'tenant.settings_update'", [world.tenantId])).rows[0].count);
    const n = await count();
    const { updatedAt: _v, ...now } = r.settings;
    expect((await admin.settings.update(now)).changed).toEqual([]);
    expect(await count()).toBe(n);
    await admin.settings.update(current);
  });

  it("only admins read or change settings, users and providers; each admin sees only their tenant", async () => {
    for (const u of [users.manager!, users.rep!]) {
      const c = await callerFor(u);
      expect((await failureOf(c.settings.get())).code).toBe("FORBIDDEN");
      expect((await failureOf(c.settings.users())).code).toBe("FORBIDDEN");
      expect((await failureOf(c.settings.providers())).code).toBe("FORBIDDEN");
      expect((await failureOf(c.analytics.recompute({ from: "2026-06-01", to: "2026-06-02" }))).code).toBe("FORBIDDEN");
    }
    const otherAdmin = await callerFor(users.otherAdmin!);
    const { updatedAt: _u, ...theirs } = await otherAdmin.settings.get();
    await otherAdmin.settings.update({ ...theirs, sendingEndHour: 17 });
    expect((await (await callerFor(users.admin!)).settings.get()).sendingEndHour).toBe(18);
    expect((await otherAdmin.settings.users()).map((u) => u.id)).not.toContain(users.admin!.id);
  });

  it("provider status says sandbox or live and whether a key is set, never the key itself", async () => {
    const providers = await (await callerFor(users.admin!)).settings.providers();
    expect(providers.map((p) => p.provider)).toEqual(["timelinesai", "instantly", "resend", "llm"]);
    const text = JSON.stringify(providers);
    for (const secret of [process.env.TIMELINESAI_API_KEY, process.env.RESEND_API_KEY, "sandbox-timelinesai-token", "re_sandbox"]) if (secret) expect(text).not.toContain(secret);
    const webhook = await env.admin.query("INSERT INTO webhook_events (tenant_id, provider, provider_event_id, event_type, payload, raw_body, status, received_at) VALUES ($1, 'RESEND', 'evt-1', 'email.delivered', '{}', '{}', 'PROCESSED', '2026-06-10T06:00:00Z') RETURNING received_at", [world.tenantId]);
    const after = await (await callerFor(users.admin!)).settings.providers();
    expect(after.find((p) => p.provider === "resend")?.lastWebhookAt?.getTime()).toBe(new Date(webhook.rows[0].received_at).getTime());
    expect(after.find((p) => p.provider === "instantly")?.lastWebhookAt).toBeNull();
  });
});

describe("users and roles", () => {
  it("invites with a one-time password that signs in, changes roles, deactivates (ending sessions), never deletes", async () => {
    const admin = await callerFor(users.admin!);
    const invited = await admin.settings.inviteUser({ name: "Ana Vlad", email: "Ana.Vlad@Ferma.ro", role: "SALES_REP", locale: "ro" });
    expect(invited.oneTimePassword.length).toBeGreaterThanOrEqual(16);
    const [row] = (await env.admin.query("SELECT email, password_hash, role FROM users WHERE id = $1", [invited.user.id])).rows;
    expect(row.email).toBe("ana.vlad@ferma.ro");
    expect(row.password_hash).not.toContain(invited.oneTimePassword);
    const { verifyPassword } = await import("../../server/auth/password.server");
    expect(await verifyPassword(invited.oneTimePassword, row.password_hash)).toBe(true);
    // The password is not in the audit log.
    const audit = JSON.stringify((await env.admin.query("SELECT before, after FROM audit_log WHERE entity_id = $1", [invited.user.id])).rows);
    expect(audit).not.toContain(invited.oneTimePassword);
    expect((await failureOf(admin.settings.inviteUser({ name: "Dublură", email: "ana.vlad@ferma.ro", role: "SALES_REP", locale: "ro" }))).domainCode).toBe("USER_EMAIL_TAKEN");

    expect(await admin.settings.changeRole({ userId: invited.user.id, role: "MANAGER" })).toMatchObject({ changed: true, user: { role: "MANAGER" } });
    await env.admin.query("INSERT INTO user_sessions (tenant_id, user_id, token_hash, expires_at) VALUES ($1, $2, 'tok-ana', now() + interval '1 day')", [world.tenantId, invited.user.id]);
    expect(await admin.settings.setActive({ userId: invited.user.id, active: false })).toMatchObject({ changed: true, sessionsEnded: 1, user: { isActive: false } });
    expect((await env.admin.query("SELECT count(*)::int AS n FROM user_sessions WHERE user_id = $1", [invited.user.id])).rows[0].n).toBe(0);
    expect(await admin.settings.setActive({ userId: invited.user.id, active: true })).toMatchObject({ changed: true, user: { isActive: true } });
    expect((await env.admin.query("SELECT count(*)::int AS n FROM users WHERE id = $1", [invited.user.id])).rows[0].n).toBe(1);
    const actions = (await env.admin.query("SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY created_at", [invited.user.id])).rows.map((r) => r.action);
    expect(actions).toEqual(["user.invite", "user.role_change", "user.deactivate", "user.reactivate"]);
  });

  it("an admin cannot change themselves, the tenant keeps an active admin, and another tenant's users are not found", async () => {
    const admin = await callerFor(users.admin!);
    expect((await failureOf(admin.settings.changeRole({ userId: users.admin!.id, role: "MANAGER" }))).domainCode).toBe("USER_SELF_CHANGE");
    expect((await failureOf(admin.settings.setActive({ userId: users.admin!.id, active: false }))).domainCode).toBe("USER_SELF_CHANGE");
    // Two admins: one may demote the other, and then the last one cannot be demoted by anyone.
    expect(await admin.settings.changeRole({ userId: users.admin2!.id, role: "MANAGER" })).toMatchObject({ changed: true });
    const admin2 = await callerFor({ ...users.admin2!, role: "ADMIN" });
    expect((await failureOf(admin2.settings.setActive({ userId: users.admin!.id, active: false }))).domainCode).toBe("LAST_ADMIN");
    expect((await failureOf(admin2.settings.changeRole({ userId: users.admin!.id, role: "SALES_REP" }))).domainCode).toBe("LAST_ADMIN");
    const otherAdmin = await callerFor(users.otherAdmin!);
    expect((await failureOf(otherAdmin.settings.changeRole({ userId: users.rep!.id, role: "ADMIN" }))).code).toBe("NOT_FOUND");
    expect((await failureOf(otherAdmin.settings.setActive({ userId: users.rep!.id, active: false }))).code).toBe("NOT_FOUND");
    expect((await env.admin.query("SELECT role, is_active FROM users WHERE id = $1", [users.rep!.id])).rows[0]).toEqual({ role: "SALES_REP", is_active: true });
  });
});
