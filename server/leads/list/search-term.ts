/**
 * What a rep types into the leads list's search box, turned into the fragment the database looks for in
 * a company's search text (name, CUI, phone and e-mail, folded by lead_fold(): lower case, no
 * diacritics; the folding of words happens in SQL so both sides use the same dictionary).
 *
 * Phones are stored in E.164 (+40722123456) and reps type them every which way (0722 123 456,
 * +40 722-123-456, 0040722123456), so a term made only of phone characters becomes its digits without
 * the trunk or country prefix: a fragment of the stored number. A CUI may carry the "RO" of VAT payers.
 */
export type SearchTerm = { kind: "digits" | "text"; fragment: string };

const PHONE_CHARS = /^[+\d\s().\-/]+$/;

export function searchTerm(raw: string): SearchTerm {
  const term = raw.trim();
  const cui = /^ro\s*(\d+)$/i.exec(term);
  if (cui) return { kind: "digits", fragment: cui[1]! };
  if (PHONE_CHARS.test(term) && /\d/.test(term)) {
    let digits = term.replace(/\D/g, "");
    if (term.startsWith("+40")) digits = digits.slice(2);
    else if (digits.startsWith("0040")) digits = digits.slice(4);
    else if (digits.length === 11 && digits.startsWith("40")) digits = digits.slice(2);
    else if (digits.startsWith("0")) digits = digits.slice(1);
    return { kind: "digits", fragment: digits };
  }
  return { kind: "text", fragment: term.replace(/\s+/g, " ") };
}
