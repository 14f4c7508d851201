import { getEnv } from "../../../config/env.server";
import { providerStatus } from "../../../settings/providers.server";
import { adminProcedure } from "../../init.server";
import { providerOutput } from "./schemas";

/** Sandbox or live, key present (never the key), last webhook received, per provider. */
export const providersProcedure = adminProcedure.output(providerOutput).query(({ ctx }) => ctx.db((tx) => providerStatus(tx, getEnv())));
