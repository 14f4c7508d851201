/** The tenant's people (ADMIN): list, invite, change role, deactivate/reactivate. Never delete. */
import { z } from "zod";
import { ROLES } from "../../../auth/roles";
import { changeUserRole, inviteUser, listUsers, setUserActive } from "../../../users/users.server";
import { adminProcedure } from "../../init.server";
import { inviteInput, inviteOutput, userListOutput, userOutput } from "./schemas";

export const listUsersProcedure = adminProcedure.output(userListOutput).query(({ ctx }) => ctx.db((tx) => listUsers(tx)));

export const inviteUserProcedure = adminProcedure
  .input(inviteInput)
  .output(inviteOutput)
  .mutation(({ ctx, input }) => ctx.db((tx) => inviteUser(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, ...input })));

export const changeRoleProcedure = adminProcedure
  .input(z.object({ userId: z.uuid(), role: z.enum(ROLES) }))
  .output(z.object({ user: userOutput, changed: z.boolean() }))
  .mutation(({ ctx, input }) => ctx.db((tx) => changeUserRole(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, ...input })));

export const setActiveProcedure = adminProcedure
  .input(z.object({ userId: z.uuid(), active: z.boolean() }))
  .output(z.object({ user: userOutput, changed: z.boolean(), sessionsEnded: z.number().int() }))
  .mutation(({ ctx, input }) => ctx.db((tx) => setUserActive(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, ...input })));
