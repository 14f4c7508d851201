/** The tenant's business settings (ADMIN). The schema is the form's own (server/settings/tenant-settings.ts). */
import { getQuotaStore } from "../../../quota/index.server";
import { refreshMirror } from "../../../phones/lifecycle.server";
import { getTenantSettings, updateTenantSettings } from "../../../settings/settings.server";
import { tenantSettingsSchema } from "../../../settings/tenant-settings";
import { logEvent, errorFields } from "../../../observability/logger.server";
import { adminProcedure } from "../../init.server";
import { settingsOutput, updateOutput } from "./schemas";

export const getSettingsProcedure = adminProcedure.output(settingsOutput).query(({ ctx }) => ctx.db((tx) => getTenantSettings(tx, ctx.user.tenantId)));

export const updateSettingsProcedure = adminProcedure
  .input(tenantSettingsSchema)
  .output(updateOutput)
  .mutation(async ({ ctx, input }) => {
    const store = getQuotaStore();
    const result = await ctx.db((tx) => updateTenantSettings(tx, { store }, { tenantId: ctx.user.tenantId, actor: ctx.actor, settings: input }));
    // Phones whose limit followed the quota default: their Redis mirrors from the committed rows.
    // A failure leaves Redis at the old limit until the next mirror write or resync (logged); a lower
    // limit was already written before the commit.
    for (const phoneId of result.phonesFollowingQuota) {
      try {
        await refreshMirror({ store }, ctx.db, phoneId);
      } catch (error) {
        logEvent("error", { action: "settings.mirror_refresh_failed", tenantId: ctx.user.tenantId, phoneId, error: errorFields(error) });
      }
    }
    return { settings: result.settings, changed: result.changed, phonesFollowingQuota: result.phonesFollowingQuota.length };
  });
