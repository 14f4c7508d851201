/**
 * "Why it is here" in the reader's language. The reply worker stores the reason as codes with their
 * parameters (`whyParts`, server/replies/why.ts) beside the same text in Romanian (`why`); this renders
 * the codes with the dictionaries (`review.why.<code>`) and falls back to the stored Romanian text for
 * analyses written before the codes existed (or by another writer). Pure, browser-safe.
 */
import { whyPartsSchema, type WhyCode, type WhyPart } from "#server/replies/why";
import { formatDayKey } from "~/lib/format";
import { translate, type Locale, type MessageKey } from "~/lib/i18n";

function keyOf(code: WhyCode): MessageKey {
  return `review.why.${code}` satisfies MessageKey;
}

/** One part: numbers formatted by `translate`, the day (`until`) as the locale writes a date. */
export function whyPartText(part: WhyPart, locale: Locale): string {
  const params: Record<string, string | number> = { ...part.params };
  if (typeof params.until === "string") params.until = formatDayKey(params.until, locale);
  return translate(locale, keyOf(part.code), params);
}

/** The why of a stored analysis (`details` of a review item or of a reply), or null when it has none. */
export function whyText(details: Record<string, unknown> | null | undefined, locale: Locale): string | null {
  if (!details) return null;
  const parts = whyPartsSchema.safeParse(details.whyParts);
  if (parts.success) return parts.data.map((p) => whyPartText(p, locale)).join(" ");
  return typeof details.why === "string" && details.why.trim() !== "" ? details.why : null;
}
