/**
 * The Romanian fiscal code (CUI / CIF) and its control digit (ANAF's algorithm): the digits before
 * the last, padded on the left to 9, are multiplied by the key 7 5 3 2 1 7 5 3 2 and summed; the sum
 * times 10, modulo 11, is the control digit, 10 counting as 0. A CUI has 2 to 10 digits in all; VAT
 * payers write it with an "RO" prefix, which is not part of the code. Isomorphic and pure.
 */
const KEY = [7, 5, 3, 2, 1, 7, 5, 3, 2] as const;

/** The control digit for a CUI's body (its digits without the last one). */
export function cuiCheckDigit(body: string): number {
  if (!/^\d{1,9}$/.test(body)) throw new Error(`cuiCheckDigit: not a CUI body: ${body}`);
  const padded = body.padStart(9, "0");
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(padded[i]) * KEY[i]!;
  const control = (sum * 10) % 11;
  return control === 10 ? 0 : control;
}

/** "RO 1234567 8", "ro12345678" → "12345678" (digits only); null when it is not shaped like a CUI. */
export function normalizeCui(raw: string): string | null {
  const compact = raw.replace(/[\s.-]/g, "").replace(/^RO/i, "");
  return /^\d{2,10}$/.test(compact) && !compact.startsWith("0") ? compact : null;
}

export function isValidCui(raw: string): boolean {
  const cui = normalizeCui(raw);
  return cui !== null && cuiCheckDigit(cui.slice(0, -1)) === Number(cui.slice(-1));
}
