/**
 * Leads: the state transition a person makes, and a lead's state history (issue 5 item 9).
 *
 * A person moves a lead through the funnel (→ WARM_REPLY for a reply that came by phone,
 * → NEGOTIATION, → CONVERTED), marks it DEAD, pauses and resumes it. CONTACTED_* record a send the
 * system made, so only the pipeline sets them. The side effects on sequences happen in the same
 * transaction: pausing the lead pauses its active enrollment, resuming into an outreach state resumes
 * it, a logged reply (→ WARM_REPLY) stops it as any reply does, DEAD and CONVERTED stop it.
 */
import { z } from "zod";
import { DomainError, notFound } from "../../errors";
import { ActorType, CurrentState } from "../../generated/prisma/enums";
import type { Prisma } from "../../generated/prisma/client";
import { transitionLead } from "../../lead-state/transition.server";
import { allowedTargets } from "../../lead-state/transitions";
import { insertAudit } from "../../phones/repository.server";
import { loadTenantQuotaSettings } from "../../quota/settings.server";
import { calendarFor } from "../../quota/window";
import { systemClock, type Clock } from "../../clock";
import { ENROLLABLE_STATES, openEnrollmentIds, pauseEnrollment, resumeEnrollment, stopAllForJourney, stopOnReply } from "../../sequences/sequences.server";
import { repProcedure, router } from "../init.server";

const state = z.enum(CurrentState);
/** Every state is accepted as input so that resuming from PAUSED can name the state paused from. */
const MANUAL_TARGETS = ["WARM_REPLY", "NEGOTIATION", "CONVERTED", "DEAD", "PAUSED", "COLD", "CONTACTED_WA", "CONTACTED_EMAIL"] as const;
/** Set only by the pipeline (they record sends), except as the target of a resume. */
const SYSTEM_ONLY: ReadonlySet<CurrentState> = new Set(["COLD", "CONTACTED_WA", "CONTACTED_EMAIL"]);

const transitionOutput = z.object({
  changed: z.boolean(),
  journeyId: z.uuid(),
  leadId: z.uuid(),
  from: state,
  to: state,
  historyId: z.uuid().nullable(),
  allowedNext: z.array(state),
  enrollments: z.object({ paused: z.number().int(), resumed: z.number().int(), stopped: z.array(z.uuid()) }),
});

const historyItem = z.object({
  id: z.uuid(),
  fromState: state.nullable(),
  toState: state,
  actorType: z.enum(ActorType),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  reason: z.string().nullable(),
  metadata: z.unknown(),
  createdAt: z.date(),
});

export function createLeadsRouter(deps: { clock: Clock } = { clock: systemClock }) {
  return router({
    /** Moves a lead by a person's decision. `expectedFrom` is the state the rep's screen showed. */
    transition: repProcedure
      .input(
        z.object({
          leadId: z.uuid(),
          to: z.enum(MANUAL_TARGETS),
          reason: z.string().trim().min(1).max(1000),
          expectedFrom: state.optional(),
        }),
      )
      .output(transitionOutput)
      .mutation(({ ctx, input }) =>
        ctx.db(async (tx) => {
          const now = deps.clock();
          const journey = await tx.goldLeadJourney.findFirst({ where: { leadId: input.leadId }, select: { id: true, currentState: true, previousState: true } });
          if (!journey) throw notFound("lead", input.leadId);
          const resuming = journey.currentState === "PAUSED" && input.to === journey.previousState;
          if (SYSTEM_ONLY.has(input.to) && !resuming) {
            throw new DomainError("BAD_INPUT", "TRANSITION_NOT_MANUAL", `${input.to} records a send the system made; it is not set by hand`, { to: input.to });
          }
          const r = await transitionLead(tx, {
            journeyId: journey.id,
            to: input.to,
            actor: { type: "USER", id: ctx.user.id },
            reason: input.reason,
            metadata: { requestId: ctx.requestId },
            expectedFrom: input.expectedFrom,
            at: now,
          });

          const enrollments = { paused: 0, resumed: 0, stopped: [] as string[] };
          if (r.changed) {
            if (r.to === "PAUSED") {
              for (const id of await openEnrollmentIds(tx, journey.id, ["ACTIVE"])) {
                await pauseEnrollment(tx, id, now);
                enrollments.paused += 1;
              }
            } else if (r.from === "PAUSED" && ENROLLABLE_STATES.has(r.to)) {
              const calendar = calendarFor((await loadTenantQuotaSettings(tx, ctx.user.tenantId)).window);
              for (const id of await openEnrollmentIds(tx, journey.id, ["PAUSED"])) {
                await resumeEnrollment(tx, id, now, calendar);
                enrollments.resumed += 1;
              }
            }
            if (r.to === "WARM_REPLY") {
              // A reply a rep logs by hand (a phone call) stops sequences like any other reply.
              enrollments.stopped = (await stopOnReply(tx, journey.id, "PHONE", { now })).map((e) => e.enrollmentId);
            }
            if (r.to === "DEAD" || r.to === "CONVERTED") {
              enrollments.stopped = (await stopAllForJourney(tx, journey.id, `Lead ${r.to === "DEAD" ? "marcat ca pierdut" : "convertit"}: ${input.reason}`, now)).map((e) => e.enrollmentId);
            }
            await insertAudit(tx, {
              tenantId: ctx.user.tenantId,
              actorType: "USER",
              actorUserId: ctx.user.id,
              action: "lead.transition",
              entityType: "gold_lead_journey",
              entityId: journey.id,
              before: { state: r.from } as Prisma.InputJsonValue,
              after: { state: r.to, reason: input.reason, enrollments } as Prisma.InputJsonValue,
              ip: ctx.ip,
            });
          }
          const after = await tx.goldLeadJourney.findUniqueOrThrow({ where: { id: journey.id }, select: { currentState: true, previousState: true } });
          return { ...r, allowedNext: allowedTargets(after.currentState, after.previousState), enrollments };
        }),
      ),

    /** The lead's state history, newest first, with who moved it and why. */
    history: repProcedure
      .input(z.object({ leadId: z.uuid(), limit: z.number().int().min(1).max(500).default(100) }))
      .output(z.object({ currentState: state, previousState: state.nullable(), allowedNext: z.array(state), items: z.array(historyItem) }))
      .query(({ ctx, input }) =>
        ctx.db(async (tx) => {
          const journey = await tx.goldLeadJourney.findFirst({ where: { leadId: input.leadId }, select: { id: true, currentState: true, previousState: true } });
          if (!journey) throw notFound("lead", input.leadId);
          const rows = await tx.leadStateHistory.findMany({
            where: { journeyId: journey.id },
            orderBy: [{ createdAt: "desc" }, { id: "asc" }],
            take: input.limit,
            select: { id: true, fromState: true, toState: true, actorType: true, actorId: true, reason: true, metadata: true, createdAt: true },
          });
          const userIds = [...new Set(rows.filter((r) => r.actorType === "USER" && r.actorId).map((r) => r.actorId as string))].filter((id) =>
            /^[0-9a-f-]{36}$/i.test(id),
          );
          const users = userIds.length ? await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : [];
          const names = new Map(users.map((u) => [u.id, u.name]));
          return {
            currentState: journey.currentState,
            previousState: journey.previousState,
            allowedNext: allowedTargets(journey.currentState, journey.previousState),
            items: rows.map((r) => ({ ...r, actorName: r.actorType === "USER" && r.actorId ? (names.get(r.actorId) ?? null) : r.actorId })),
          };
        }),
      ),
  });
}

export const leadsRouter = createLeadsRouter();
