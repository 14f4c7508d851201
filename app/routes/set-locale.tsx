import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { saveUserLocale } from "#server/auth/locale.server";
import { getSessionUser } from "#server/auth/session.server";
import { getEnv } from "#server/config/env.server";
import { withTenant } from "#server/db/client.server";
import { isLocale } from "~/lib/locale";
import { serializeLocaleCookie } from "~/lib/locale.server";
import { safeRedirectPath } from "~/lib/redirect";

/**
 * The header's language switch posts here. A cookie holds the choice so it also works on the sign-in
 * page and survives signing out; a signed-in person's choice is saved on their user too, so it follows
 * them to another browser (where no cookie overrides it).
 */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const locale = form.get("locale");
  const back = safeRedirectPath(form.get("redirectTo"), "/");
  if (!isLocale(locale)) return redirect(back);
  const user = await getSessionUser(request);
  if (user) {
    const actor = { type: "USER" as const, userId: user.id, role: user.role, ip: null };
    await withTenant(user.tenantId, (tx) => saveUserLocale(tx, { tenantId: user.tenantId, actor, locale }));
  }
  return redirect(back, { headers: { "Set-Cookie": serializeLocaleCookie(locale, getEnv().COOKIE_SECURE) } });
}

/** Nothing to show: someone who opens the URL directly goes home. */
export function loader() {
  return redirect("/");
}
