import { z } from "zod";
import { saveUserLocale } from "../../auth/locale.server";
import { router, signedInProcedure } from "../init.server";

const meOutput = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(["ADMIN", "MANAGER", "SALES_REP"]),
  tenantId: z.string(),
  tenantName: z.string(),
  locale: z.enum(["ro", "en"]),
});

export const sessionRouter = router({
  me: signedInProcedure.output(meOutput).query(({ ctx }) => ({
    id: ctx.user.id,
    name: ctx.user.name,
    email: ctx.user.email,
    role: ctx.user.role,
    tenantId: ctx.user.tenantId,
    tenantName: ctx.user.tenantName,
    locale: ctx.user.locale,
  })),
  setLocale: signedInProcedure
    .input(z.object({ locale: z.enum(["ro", "en"]) }))
    .output(z.object({ locale: z.enum(["ro", "en"]) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.db((tx) => saveUserLocale(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, locale: input.locale }));
      return { locale: input.locale };
    }),
});
