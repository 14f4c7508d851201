import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getEnv } from "#server/config/env.server";
import { isLocale } from "~/lib/locale";
import { serializeLocaleCookie } from "~/lib/locale.server";
import { safeRedirectPath } from "~/lib/redirect";

/**
 * The header's language switch posts here. A cookie (not the user's profile) holds the choice so it
 * also works on the sign-in page and survives signing out; it overrides the profile's locale.
 */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const locale = form.get("locale");
  const back = safeRedirectPath(form.get("redirectTo"), "/");
  if (!isLocale(locale)) return redirect(back);
  return redirect(back, { headers: { "Set-Cookie": serializeLocaleCookie(locale, getEnv().COOKIE_SECURE) } });
}

/** Nothing to show: someone who opens the URL directly goes home. */
export function loader() {
  return redirect("/");
}
