import type { Role } from "../auth/roles";

/**
 * Who changed something, for authorisation and the audit log. People act through tRPC; jobs
 * (health monitor, roll-over) and operator commands act as themselves, by name.
 */
export type Actor =
  | { type: "USER"; userId: string; role: Role; ip: string | null }
  | { type: "JOB" | "SYSTEM"; name: string };

export function auditActor(actor: Actor): { actorType: "USER" | "JOB" | "SYSTEM"; actorUserId: string | null; ip: string | null } {
  return actor.type === "USER"
    ? { actorType: "USER", actorUserId: actor.userId, ip: actor.ip }
    : { actorType: actor.type, actorUserId: null, ip: null };
}

/** Extra audit fields that name a non-user actor (the log has no column for a job's name). */
export function actorDetails(actor: Actor): { actor?: string } {
  return actor.type === "USER" ? {} : { actor: actor.name };
}
