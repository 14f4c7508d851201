/**
 * GDPR: export everything held about a lead (reps answer access requests too: it is what they see on
 * the page), and erase it (irreversible: managers and admins).
 */
import { z } from "zod";
import { exportLeadData } from "../../../leads/gdpr-export.server";
import { eraseLeadData } from "../../../leads/gdpr-erase.server";
import { managerProcedure, repProcedure } from "../../init.server";
import { leadIdInput } from "./detail-schemas";

export const gdprExportProcedure = repProcedure
  .input(leadIdInput)
  .output(
    z.object({
      format: z.literal("cerniq-lead-export/1"),
      exportedAt: z.string(),
      leadId: z.uuid(),
      company: z.unknown(),
      journey: z.unknown(),
      messages: z.array(z.unknown()),
      stateHistory: z.array(z.unknown()),
      enrollments: z.array(z.unknown()),
      reviews: z.array(z.unknown()),
      notes: z.array(z.unknown()),
      decisions: z.array(z.unknown()),
      doNotContact: z.array(z.unknown()),
      webhookEvents: z.array(z.unknown()),
      audit: z.array(z.unknown()),
    }),
  )
  .mutation(({ ctx, input }) => ctx.db((tx) => exportLeadData(tx, { tenantId: ctx.user.tenantId, leadId: input.leadId, actor: ctx.actor, now: ctx.clock() })));

export const gdprEraseProcedure = managerProcedure
  .input(z.object({ leadId: z.uuid(), confirm: z.literal(true) }))
  .output(z.object({ leadId: z.uuid(), journeyId: z.uuid(), touched: z.record(z.string(), z.number().int()) }))
  .mutation(({ ctx, input }) => ctx.db((tx) => eraseLeadData(tx, { tenantId: ctx.user.tenantId, leadId: input.leadId, actor: ctx.actor, now: ctx.clock() }), { timeoutMs: 60_000 }));
