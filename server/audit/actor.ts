import type { Role } from "../auth/roles";

/**
 * Who does something: people act through the app (tRPC builds their actor from the session), jobs,
 * webhooks and operator commands act as themselves, by name. Use cases take an Actor to authorise,
 * to record who moved a lead (lead_state_history) and to write the audit log.
 *
 * A REST API key acts as a USER: the admin who issued it (audit_log.actor_user_id) with the key's role,
 * and `via` names the key ("api-key:<name>"), so every audit row says both who is answerable and
 * which integration did it.
 */
export type Actor =
  | { type: "USER"; userId: string; role: Role; ip: string | null; via?: string }
  | { type: "JOB" | "SYSTEM" | "WEBHOOK"; name: string };

export function auditActor(actor: Actor): { actorType: Actor["type"]; actorUserId: string | null; ip: string | null } {
  return actor.type === "USER"
    ? { actorType: "USER", actorUserId: actor.userId, ip: actor.ip }
    : { actorType: actor.type, actorUserId: null, ip: null };
}

/** Extra audit fields that name a non-user actor, or the API key a user acted through (the log has no column for either). */
export function actorDetails(actor: Actor): { actor?: string } {
  if (actor.type === "USER") return actor.via ? { actor: actor.via } : {};
  return { actor: actor.name };
}

/** The actor as lead_state_history records it: a user id, or the job / provider / component name. */
export function historyActor(actor: Actor): { type: Actor["type"]; id: string } {
  return { type: actor.type, id: actor.type === "USER" ? actor.userId : actor.name };
}
