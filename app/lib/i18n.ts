import { useMemo } from "react";
import { useRouteLoaderData } from "@remix-run/react";
import { formatNumber, pluralRules } from "./format";
import { DEFAULT_LOCALE, isLocale, type Locale } from "./locale";
import { en } from "./messages/en";
import { ro } from "./messages/ro";

export { DEFAULT_LOCALE, LOCALES, isLocale, type Locale } from "./locale";

/** A plural set keyed by Intl.PluralRules categories; `other` is the required fallback. */
export interface PluralMessage {
  readonly zero?: string;
  readonly one?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
}
export type Message = string | PluralMessage;

type SourceDictionary = typeof ro;
export type MessageKey = keyof SourceDictionary;
/** Every locale must translate every Romanian key; `satisfies`/annotation on `en` enforces it. */
export type Dictionary = { readonly [K in MessageKey]: Message };

type PlaceholdersOf<S> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | PlaceholdersOf<Rest> : never;
type PlaceholdersOfMessage<M> = M extends string
  ? PlaceholdersOf<M>
  : "count" | { [F in keyof M]: PlaceholdersOf<M[F]> }[keyof M];
type ParamName<K extends MessageKey> = PlaceholdersOfMessage<SourceDictionary[K]>;

/** `{count}` must be a number (it picks the plural form); other values may be text or numbers. */
export type MessageParams<K extends MessageKey> = {
  readonly [P in ParamName<K>]: P extends "count" ? number : string | number;
};
type ParamArgs<K extends MessageKey> = [ParamName<K>] extends [never] ? [] : [params: MessageParams<K>];

/** Keys whose messages take no parameters: what a data-driven label (e.g. a nav item) may point at. */
export type PlainMessageKey = { [K in MessageKey]: [ParamName<K>] extends [never] ? K : never }[MessageKey];

export type Translate = <K extends MessageKey>(key: K, ...args: ParamArgs<K>) => string;

export const DICTIONARIES: Readonly<Record<Locale, Dictionary>> = { ro, en };

function selectPlural(message: PluralMessage, count: number, locale: Locale): string {
  const category = pluralRules(locale).select(count) as keyof PluralMessage;
  return message[category] ?? message.other;
}

/**
 * Looks up `key` in `locale` and fills `{placeholders}`. Numbers are formatted for the locale
 * (`1.234` in Romanian). An unknown placeholder stays visible as `{name}` so a mistake shows in the UI
 * instead of silently disappearing.
 */
export function translate(locale: Locale, key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
  // Keys are checked at compile time; the fallbacks cover data-driven keys (an enum value the
  // dictionary does not know yet), which then show up as their key rather than as an empty string.
  const message: Message | undefined = DICTIONARIES[locale][key] ?? ro[key];
  if (message === undefined) return key;
  const count = params.count;
  const template =
    typeof message === "string" ? message : selectPlural(message, typeof count === "number" ? count : Number.NaN, locale);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? formatNumber(value, locale, 2) : value;
  });
}

export function createTranslator(locale: Locale): Translate {
  return ((key: MessageKey, params?: Readonly<Record<string, string | number>>) => translate(locale, key, params)) as Translate;
}

/** The root loader publishes `locale`; error boundaries may render without it, hence the fallback. */
export function localeFromRootData(data: unknown): Locale {
  if (typeof data === "object" && data !== null && "locale" in data && isLocale(data.locale)) return data.locale;
  return DEFAULT_LOCALE;
}

/** For `meta` functions, which run outside React and see loader data only through `matches`. */
export function localeFromMatches(matches: ReadonlyArray<{ id: string; data?: unknown }>): Locale {
  return localeFromRootData(matches.find((match) => match.id === "root")?.data);
}

/** `Lead-uri · Cerniq Outreach`: the document title of a page, in the page's language. */
export function pageTitle(matches: ReadonlyArray<{ id: string; data?: unknown }>, key: MessageKey): string {
  const locale = localeFromMatches(matches);
  return `${translate(locale, key)} · ${translate(locale, "app.name")}`;
}

export function useLocale(): Locale {
  return localeFromRootData(useRouteLoaderData("root"));
}

export function useT(): Translate {
  const locale = useLocale();
  return useMemo(() => createTranslator(locale), [locale]);
}
