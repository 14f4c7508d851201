/**
 * A lead's phone and e-mail as stored: phones in E.164 (Romanian numbers only: +40 and the 9 digits
 * of the national number, mobile 7xx or fixed 2xx/3xx), e-mail addresses trimmed and lower-case.
 * Isomorphic and pure (CSV import, bulk do-not-contact).
 */
import { z } from "zod";

/** `0722 123 456`, `+40 722-123-456`, `0040722123456`, `40722123456`, `722123456` → `+40722123456`; else null. */
export function normalizeRomanianPhone(raw: string): string | null {
  const trimmed = raw.trim();
  if (!/^[+\d\s().\-/]+$/.test(trimmed)) return null;
  let digits = trimmed.replace(/\D/g, "");
  if (trimmed.startsWith("+")) {
    if (!digits.startsWith("40")) return null;
    digits = digits.slice(2);
  } else if (digits.startsWith("0040")) digits = digits.slice(4);
  else if (digits.startsWith("40") && digits.length === 11) digits = digits.slice(2);
  else if (digits.startsWith("0")) digits = digits.slice(1);
  return /^[237]\d{8}$/.test(digits) ? `+40${digits}` : null;
}

const email = z.email();

export function normalizeEmail(raw: string): string | null {
  const value = raw.trim().toLowerCase();
  return email.safeParse(value).success ? value : null;
}

/** The domain of a stored (normalized) address. */
export const emailDomain = (address: string) => address.slice(address.lastIndexOf("@") + 1);
