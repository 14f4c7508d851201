/**
 * Text normalisation for reply understanding: what a farmer typed → one spelling the rules can read.
 *
 * 1. `stripQuoted`: only the new text is judged. Quoted history ("> …", "On … wrote:", "În … a scris:",
 *    Outlook's "From:/Sent:" block, "-----Original Message-----"), "Sent from my iPhone" lines and the
 *    signature after a closing formula ("Cu stimă,\nIon Popescu\n0744…") are cut, so our own quoted
 *    template ("răspundeți STOP") or the sender's own phone number never count.
 * 2. `foldText`: lower case and diacritics folded one character for one character (ă â → a, î → i,
 *    ș ş → s, ț ţ → t: both the comma-below letters U+0219/U+021B and the cedilla ones U+015F/U+0163
 *    that older phones and keyboards still send), so indices stay aligned with the original text.
 * 3. `canonicalText`: emails, links and phone numbers masked (`zemailz`, `zurlz`, `zphonez`) so no rule
 *    reads "0722 123 456" as a date; "n-am" → "nu am"; hyphens between letters → spaces ("sunați-mă" and
 *    "sunati ma" read the same); English contractions expanded; letters repeated 3+ times collapsed
 *    ("daaaa", "nuuu"); SMS spellings and common typos mapped word by word (`SPELLINGS`).
 * 4. `tokenize`: a tokeniser that keeps emails, URLs, phone numbers, dates, times, numbers, words and
 *    emojis whole.
 *
 * Everything here is compiled once at module load; per call there are only a handful of `replace`s.
 */

// ─── 1. Quoted history and signatures ────────────────────────────────────────────────────────────

/** A line from which everything (this line included) is quoted history or client boilerplate. */
const CUT_AT_LINE: readonly RegExp[] = [
  /^\s*>/,
  /^\s*(?:on|le|am|el)\s.{4,300}\s(?:wrote|a écrit|schrieb|escribió)\s*:?\s*$/i,
  /^\s*(?:în|in|pe|la|la data de|joi|vineri|luni|marți|marti|miercuri|sâmbătă|duminică)\b.{4,300}\sa\s+scris\s*:?\s*$/i,
  /^\s*(?:wrote|a scris)\s*:\s*$/i,
  /^\s*-{2,}\s*(?:original message|mesaj(?:ul)? original|forwarded message|mesaj redirec\S*|mesaj transmis)\s*-*\s*$/i,
  /^\s*_{8,}\s*$/,
  /^\s*(?:sent from my|sent from outlook|trimis de pe|trimis de pe telefonul|trimis din|get outlook for|obțineți outlook|obtineti outlook|descărcați outlook)\b/i,
  /^\s*--\s*$/,
];

/** Outlook-style header block ("From: …" followed by "Sent:"/"Subject:" lines). */
const HEADER_START = /^\s*(?:from|de la|expeditor)\s*:\s*\S/i;
const HEADER_NEXT = /^\s*(?:sent|date|to|subject|cc|trimis|data|către|catre|către|subiect)\s*:/i;

/** A closing formula alone on its line: what follows (≤ 6 short lines) is the sender's signature. */
const CLOSING_LINE =
  /^\s*(?:cu (?:stimă|stima|respect|drag|bine|considerație|consideratie|deosebită considerație)|toate cele bune|numai bine|o zi bun[aă]|salutări|salutari|best regards|kind regards|regards|best|cheers|thanks|thank you|mulțumesc|multumesc|mulțumim|multumim|mersi)\s*[,.!]*\s*$/i;

export function stripQuoted(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (CUT_AT_LINE.some((re) => re.test(line))) {
      // "On Mon, 2 Mar 2026 at 10:00, X <x@y>\nwrote:": the header started on the line before.
      end = /^\s*(?:wrote|a scris)\s*:\s*$/i.test(line) && i > 0 ? i - 1 : i;
      break;
    }
    if (HEADER_START.test(line) && lines.slice(i + 1, i + 4).some((l) => HEADER_NEXT.test(l))) {
      end = i;
      break;
    }
  }
  let kept = lines.slice(0, end);
  for (let i = 1; i < kept.length; i++) {
    if (!CLOSING_LINE.test(kept[i]!)) continue;
    const after = kept.slice(i + 1).filter((l) => l.trim() !== "");
    if (after.length <= 6 && after.every((l) => l.length <= 80 && !l.includes("?"))) {
      kept = kept.slice(0, i + 1);
      break;
    }
  }
  const result = kept.join("\n").trim();
  // A reply that is nothing but a quote (or an empty forward) is judged on what there is.
  return result === "" ? text.trim() : result;
}

// ─── 2. Folding ──────────────────────────────────────────────────────────────────────────────────

const FOLD = new Map<string, string>();
for (let code = 0xc0; code <= 0x24f; code++) {
  const ch = String.fromCharCode(code);
  const base = ch.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  if (base.length === 1) FOLD.set(ch, base);
}
for (const [from, to] of [
  ["\u2019", "'"], ["\u2018", "'"], ["\u201a", "'"], ["\u00b4", "'"], ["`", "'"],
  ["\u201c", '"'], ["\u201d", '"'], ["\u201e", '"'], ["\u00ab", '"'], ["\u00bb", '"'],
  ["\u2013", "-"], ["\u2014", "-"], ["\u2011", "-"], ["\u2026", "."], ["\u00a0", " "], ["\u202f", " "],
] as const) FOLD.set(from, to);
const FOLDABLE = /[A-Z\u00a0\u00b4\u00c0-\u024f\u2011\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2026\u202f`\u00ab\u00bb]/g;
const foldChar = (ch: string): string => FOLD.get(ch) ?? ch.toLowerCase();

/**
 * Lower case, Romanian (and other Latin) diacritics removed, typographic quotes and dashes made
 * plain. One UTF-16 unit in, one out: positions in the result are positions in the input.
 */
export function foldText(text: string): string {
  return text.replace(FOLDABLE, foldChar);
}

// ─── 4. Tokens (used by 3 for masking) ──────────────────────────────────────────────────────────

export type TokenKind = "email" | "url" | "phone" | "date" | "time" | "number" | "word" | "emoji" | "punct";
export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

const EMAIL_SRC = String.raw`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}`;
const URL_SRC = String.raw`(?:https?:\/\/|www\.)[^\s<>"]+[^\s<>".,;:!?)]`;
/**
 * Romanian numbers: 0 + 9 digits (07xx mobile, 02x/03x landline) or +40 / 0040 + 9 digits, with any
 * of space . - / between digit groups; other international numbers as + and 8–14 digits.
 */
const PHONE_SRC = String.raw`(?<![\p{L}\p{N}+]|\d[./-])(?:(?:\+|00)\s?40[\s./-]*(?:\(0\)[\s./-]*)?[237](?:[\s./-]?\d){8}|0[237](?:[\s./-]?\d){8}|\+(?!40)[1-9](?:[\s./-]?\d){7,13})(?![\p{N}]|[./-]\d)`;
const DATE_SRC = String.raw`\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?)\b`;
const TIME_SRC = String.raw`\b\d{1,2}:\d{2}\b`;
const NUMBER_SRC = String.raw`\b\d+(?:[.,]\d+)?\b`;
const WORD_SRC = String.raw`[\p{L}\p{M}]+(?:['-][\p{L}\p{M}]+)*`;
const EMOJI_SRC = String.raw`\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}])*`;
const TOKEN_RE = new RegExp(
  `(${EMAIL_SRC})|(${URL_SRC})|(${PHONE_SRC})|(${DATE_SRC})|(${TIME_SRC})|(${NUMBER_SRC})|(${WORD_SRC})|(${EMOJI_SRC})|([^\\s\\p{L}\\p{N}])`,
  "gu",
);
const TOKEN_KINDS: readonly TokenKind[] = ["email", "url", "phone", "date", "time", "number", "word", "emoji", "punct"];

/** Splits text into tokens; emails, URLs, phone numbers, dates and emojis come out whole. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(text); m !== null; m = TOKEN_RE.exec(text)) {
    let group = 1;
    while (group <= TOKEN_KINDS.length && m[group] === undefined) group++;
    tokens.push({ kind: TOKEN_KINDS[group - 1]!, text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return tokens;
}

export const EMAIL_RE = new RegExp(EMAIL_SRC, "gu");
export const PHONE_RE = new RegExp(PHONE_SRC, "gu");
const URL_RE = new RegExp(URL_SRC, "gu");
export const EMOJI_RE = new RegExp(EMOJI_SRC, "gu");

/** +40… E.164 for a Romanian number written any usual way; other "+" numbers keep their digits. */
export function toE164(raw: string): string | null {
  const digits = raw.replace(/\D/g, "");
  if (raw.trim().startsWith("+") || digits.startsWith("00")) {
    const intl = digits.startsWith("00") ? digits.slice(2) : digits;
    if (intl.startsWith("40")) {
      const national = intl.slice(2).replace(/^0/, "");
      return national.length === 9 ? `+40${national}` : null;
    }
    return intl.length >= 8 && intl.length <= 15 ? `+${intl}` : null;
  }
  if (digits.length === 10 && digits.startsWith("0")) return `+40${digits.slice(1)}`;
  return null;
}

// ─── 3. Canonical text ──────────────────────────────────────────────────────────────────────────

/**
 * SMS spellings, common typos and synonyms → one canonical word (or phrase). Keys are folded words.
 * English "thanks"/"please" share the Romanian canonical forms because the rules treat them alike.
 */
const SPELLINGS: Readonly<Record<string, string>> = {
  // mulțumesc
  multumesc: "multumesc", multumim: "multumesc", multam: "multumesc", multumiri: "multumesc", multumesk: "multumesc",
  multumsc: "multumesc", multumes: "multumesc", multmesc: "multumesc", mltm: "multumesc", mltms: "multumesc", mersi: "multumesc",
  merci: "multumesc", mersic: "multumesc", msi: "multumesc", ms: "multumesc", mss: "multumesc", mrc: "multumesc",
  thx: "multumesc", thanks: "multumesc", thank: "multumesc", ty: "multumesc", tnx: "multumesc",
  // vă rog
  vrog: "va rog", vrg: "va rog", pls: "va rog", plz: "va rog", pliz: "va rog", please: "va rog",
  // ok / da / bine
  k: "ok", kk: "ok", okk: "ok", okey: "ok", okay: "ok", oki: "ok", okei: "ok", okee: "ok", oky: "ok", okie: "ok",
  bn: "bine", daa: "da", dap: "da", dah: "da", mda: "da", nuu: "nu",
  // interes
  intresat: "interesat", intersat: "interesat", interesta: "interesat", intresata: "interesata", intersata: "interesata",
  intresati: "interesati", intersati: "interesati", intreseaza: "intereseaza", intereseza: "intereseaza",
  interseaza: "intereseaza", interesaza: "intereseaza", intereaza: "intereseaza", intereseazaa: "intereseaza",
  intresant: "interesant", interesnt: "interesant", intersant: "interesant",
  // common abbreviations
  nr: "numarul", numaru: "numarul", nmr: "numarul", pt: "pentru", ptr: "pentru", ptu: "pentru", pentr: "pentru",
  dc: "de ce", nush: "nu stiu", nuj: "nu stiu", nustiu: "nu stiu", nstiu: "nu stiu", vb: "vorbim", vbm: "vorbim",
  sapt: "saptamana", spt: "saptamana", tel: "telefon", acu: "acum", acuma: "acum", acm: "acum", amu: "acum",
  dvs: "dumneavoastra", dv: "dumneavoastra", dumneavoastra: "dumneavoastra", dumneavostra: "dumneavoastra",
  f: "foarte", cv: "ceva", nmk: "nimic", nmc: "nimic", mlt: "mult", detali: "detalii", info: "informatii",
  infos: "informatii", informati: "informatii", vrau: "vreau", wa: "whatsapp", watsap: "whatsapp", whatsap: "whatsapp",
  watsapp: "whatsapp", wapp: "whatsapp", whatsup: "whatsapp", mailuri: "emailuri", mailul: "emailul",
  unsubscibe: "unsubscribe", unsubcribe: "unsubscribe", unsuscribe: "unsubscribe",
  // English without apostrophes
  dont: "do not", doesnt: "does not", cant: "can not", wont: "will not", im: "i am", ive: "i have", isnt: "is not",
  arent: "are not", wasnt: "was not", didnt: "did not", youre: "you are", thats: "that is", lets: "let us",
};

const SPELLING_RE = /\b[a-z]+\b/g;
const spell = (word: string): string => SPELLINGS[word] ?? word;

export interface PreparedText {
  /** The new text only, original case and diacritics (used to read names). */
  original: string;
  /** `foldText(original)`: same length, index for index. */
  folded: string;
  /** Masked, expanded, de-typoed: what the rules match. */
  canonical: string;
  emails: { text: string; start: number }[];
  phones: { text: string; start: number }[];
  emojis: string[];
  /** Count of "!" (emphasis). */
  exclamations: number;
  /** Share of letters in upper case (shouting), 0..1. */
  upperRatio: number;
}

const collect = (re: RegExp, text: string): { text: string; start: number }[] => {
  const out: { text: string; start: number }[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push({ text: m[0], start: m.index });
  return out;
};

/** Folded text → what the rules read. Exported for tests of the spelling table. */
export function canonicalText(folded: string): string {
  // Each pass only when its trigger character is there: most replies have no email, link, number or apostrophe.
  let t = folded;
  if (t.includes("@")) t = t.replace(EMAIL_RE, " zemailz ");
  if (t.includes("http") || t.includes("www.")) t = t.replace(URL_RE, " zurlz ");
  if (/\d{3}/.test(t)) t = t.replace(PHONE_RE, " zphonez ");
  if (t.includes("'")) {
    t = t
      .replace(/\bwon't\b/g, "will not")
      .replace(/\bcan't\b/g, "can not")
      .replace(/\blet's\b/g, "let us")
      .replace(/([a-z])n't\b/g, "$1 not")
      .replace(/'m\b/g, " am")
      .replace(/'re\b/g, " are")
      .replace(/'ll\b/g, " will")
      .replace(/'ve\b/g, " have")
      .replace(/'d\b/g, " would")
      .replace(/'s\b/g, " is");
  }
  t = t
    // "n-am", "n-avem", "n-ar": the negation spelled out
    .replace(/\bn-(?=[a-z])/g, "nu ")
    // "suna-ti" (a frequent misspelling of "sunați") → one word
    .replace(/([a-z])-ti\b/g, "$1ti")
    .replace(/([a-z])-(?=[a-z])/g, "$1 ")
    .replace(/([a-z])\1{2,}/g, "$1")
    .replace(SPELLING_RE, spell)
    .replace(/\be mail\b/g, "email")
    .replace(/\bthank you\b/g, "multumesc")
    .replace(/\s+/g, " ");
  return t.trim();
}

export function prepareText(raw: string): PreparedText {
  const original = stripQuoted(raw);
  const folded = foldText(original);
  let letters = 0;
  let upper = 0;
  for (let i = 0; i < original.length; i++) {
    const c = original.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      letters++;
      if (c <= 90) upper++;
    }
  }
  let exclamations = 0;
  for (let i = original.indexOf("!"); i !== -1; i = original.indexOf("!", i + 1)) exclamations++;
  return {
    original,
    folded,
    canonical: canonicalText(folded),
    emails: folded.includes("@") ? collect(EMAIL_RE, folded) : [],
    phones: /\d{3}/.test(folded) ? collect(PHONE_RE, folded) : [],
    emojis: original.match(EMOJI_RE) ?? [],
    exclamations,
    upperRatio: letters >= 4 ? upper / letters : 0,
  };
}
