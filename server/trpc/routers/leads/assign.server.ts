/** The lead's owner: a manager assigns anyone (or nobody), a rep only themselves; and who can be chosen. */
import { z } from "zod";
import { UserRole } from "../../../generated/prisma/enums";
import { assignLeadOwner } from "../../../leads/assign-owner.server";
import { repProcedure } from "../../init.server";
import { expectation } from "./detail-schemas";

export const assignProcedure = repProcedure
  .input(z.object({ leadId: z.uuid(), ownerId: z.uuid().nullable(), expected: expectation }))
  .output(z.object({ leadId: z.uuid(), journeyId: z.uuid(), owner: z.object({ id: z.uuid(), name: z.string() }).nullable(), changed: z.boolean() }))
  .mutation(({ ctx, input }) => ctx.db((tx) => assignLeadOwner(tx, { ...input, tenantId: ctx.user.tenantId, actor: ctx.actor })));

/** The tenant's active people, for the owner picker. */
export const ownersProcedure = repProcedure
  .output(z.array(z.object({ id: z.uuid(), name: z.string(), role: z.enum(UserRole) })))
  .query(({ ctx }) => ctx.db((tx) => tx.user.findMany({ where: { isActive: true }, orderBy: { name: "asc" }, select: { id: true, name: true, role: true } })));
