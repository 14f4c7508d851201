/** The UI languages. Romanian is the team's language and the default everywhere a choice is missing. */
export const LOCALES = ["ro", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "ro";

/** Name of the cookie set by the header's language switch; it wins over the user's saved locale. */
export const LOCALE_COOKIE = "lang";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * BCP 47 tags for Intl. English uses en-GB rather than en-US so dates stay day-first and the week
 * starts on Monday, as the Romanian team reads them in either language.
 */
export const INTL_LOCALE: Record<Locale, string> = { ro: "ro-RO", en: "en-GB" };
