/**
 * The do-not-contact list's keys: what an entry's `value` holds and what a lead's phone or address is
 * compared with. The same rule exists in SQL (`dnc_phone_key`, migration *_lead_page) for the send
 * paths' one-statement reads; tests/dnc/keys.test.ts holds the two equal. Isomorphic: the import
 * preview in the browser shows the keys that will be stored.
 *
 *   PHONE  → E.164: '+' and the digits, Romania's national forms made international
 *            (0722 123 456, 0040 722 123 456, 40722123456 → +40722123456)
 *   EMAIL  → the address, trimmed, lower-case
 *   DOMAIN → the domain, lower-case, without a leading '@' or 'www.'
 */
import type { DncType } from "../generated/prisma/enums";

export function phoneKey(raw: string): string | null {
  const d = raw.replace(/[^0-9]/g, "");
  if (d === "") return null;
  if (d.startsWith("0040")) return `+${d.slice(2)}`;
  if (d.startsWith("40") && d.length === 11) return `+${d}`;
  if (d.startsWith("0") && d.length === 10) return `+40${d.slice(1)}`;
  return `+${d}`;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN = /^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/;

export function emailKey(raw: string): string | null {
  const v = raw.trim().toLowerCase();
  return EMAIL.test(v) ? v : null;
}

export function domainOf(email: string): string {
  const v = email.trim().toLowerCase();
  return v.slice(v.lastIndexOf("@") + 1);
}

export function domainKey(raw: string): string | null {
  const v = raw.trim().toLowerCase().replace(/^@/, "").replace(/^www\./, "");
  return DOMAIN.test(v) ? v : null;
}

/** The key of a value of the given type, or null when it is not a phone / address / domain. */
export function dncKey(type: DncType, raw: string): string | null {
  if (type === "PHONE") {
    const k = phoneKey(raw);
    // At least a national number's worth of digits: "+40" alone or an extension is not a phone.
    return k && k.length >= 9 && k.length <= 16 ? k : null;
  }
  return type === "EMAIL" ? emailKey(raw) : domainKey(raw);
}

/** Entries kept after a GDPR erasure hold `sha256:<hex>` of their key instead of the key. */
export const HASHED_PREFIX = "sha256:";
export const isHashedValue = (value: string): boolean => value.startsWith(HASHED_PREFIX);
