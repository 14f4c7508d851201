/** The header's bell: a person's own notifications (issue 15). */
import { z } from "zod";
import { listNotifications, markNotificationsRead } from "../../notifications/notifications.server";
import { signedInProcedure, router } from "../init.server";

export const notificationsRouter = router({
  list: signedInProcedure
    .input(z.object({ limit: z.number().int().min(1).max(50).default(20) }).default({ limit: 20 }))
    .output(
      z.object({
        unread: z.number().int(),
        items: z.array(z.object({ id: z.uuid(), kind: z.string(), params: z.record(z.string(), z.unknown()), link: z.string().nullable(), reviewId: z.uuid().nullable(), readAt: z.date().nullable(), createdAt: z.date() })),
      }),
    )
    .query(({ ctx, input }) => ctx.db((tx) => listNotifications(tx, ctx.user.id, input.limit))),

  markRead: signedInProcedure
    .input(z.object({ ids: z.union([z.array(z.uuid()).max(100), z.literal("all")]) }))
    .output(z.object({ updated: z.number().int() }))
    .mutation(({ ctx, input }) => ctx.db(async (tx) => ({ updated: await markNotificationsRead(tx, ctx.user.id, input.ids, ctx.clock()) }))),
});
