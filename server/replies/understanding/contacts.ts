import { toE164, type PreparedText } from "./normalize";
import type { SuggestedContact } from "./types";

/**
 * The person a WRONG_PERSON reply points to: "vorbiți cu fiul meu, Andrei" → { name: "Andrei",
 * role: "fiul" }; "sunați-l pe domnul Popescu la 0722 123 456" → { name: "Popescu", phone:
 * "+40722123456" }; "dați mail la office@agro.ro" → { email }. Names are read from the original
 * text (capital letters), roles and contexts from the folded text at the same positions.
 */

const ROLE_DISPLAY: readonly [RegExp, string][] = [
  [/^(?:fiul|fiului|fiu|baiatul|baiatului|son)$/, "fiul"],
  [/^(?:fiica|fiicei|daughter)$/, "fiica"],
  [/^(?:sotul|sotului|husband)$/, "soțul"],
  [/^(?:sotia|sotiei|wife)$/, "soția"],
  [/^(?:fratele|fratelui|brother)$/, "fratele"],
  [/^(?:sora|surorii|sister)$/, "sora"],
  [/^(?:ginerele|ginerelui)$/, "ginerele"],
  [/^(?:nora|nurorii)$/, "nora"],
  [/^(?:nepotul|nepotului|nephew|grandson)$/, "nepotul"],
  [/^(?:nepoata|nepoatei|niece|granddaughter)$/, "nepoata"],
  [/^(?:tata|tatal|tatalui|father|dad)$/, "tatăl"],
  [/^(?:mama|mamei|mother|mom)$/, "mama"],
  [/^(?:socrul|socrului)$/, "socrul"],
  [/^(?:soacra|soacrei)$/, "soacra"],
  [/^(?:cumnatul|cumnatului|cumnatu|cumnat)$/, "cumnatul"],
  [/^(?:cumnata|cumnatei)$/, "cumnata"],
  [/^(?:nevasta|nevestei)$/, "soția"],
  [/^(?:colegul|colegului|colleague)$/, "colegul"],
  [/^(?:colega|colegei)$/, "colega"],
  [/^(?:seful|sefului|boss)$/, "șeful"],
  [/^(?:sefa|sefei)$/, "șefa"],
  [/^administrator/, "administratorul"],
  [/^director/, "directorul"],
  [/^(?:contabila|contabilei)$/, "contabila"],
  [/^(?:contabil|accountant)/, "contabilul"],
  [/^agronom/, "agronomul"],
  [/^inginer/, "inginerul"],
  [/^manager/, "managerul"],
  [/^patron/, "patronul"],
  [/^(?:proprietar|owner)/, "proprietarul"],
  [/^(?:asociat|partner)/, "asociatul"],
  [/^responsabil/, "responsabilul"],
];
const ROLE_WORD =
  /\b(?:fiul|fiului|fiu(?=[\s-]+m[ie]u\b)|baiatul|baiatului|cumnatul|cumnatului|cumnatu|cumnata|cumnatei|nevasta|nevestei|fiica|fiicei|sotul|sotului|sotia|sotiei|fratele|fratelui|sora|surorii|ginerele|ginerelui|nora|nurorii|nepotul|nepotului|nepoata|nepoatei|tata|tatal|tatalui|mama|mamei|socrul|soacra|colegul|colegului|colega|colegei|seful|sefului|sefa|sefei|administrator\w*|director\w*|contabil\w*|agronom\w*|inginer\w*|manager\w*|patron\w*|proprietar\w*|asociat\w*|responsabil\w*|son|daughter|husband|wife|brother|sister|father|mother|colleague|boss|owner|partner|accountant|agronomist)\b/g;
/** The speaker's own role ("eu sunt doar contabila", "I'm just the accountant") is not the suggestion. */
const OWN_ROLE_BEFORE = /\b(?:sunt|i am|i'?m|am)\s+(?:doar |numai |just |only )?(?:the |an? )?$/;
const POSSESSIVE = /^[\s-]+(?:meu|miu|mea|mei|nostru|noastra|nostri|lui|ei|my|our|de ferma|de la ferma)\b/;

const NAME_WORD = String.raw`\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Lu}[\p{Ll}\p{M}]+)?`;
const NAMES_AT = new RegExp(String.raw`^\s*[,:]?\s*(${NAME_WORD}(?:\s+${NAME_WORD}){0,2})`, "u");
const HONORIFIC = new RegExp(
  String.raw`(?<![\p{L}])(?:[Dd]omnul|[Dd]omnului|[Dd]oamna|[Dd]oamnei|[Dd]l\.?|[Dd]na\.?|[Dd]-l|[Dd]-na|[Dd]-lui|[Mm]r\.?|[Mm]rs\.?|[Mm]s\.|[Ii]ng\.?)\s+(${NAME_WORD}(?:\s+${NAME_WORD}){0,2})`,
  "gu",
);
const REFERRAL = /\b(?:vorbiti|vorbeste|vorbim|discutati|luati legatura|contactati[\s-](?:l|o)|sunati[\s-](?:l|o)|suna[\s-](?:l|o)|(?:un )?(?:telefon|mesaj|sms|mail|email) lui|scrieti[\s-]i|dati[\s-]i|intrebati[\s-](?:l|o)|cautati[\s-](?:l|o)|speak|talk|ask for|contact|reach out to|get in touch)(?:\s+(?:cu|pe|lui|de|with|to))?\s*$/;
const IS_BEFORE = /\b(?:este|e|is|se numeste|il cheama|o cheama)\s*$/;
const NOT_A_NAME = new Set([
  "nu", "da", "va", "vă", "eu", "el", "ea", "noi", "voi", "buna", "bună", "salut", "multumesc", "mulțumesc", "mulţumesc",
  "ferma", "firma", "sc", "srl", "sa", "pfa", "ii", "whatsapp", "email", "mail", "telefon", "the", "our", "my", "please",
  "at", "la", "pe", "cu", "acolo", "aici", "acum", "el", "dumnealui", "dumneaei", "sunați", "sunati", "scrieți", "scrieti",
]);

function displayRole(word: string): string | undefined {
  for (const [re, display] of ROLE_DISPLAY) if (re.test(word)) return display;
  return undefined;
}

function cleanName(raw: string): string | undefined {
  const words = raw.trim().split(/\s+/).filter((w) => !NOT_A_NAME.has(w.toLowerCase()));
  return words.length > 0 ? words.join(" ") : undefined;
}

/** Name right after a position of the original text (", Andrei", " Vasile"). */
function nameAt(original: string, index: number): string | undefined {
  const m = NAMES_AT.exec(original.slice(index, index + 60));
  return m ? cleanName(m[1]!) : undefined;
}

export function extractContact(prep: PreparedText): SuggestedContact | null {
  const { original, folded } = prep;
  const contact: SuggestedContact = {};

  let name: string | undefined;
  let role: string | undefined;
  ROLE_WORD.lastIndex = 0;
  for (let m = ROLE_WORD.exec(folded); m !== null; m = ROLE_WORD.exec(folded)) {
    if (OWN_ROLE_BEFORE.test(folded.slice(Math.max(0, m.index - 24), m.index))) continue;
    role ??= displayRole(m[0]);
    if (!name) {
      let end = m.index + m[0].length;
      const possessive = POSSESSIVE.exec(folded.slice(end));
      if (possessive) end += possessive[0].length;
      name = nameAt(original, end);
    }
  }
  if (!name) {
    // "vorbiți cu Andrei", "speak with John, our manager"
    const words = /[\p{Lu}]/u;
    for (let i = 1; i < original.length && !name; i++) {
      if (!words.test(original[i]!) || /[\p{L}]/u.test(original[i - 1]!)) continue;
      if (REFERRAL.test(folded.slice(Math.max(0, i - 40), i)) || IS_BEFORE.test(folded.slice(Math.max(0, i - 20), i))) name = nameAt(original, i);
    }
  }
  if (!name) {
    HONORIFIC.lastIndex = 0;
    for (let m = HONORIFIC.exec(original); m !== null && !name; m = HONORIFIC.exec(original)) {
      // "S-a pensionat domnul Vlad": the person who left is not the one to talk to.
      if (/\b(?:pensionat|decedat|murit|plecat|fost)\s*$/.test(folded.slice(Math.max(0, m.index - 20), m.index))) continue;
      name = cleanName(m[1]!);
    }
  }
  const phone = prep.phones.map((p) => toE164(p.text)).find((p): p is string => p !== null);
  if (!name && prep.phones[0]) {
    // "0755-123-456, Bogdan."
    const p = prep.phones[0];
    name = nameAt(original, p.start + p.text.length);
  }

  if (name) contact.name = name;
  if (role) contact.role = role;
  if (phone) contact.phone = phone;
  const email = prep.emails[0];
  if (email) contact.email = original.slice(email.start, email.start + email.text.length).toLowerCase();
  return Object.keys(contact).length > 0 ? contact : null;
}
