import { Form, useLocation } from "@remix-run/react";
import { GlobeIcon } from "~/components/icons";
import { useLocale, useT } from "~/lib/i18n";
import { LOCALES, type Locale } from "~/lib/locale";
import { cn } from "~/lib/utils";

const LABEL_KEY = { ro: "header.languageRo", en: "header.languageEn" } as const satisfies Record<Locale, string>;
const SHORT: Record<Locale, string> = { ro: "RO", en: "EN" };

/**
 * A real form posting to /set-locale, so it works before hydration and without JavaScript.
 * The current language is a pressed toggle; each option is named in its own language.
 */
export function LanguageSwitch({ className }: { className?: string }) {
  const t = useT();
  const current = useLocale();
  const location = useLocation();
  return (
    <Form method="post" action="/set-locale" className={cn("flex items-center gap-1", className)}>
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <GlobeIcon className="size-4 text-muted-foreground" />
      <fieldset className="flex overflow-hidden rounded-md border bg-card">
        <legend className="sr-only">{t("header.language")}</legend>
        {LOCALES.map((locale) => (
          <button
            key={locale}
            type="submit"
            name="locale"
            value={locale}
            lang={locale}
            aria-pressed={locale === current}
            aria-label={t(LABEL_KEY[locale])}
            title={t(LABEL_KEY[locale])}
            className={cn(
              "px-2 py-1 text-xs font-semibold transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-ring",
              locale === current ? "bg-primary text-primary-foreground" : "text-muted-foreground hover:bg-accent",
            )}
          >
            {SHORT[locale]}
          </button>
        ))}
      </fieldset>
    </Form>
  );
}
