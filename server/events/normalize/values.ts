/** Small value parsers shared by the provider normalizers. */

/** An ISO time from the provider, or `fallback` when absent or unparsable (the event still counts). */
export function eventTime(value: string | null | undefined, fallback: Date): Date {
  if (!value) return fallback;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? fallback : new Date(ms);
}

const ADDRESS = /<([^<>\s]+@[^<>\s]+)>|([^\s<>,;]+@[^\s<>,;]+)/;

/** "Ion Popescu <ion@ferma.ro>" or "ion@ferma.ro" → "ion@ferma.ro" (lower-case); undefined if none. */
export function emailAddress(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const m = ADDRESS.exec(value);
  const address = m?.[1] ?? m?.[2];
  return address ? address.toLowerCase() : undefined;
}

/** "+40 712-345 678", "40712345678@s.whatsapp.net" → "+40712345678"; undefined without digits. */
export function e164(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const jid = /^(\d+)@/.exec(value.trim());
  const digits = (jid ? jid[1]! : value).replace(/\D/g, "");
  return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : undefined;
}
