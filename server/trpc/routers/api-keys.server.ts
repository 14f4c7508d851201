/**
 * REST API keys (issue 12 item 5), managed by admins in the app. Deliberately not on the REST API
 * itself (no `rest(…)` meta): a key never manages keys.
 */
import { z } from "zod";
import { createApiKey, listApiKeys, revokeApiKey } from "../../api/api-keys.server";
import { apiKeyView, createApiKeyInput, createApiKeyOutput, revokeApiKeyInput } from "../../api/schemas";
import { adminProcedure, router } from "../init.server";

export const apiKeysRouter = router({
  list: adminProcedure.output(z.array(apiKeyView)).query(({ ctx }) => ctx.db((tx) => listApiKeys(tx))),
  create: adminProcedure
    .input(createApiKeyInput)
    .output(createApiKeyOutput)
    .mutation(({ ctx, input }) => ctx.db((tx) => createApiKey(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, ...input }))),
  revoke: adminProcedure
    .input(revokeApiKeyInput)
    .output(apiKeyView)
    .mutation(({ ctx, input }) => ctx.db((tx) => revokeApiKey(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, apiKeyId: input.apiKeyId }, ctx.clock()))),
});
