/**
 * The tenant's people (settings page, ADMIN): invite, change role, deactivate and reactivate. Never
 * delete: a user's id stays on the audit log, the state history and the review items they handled.
 *
 * Invite creates the account with a one-time password, returned once to the admin who hands it over
 * (only its bcrypt hash is stored, so it cannot be shown again). Deactivating ends the user's sessions
 * at once (the session lookup also refuses inactive users) and leaves their leads and reviews assigned
 * for a manager to hand over. Guard rails: an admin cannot demote or deactivate themselves, and a
 * tenant always keeps at least one active admin.
 */
import { randomBytes } from "node:crypto";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../audit/actor";
import { hashPassword } from "../auth/password.server";
import type { Role } from "../auth/roles";
import type { TenantTx } from "../db/client.server";
import { DomainError, notFound } from "../errors";

const USER_SELECT = { id: true, name: true, email: true, role: true, locale: true, isActive: true, lastLoginAt: true, lockedUntil: true, createdAt: true } as const;

export async function listUsers(tx: TenantTx) {
  const users = await tx.user.findMany({ orderBy: [{ isActive: "desc" }, { role: "asc" }, { name: "asc" }], select: USER_SELECT });
  const workload = await tx.$queryRaw<Array<{ user_id: string; leads: number; reviews: number }>>`
    SELECT u.id::text AS user_id,
           (SELECT count(*)::int FROM gold_lead_journey j WHERE j.assigned_to_user = u.id) AS leads,
           (SELECT count(*)::int FROM human_review_queue r WHERE r.assigned_to_user = u.id AND r.status IN ('PENDING', 'ASSIGNED', 'IN_PROGRESS', 'ESCALATED')) AS reviews
      FROM users u`;
  const byUser = new Map(workload.map((w) => [w.user_id, w]));
  return users.map((u) => ({ ...u, assignedLeads: byUser.get(u.id)?.leads ?? 0, openReviews: byUser.get(u.id)?.reviews ?? 0 }));
}

/** 16 characters from 12 random bytes (base64url): above the password minimum, easy to read out. */
export function oneTimePassword(): string {
  return randomBytes(12).toString("base64url");
}

export interface InviteInput {
  tenantId: string;
  actor: Actor;
  name: string;
  email: string;
  role: Role;
  locale: "ro" | "en";
}

export async function inviteUser(tx: TenantTx, input: InviteInput): Promise<{ user: { id: string; email: string; name: string; role: Role }; oneTimePassword: string }> {
  const email = input.email.trim().toLowerCase();
  // Emails are unique across tenants (login is by email): the lookup function sees every tenant.
  const [taken] = await tx.$queryRaw<Array<{ user_id: string }>>`SELECT user_id::text FROM auth_user_for_login(${email})`;
  if (taken) throw new DomainError("CONFLICT", "USER_EMAIL_TAKEN", "an account with this email exists");
  const password = oneTimePassword();
  const user = await tx.user.create({
    data: { tenantId: input.tenantId, email, name: input.name.trim(), role: input.role, locale: input.locale, passwordHash: await hashPassword(password) },
    select: { id: true, email: true, name: true, role: true },
  });
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: "user.invite",
    entityType: "user",
    entityId: user.id,
    after: { email: user.email, name: user.name, role: user.role },
  });
  return { user, oneTimePassword: password };
}

async function lockUser(tx: TenantTx, userId: string) {
  await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
  const user = await tx.user.findUnique({ where: { id: userId }, select: USER_SELECT });
  if (!user) throw notFound("user", userId);
  return user;
}

/** Refuses a change that would leave the tenant without an active admin. */
async function assertAnotherActiveAdmin(tx: TenantTx, exceptUserId: string): Promise<void> {
  // Admin rows locked in id order, so two admins demoting each other at once cannot both pass.
  const admins = await tx.$queryRaw<Array<{ id: string }>>`SELECT id::text FROM users WHERE role = 'ADMIN' AND is_active ORDER BY id FOR UPDATE`;
  if (!admins.some((a) => a.id !== exceptUserId)) {
    throw new DomainError("PRECONDITION_FAILED", "LAST_ADMIN", "the tenant must keep at least one active administrator");
  }
}

function selfId(actor: Actor): string | null {
  return actor.type === "USER" ? actor.userId : null;
}

export async function changeUserRole(tx: TenantTx, input: { tenantId: string; actor: Actor; userId: string; role: Role }) {
  if (selfId(input.actor) === input.userId) throw new DomainError("PRECONDITION_FAILED", "USER_SELF_CHANGE", "you cannot change your own role");
  const user = await lockUser(tx, input.userId);
  if (user.role === input.role) return { user, changed: false };
  if (user.role === "ADMIN" && user.isActive) await assertAnotherActiveAdmin(tx, user.id);
  const updated = await tx.user.update({ where: { id: user.id }, data: { role: input.role }, select: USER_SELECT });
  await recordAudit(tx, { tenantId: input.tenantId, actor: input.actor, action: "user.role_change", entityType: "user", entityId: user.id, before: { role: user.role }, after: { role: updated.role } });
  return { user: updated, changed: true };
}

export async function setUserActive(tx: TenantTx, input: { tenantId: string; actor: Actor; userId: string; active: boolean }) {
  if (!input.active && selfId(input.actor) === input.userId) throw new DomainError("PRECONDITION_FAILED", "USER_SELF_CHANGE", "you cannot deactivate your own account");
  const user = await lockUser(tx, input.userId);
  if (user.isActive === input.active) return { user, changed: false, sessionsEnded: 0 };
  if (!input.active && user.role === "ADMIN") await assertAnotherActiveAdmin(tx, user.id);
  const updated = await tx.user.update({
    where: { id: user.id },
    // Reactivation also lifts a login lock: the admin vouches for the account.
    data: input.active ? { isActive: true, failedLoginAttempts: 0, lockedUntil: null } : { isActive: false },
    select: USER_SELECT,
  });
  const ended = input.active ? { count: 0 } : await tx.userSession.deleteMany({ where: { userId: user.id } });
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: input.active ? "user.reactivate" : "user.deactivate",
    entityType: "user",
    entityId: user.id,
    before: { isActive: user.isActive },
    after: { isActive: updated.isActive, sessionsEnded: ended.count },
  });
  return { user: updated, changed: true, sessionsEnded: ended.count };
}
