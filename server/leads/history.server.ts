/** A lead's state history, newest first, with who moved it (a person's name, or the job / provider) and why. */
import type { TenantTx } from "../db/client.server";
import { notFound } from "../errors";
import type { ActorType, CurrentState } from "../generated/prisma/enums";
import { allowedTargets } from "../lead-state/transitions";

export interface LeadHistory {
  currentState: CurrentState;
  previousState: CurrentState | null;
  allowedNext: CurrentState[];
  items: Array<{
    id: string;
    fromState: CurrentState | null;
    toState: CurrentState;
    actorType: ActorType;
    actorId: string | null;
    actorName: string | null;
    reason: string | null;
    metadata: unknown;
    createdAt: Date;
  }>;
}

const UUID = /^[0-9a-f-]{36}$/i;

export async function leadHistory(tx: TenantTx, leadId: string, limit: number): Promise<LeadHistory> {
  const journey = await tx.goldLeadJourney.findFirst({ where: { leadId }, select: { id: true, currentState: true, previousState: true } });
  if (!journey) throw notFound("lead", leadId);
  const rows = await tx.leadStateHistory.findMany({
    where: { journeyId: journey.id },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: limit,
    select: { id: true, fromState: true, toState: true, actorType: true, actorId: true, reason: true, metadata: true, createdAt: true },
  });
  const userIds = [...new Set(rows.filter((r) => r.actorType === "USER" && r.actorId && UUID.test(r.actorId)).map((r) => r.actorId as string))];
  const users = userIds.length ? await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : [];
  const names = new Map(users.map((u) => [u.id, u.name]));
  return {
    currentState: journey.currentState,
    previousState: journey.previousState,
    allowedNext: allowedTargets(journey.currentState, journey.previousState),
    items: rows.map((r) => ({ ...r, actorName: r.actorType === "USER" && r.actorId ? (names.get(r.actorId) ?? null) : r.actorId })),
  };
}
