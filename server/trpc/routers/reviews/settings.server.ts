/** The tenant's reply and review settings (managers), and a test post to its Slack webhook. */
import { z } from "zod";
import { DomainError } from "../../../errors";
import { postToSlack } from "../../../notifications/slack.server";
import { getReplySettings, updateReplySettings } from "../../../review/preferences.server";
import { managerProcedure } from "../../init.server";
import { settingsInput, settingsOutput } from "./schemas";

export const getSettingsProcedure = managerProcedure.output(settingsOutput).query(({ ctx }) => ctx.db((tx) => getReplySettings(tx, ctx.user.tenantId)));

export const updateSettingsProcedure = managerProcedure
  .input(settingsInput)
  .output(settingsOutput)
  .mutation(({ ctx, input }) => ctx.db((tx) => updateReplySettings(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, changes: input })));

export const testSlackProcedure = managerProcedure.output(z.object({ status: z.number().int() })).mutation(async ({ ctx }) => {
  const url = await ctx.db(async (tx) => (await tx.tenant.findUniqueOrThrow({ where: { id: ctx.user.tenantId }, select: { slackWebhookUrl: true } })).slackWebhookUrl);
  if (!url) throw new DomainError("PRECONDITION_FAILED", "SLACK_NOT_CONFIGURED", "no Slack webhook is configured");
  return postToSlack(url, "Cerniq Outreach: mesaj de test pentru notificările echipei de revizuire.");
});
