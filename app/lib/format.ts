import { DEFAULT_LOCALE, INTL_LOCALE, type Locale } from "./locale";

/**
 * Display formatting for the UI. Every date is shown in the business time zone, never the browser's or
 * the server's: a rep travelling abroad and a server running in UTC must see the same "today" as the
 * quota counter and the sending window, which both live on the Europe/Bucharest calendar.
 */
export const BUSINESS_TIME_ZONE = "Europe/Bucharest";

export type DateInput = Date | string | number;

/** Intl constructors are costly relative to a table cell; one instance per option set is enough. */
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat | Intl.PluralRules>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat | Intl.PluralRules>(
  key: string,
  create: () => T,
): T {
  let value = cache.get(key);
  if (!value) {
    value = create();
    cache.set(key, value);
  }
  return value as T;
}

function dateTimeFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(`dt|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(INTL_LOCALE[locale], options));
}

function numberFormat(locale: Locale, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return cached(`nf|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(INTL_LOCALE[locale], options));
}

export function pluralRules(locale: Locale): Intl.PluralRules {
  return cached(`pr|${locale}`, () => new Intl.PluralRules(INTL_LOCALE[locale]));
}

function toDate(value: DateInput): Date {
  return value instanceof Date ? value : new Date(value);
}

/** Shown for a missing or unparseable date, so a bad value reads as "unknown" rather than breaking the page. */
const NO_VALUE = "—";

function validDate(value: DateInput): Date | null {
  const date = toDate(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const DAY: Intl.DateTimeFormatOptions = { day: "2-digit", month: "2-digit", year: "numeric" };

/** `22.11.2026` (ro) / `22/11/2026` (en). */
export function formatDate(value: DateInput, locale: Locale = DEFAULT_LOCALE): string {
  const date = validDate(value);
  return date ? dateTimeFormat(locale, { ...DAY, timeZone: BUSINESS_TIME_ZONE }).format(date) : NO_VALUE;
}

/** `22.11.2026, 14:05` (ro) / `22/11/2026, 14:05` (en), 24-hour clock in both. */
export function formatDateTime(value: DateInput, locale: Locale = DEFAULT_LOCALE): string {
  const date = validDate(value);
  if (!date) return NO_VALUE;
  return dateTimeFormat(locale, {
    ...DAY,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: BUSINESS_TIME_ZONE,
  }).format(date);
}

/** `14:05`, 24-hour clock. */
export function formatTime(value: DateInput, locale: Locale = DEFAULT_LOCALE): string {
  const date = validDate(value);
  if (!date) return NO_VALUE;
  return dateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: BUSINESS_TIME_ZONE }).format(date);
}

/**
 * Formats a calendar day key `YYYY-MM-DD` (as the daily stats store it) without a time-zone trip:
 * the key already names a Bucharest day, so it is rendered as that day in UTC.
 * `style: "short"` gives `22.11` for chart axes; `"weekday"` gives `sâm., 22 nov.`.
 */
export function formatDayKey(dayKey: string, locale: Locale = DEFAULT_LOCALE, style: "date" | "short" | "weekday" = "date"): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dayKey);
  if (!match) return dayKey;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12));
  const options: Intl.DateTimeFormatOptions =
    style === "short"
      ? { day: "2-digit", month: "2-digit" }
      : style === "weekday"
        ? { weekday: "short", day: "numeric", month: "short" }
        : DAY;
  return dateTimeFormat(locale, { ...options, timeZone: "UTC" }).format(date);
}

const RELATIVE_STEPS: ReadonlyArray<[limitSeconds: number, unit: Intl.RelativeTimeFormatUnit, unitSeconds: number]> = [
  [60, "second", 1],
  [60 * 60, "minute", 60],
  [60 * 60 * 24, "hour", 60 * 60],
  [60 * 60 * 24 * 7, "day", 60 * 60 * 24],
  [60 * 60 * 24 * 30, "week", 60 * 60 * 24 * 7],
  [60 * 60 * 24 * 365, "month", 60 * 60 * 24 * 30],
  [Number.POSITIVE_INFINITY, "year", 60 * 60 * 24 * 365],
];

/**
 * `acum 5 minute`, `acum 20 de minute`, `ieri`, `peste 2 ore`; Intl supplies Romanian plural forms.
 * `now` is a parameter, not read from the clock, so server and client render the same text and tests
 * are deterministic. Under 45 seconds reads as "acum" (now) rather than a ticking second count.
 */
export function formatRelativeTime(value: DateInput, now: DateInput, locale: Locale = DEFAULT_LOCALE): string {
  const date = validDate(value);
  const reference = validDate(now);
  if (!date || !reference) return NO_VALUE;
  const diffSeconds = (date.getTime() - reference.getTime()) / 1000;
  const rtf = cached(`rt|${locale}`, () => new Intl.RelativeTimeFormat(INTL_LOCALE[locale], { numeric: "auto" }));
  const abs = Math.abs(diffSeconds);
  if (abs < 45) return rtf.format(0, "second");
  const [, unit, unitSeconds] = RELATIVE_STEPS.find(([limit]) => abs < limit) ?? RELATIVE_STEPS[RELATIVE_STEPS.length - 1]!;
  return rtf.format(Math.round(diffSeconds / unitSeconds), unit);
}

/** `1.234.567` (ro) / `1,234,567` (en). */
export function formatNumber(value: number, locale: Locale = DEFAULT_LOCALE, maximumFractionDigits = 0): string {
  return numberFormat(locale, { maximumFractionDigits }).format(value);
}

/**
 * `0.125` → `12,5%`. CLDR puts a no-break space before `%` in Romanian; the team's documents and the
 * seeds write `12,5%`, so the space is removed (in both languages, to keep columns the same width).
 */
export function formatPercent(ratio: number, locale: Locale = DEFAULT_LOCALE, maximumFractionDigits = 1): string {
  return numberFormat(locale, { style: "percent", maximumFractionDigits })
    .format(ratio)
    .replace(/\s+%/u, "%");
}

/** `1.234,50 RON` (ro) / `RON 1,234.50` (en); CLDR's no-break space is kept so the pair never wraps. */
export function formatMoney(amount: number, locale: Locale = DEFAULT_LOCALE, currency = "RON"): string {
  return numberFormat(locale, { style: "currency", currency }).format(amount);
}

/** ITU country codes of two digits; with `1` and `7` (one digit) the rest are three digits (E.164 codes are prefix-free). */
const TWO_DIGIT_CALLING_CODES = new Set([
  "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
  "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66",
  "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
]);

function callingCodeLength(digits: string): number {
  if (digits.startsWith("1") || digits.startsWith("7")) return 1;
  return TWO_DIGIT_CALLING_CODES.has(digits.slice(0, 2)) ? 2 : 3;
}

/** Romanian national significant numbers are 9 digits; grouping follows ANCOM's numbering plan. */
function groupRomanian(nsn: string): string {
  // Bucharest geographic numbers (21x, 31x) have a 2-digit area code and a 7-digit subscriber number.
  if (/^[23]1/.test(nsn)) return `${nsn.slice(0, 2)} ${nsn.slice(2, 5)} ${nsn.slice(5)}`;
  // Mobile (7xx), other geographic (2xx/3xx) and non-geographic (800, 90x) numbers: 3-3-3.
  return `${nsn.slice(0, 3)} ${nsn.slice(3, 6)} ${nsn.slice(6)}`;
}

/**
 * Normalises what reps type or providers send (`0722 123 456`, `0040722123456`, `+40-722-123-456`,
 * `40722123456`) to E.164 digits; null when it is not a plausible phone number.
 */
export function toE164(raw: string): string | null {
  const compact = raw.trim().replace(/[\s\-().]/g, "");
  let digits: string;
  if (compact.startsWith("+")) digits = compact.slice(1);
  else if (compact.startsWith("00")) digits = compact.slice(2);
  else if (/^0\d{9}$/.test(compact)) digits = `40${compact.slice(1)}`;
  else if (/^40\d{9}$/.test(compact)) digits = compact;
  else return null;
  if (!/^[1-9]\d{7,14}$/.test(digits)) return null;
  return `+${digits}`;
}

/**
 * `+40 722 123 456` for Romanian numbers; foreign numbers stay E.164 with the country code split off
 * (`+49 1701234567`), because each country groups differently and a wrong grouping misleads more than
 * none. Input that is not a phone number is returned unchanged so nothing a provider sent is hidden.
 */
export function formatPhone(raw: string): string {
  const e164 = toE164(raw);
  if (!e164) return raw.trim();
  const digits = e164.slice(1);
  const ccLength = callingCodeLength(digits);
  const countryCode = digits.slice(0, ccLength);
  const rest = digits.slice(ccLength);
  if (countryCode === "40" && rest.length === 9) return `+40 ${groupRomanian(rest)}`;
  return `+${countryCode} ${rest}`;
}
