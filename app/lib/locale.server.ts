import { DEFAULT_LOCALE, LOCALE_COOKIE, isLocale, type Locale } from "./locale";

const ONE_YEAR_SECONDS = 60 * 60 * 24 * 365;

/** Reads the `lang` cookie; anything but a known locale is ignored rather than trusted. */
export function readLocaleCookie(request: Request): Locale | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === LOCALE_COOKIE) {
      const value = decodeURIComponent(rest.join("="));
      return isLocale(value) ? value : null;
    }
  }
  return null;
}

/** The language switch (cookie) beats the user's profile setting, which beats the default. */
export function resolveLocale(request: Request, user: { locale: Locale } | null): Locale {
  return readLocaleCookie(request) ?? user?.locale ?? DEFAULT_LOCALE;
}

/**
 * Not HttpOnly on purpose: it holds only a language code. SameSite=Lax keeps it off cross-site
 * sub-requests; a year is long enough that a rep chooses once per browser.
 */
export function serializeLocaleCookie(locale: Locale, secure: boolean): string {
  const parts = [`${LOCALE_COOKIE}=${locale}`, "Path=/", `Max-Age=${ONE_YEAR_SECONDS}`, "SameSite=Lax"];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

