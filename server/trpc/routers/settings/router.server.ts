/**
 * Tenant settings (issue 11 "Settings", ADMIN only): business settings, users and roles, provider
 * status. One area per file beside this one, schemas in schemas.ts; this file only wires them.
 */
import { router } from "../../init.server";
import { providersProcedure } from "./providers.server";
import { getSettingsProcedure, updateSettingsProcedure } from "./tenant.server";
import { changeRoleProcedure, inviteUserProcedure, listUsersProcedure, setActiveProcedure } from "./users.server";

export const settingsRouter = router({
  get: getSettingsProcedure,
  update: updateSettingsProcedure,
  users: listUsersProcedure,
  inviteUser: inviteUserProcedure,
  changeRole: changeRoleProcedure,
  setActive: setActiveProcedure,
  providers: providersProcedure,
});
