import { extractContact } from "./contacts";
import { CONTRAST, CUES, NEGATION_BEFORE, NEGATIVE_EMOJI, POLITE, POSITIVE_EMOJI, AUTO_SUBJECT, type Cue } from "./lexicon";
import { canonicalText, foldText, prepareText, type PreparedText } from "./normalize";
import { latestTimeExpression, type TimeExpression } from "./time-expressions";
import {
  KEYWORD_TRIGGERS,
  type KeywordTrigger,
  type ReplyInput,
  type ReplyIntent,
  type ReplyUnderstanding,
  type ReplyUnderstandingEngine,
  type ReplyUnderstandingRequest,
} from "./types";

/**
 * The built-in engine: Romanian-first rules over the normalised text, deterministic and fast (no
 * allocation beyond a few small arrays per reply; every regex is compiled at module load).
 *
 * 1. Cues (lexicon.ts) are matched on the canonical text. A cue with `neg` preceded by a negation in
 *    its clause counts for the opposite intent ("nu sunt interesat"); after a contrast ("dar",
 *    "însă", "but") cues weigh 1.4×, before it 0.7× ("nu acum, dar trimiteți oferta" is INTERESTED).
 * 2. A named time adds to LATER (more the further away it is); requests to be contacted count as
 *    LATER when that time is a week or more away ("sunați-mă în aprilie").
 * 3. Gates, in the order that matters for safety: COMPLAINT, then UNSUBSCRIBE, then AUTO_REPLY, then
 *    WRONG_PERSON: any of them with enough evidence wins whatever else the reply says. Then a price
 *    question wins over interest and questions (it is a keyword trigger); then the strongest of
 *    NOT_INTERESTED, LATER, INTERESTED, QUESTION (ties in that order).
 * 4. Score within the intent's band (see SCORE_BANDS), moved by tone (emojis, politeness, shouting).
 *    Confidence from the winner's evidence and its margin over the runner-up.
 */

export const BUILTIN_ENGINE_VERSION = "builtin-ro-1.0.0";
export const DEFAULT_TIME_ZONE = "Europe/Bucharest";

/** Evidence needed for a gate to win outright. */
const GATE_MIN: Partial<Record<ReplyIntent, number>> = { COMPLAINT: 1, UNSUBSCRIBE: 1, AUTO_REPLY: 1.2, WRONG_PERSON: 1 };
const GATES: readonly ReplyIntent[] = ["COMPLAINT", "UNSUBSCRIBE", "AUTO_REPLY", "WRONG_PERSON"];
/** Competition order for the rest; earlier wins ties (a refusal is the safer reading). */
const CONTENDERS: readonly ReplyIntent[] = ["NOT_INTERESTED", "LATER", "INTERESTED", "QUESTION"];
const PRICE_MIN = 0.9;
/** AUTO_REPLY evidence needed when the reply also asks to be contacted and says nothing of being automatic. */
const HUMAN_AUTO_MIN = 2.2;
/** With nothing else in the text, this much auto-reply evidence is enough ("Programul nostru este L-V 8-16"). */
const WEAK_AUTO_MIN = 0.8;

/** Score bands per intent (issue #15 guidance). */
export const SCORE_BANDS: Readonly<Record<ReplyIntent, readonly [number, number]>> = {
  INTERESTED: [60, 95],
  PRICE_REQUEST: [50, 75],
  QUESTION: [20, 60],
  LATER: [5, 35],
  AUTO_REPLY: [0, 0],
  WRONG_PERSON: [0, 15],
  NOT_INTERESTED: [-70, -30],
  UNSUBSCRIBE: [-90, -60],
  COMPLAINT: [-100, -80],
};

const INTENT_RO: Readonly<Record<ReplyIntent, string>> = {
  INTERESTED: "Interesat",
  QUESTION: "Întrebare",
  PRICE_REQUEST: "Cere prețul",
  LATER: "Mai târziu",
  WRONG_PERSON: "Persoană greșită",
  NOT_INTERESTED: "Nu este interesat",
  UNSUBSCRIBE: "Cere să nu mai fie contactat",
  COMPLAINT: "Reclamație",
  AUTO_REPLY: "Răspuns automat",
};
const MONTHS_RO = ["ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august", "septembrie", "octombrie", "noiembrie", "decembrie"];

const EN_WORDS = /\b(?:the|you|your|we|is|are|not|thanks|thank|me|my|our|this|for|with|will|i|have|do|does|can|could|would|what|how|when|where|who|yes|no|please|sorry|send|call|next|from|office|out)\b/g;
const RO_WORDS = /\b(?:si|nu|va|sa|de|la|pe|cu|ne|mi|ma|este|sunt|suntem|pentru|acum|multumesc|mersi|da|ce|cum|cand|unde|aveti|buna|ziua|reveniti|vreau|noi|voi|dumneavoastra|ati|am|avem|mai|rog|pret|cat|sau|dar|e)\b/g;
const MAYBE = /\b(?:poate|maybe|probabil|perhaps|eventual)\b/;

interface Hit {
  cue: Cue;
  intent: ReplyIntent;
  weight: number;
  index: number;
  snippet: string;
}

const AUTO_SUBJECT_CUE: Cue = { id: "auto.subject", intent: "AUTO_REPLY", weight: 2, re: AUTO_SUBJECT, label: "subiect de răspuns automat" };
const TIME_CUE: Cue = { id: "later.time", intent: "LATER", weight: 0, re: /$^/, label: "numește un moment" };

function countMatches(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text) !== null) n++;
  return n;
}

/** Whether a negation ("nu", "nici", "not"…) precedes an index within its clause (cut at punctuation or "dar"). */
function negatedAt(text: string, index: number): boolean {
  let start = Math.max(0, index - 32);
  for (let i = index - 1; i >= start; i--) {
    if (".!?;,\n".includes(text[i]!)) {
      start = i + 1;
      break;
    }
  }
  const window = text.slice(start, index);
  return NEGATION_BEFORE.test(window) && !/\b(?:dar|insa|but)\b/.test(window);
}

function formatDateRo(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return `${d} ${MONTHS_RO[m - 1]} ${y}`;
}

/** The original words behind a canonical snippet when they can be found (keeps diacritics for the reason). */
function displaySnippet(prep: PreparedText, snippet: string): string {
  let text = snippet;
  const at = prep.folded.indexOf(snippet);
  if (at >= 0) text = prep.original.slice(at, at + snippet.length);
  else {
    // "sunati l pe" was "sunați-l pe": let spaces match hyphens and runs of spaces.
    const loose = new RegExp(snippet.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "[\\s-]+"));
    const m = loose.exec(prep.folded);
    if (m) text = prep.original.slice(m.index, m.index + m[0].length);
  }
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const clamp = (n: number, [lo, hi]: readonly [number, number]) => Math.max(lo, Math.min(hi, Math.round(n)));

export function understandReply(input: ReplyInput): ReplyUnderstanding {
  const prep = prepareText(input.text);
  const text = prep.canonical;
  const timeZone = input.calendar?.timeZone ?? DEFAULT_TIME_ZONE;

  let contrastAt = -1;
  CONTRAST.lastIndex = 0;
  for (let m = CONTRAST.exec(text); m !== null; m = CONTRAST.exec(text)) contrastAt = m.index;
  const clauseFactor = (intent: ReplyIntent, index: number): number =>
    contrastAt < 0 || GATE_MIN[intent] !== undefined ? 1 : index >= contrastAt ? 1.4 : 0.7;

  const hits: Hit[] = [];
  for (const cue of CUES) {
    const m = cue.re.exec(text);
    if (!m) continue;
    const negated = cue.neg !== undefined && negatedAt(text, m.index);
    if (negated && cue.neg === "none") continue;
    const intent = negated ? (cue.neg as ReplyIntent) : cue.intent;
    hits.push({ cue, intent, weight: cue.weight * clauseFactor(intent, m.index), index: m.index, snippet: m[0].trim() });
  }
  if (input.subject && AUTO_SUBJECT.test(canonicalText(foldText(input.subject)))) {
    hits.push({ cue: AUTO_SUBJECT_CUE, intent: "AUTO_REPLY", weight: 2, index: 0, snippet: input.subject.trim() });
  }

  const time: TimeExpression | null = latestTimeExpression(text, input.now, timeZone);
  if (time) {
    const at = text.indexOf(time.expression);
    const base = time.daysAhead >= 14 ? 1 : time.daysAhead >= 3 ? 0.6 : 0.3;
    const weight = (base + (MAYBE.test(text) ? 0.5 : 0)) * clauseFactor("LATER", at < 0 ? 0 : at);
    hits.push({ cue: TIME_CUE, intent: "LATER", weight, index: Math.max(0, at), snippet: time.expression });
    // "Sunați-mă în aprilie": a request to be contacted, but not now.
    if (time.daysAhead >= 7) for (const h of hits) if (h.cue.contact && h.intent === "INTERESTED") h.intent = "LATER";
  }

  const sums: Record<ReplyIntent, number> = {
    INTERESTED: 0, QUESTION: 0, PRICE_REQUEST: 0, LATER: 0, WRONG_PERSON: 0, NOT_INTERESTED: 0, UNSUBSCRIBE: 0, COMPLAINT: 0, AUTO_REPLY: 0,
  };
  for (const h of hits) sums[h.intent] += h.weight;

  // A person asking to be called ("sunați-mă după 20, acum sunt în concediu") is not a robot, unless the
  // message says it is automatic.
  const human = hits.some((h) => h.cue.contact) && !hits.some((h) => h.cue.id === "auto.explicit" || h.cue === AUTO_SUBJECT_CUE);
  const intent = decide(sums, human ? HUMAN_AUTO_MIN : GATE_MIN.AUTO_REPLY!);
  const evidence = sums[intent];
  let runnerUp = 0;
  for (const key of Object.keys(sums) as ReplyIntent[]) if (key !== intent && sums[key] > runnerUp) runnerUp = sums[key];

  // Confidence: strength of the winner's evidence, and how clearly it beats the runner-up.
  let confidence: number;
  if (evidence <= 0) confidence = 0.3;
  else {
    const strength = Math.min(evidence / 1.5, 1);
    const margin = Math.max(0, Math.min(1, (evidence - runnerUp) / evidence));
    confidence = 0.3 + 0.4 * strength + 0.27 * margin;
    // The safety gates fire on explicit words; a competing reading does not make them doubtful.
    if (intent === "COMPLAINT" || intent === "UNSUBSCRIBE") confidence = Math.max(confidence, 0.8 + 0.1 * Math.min(1, evidence / 2));
  }
  confidence = Math.round(Math.min(0.98, confidence) * 100) / 100;

  const triggers = new Set<KeywordTrigger>();
  for (const h of hits) if (h.cue.trigger && h.intent === h.cue.intent) triggers.add(h.cue.trigger);
  const keywordTriggers = KEYWORD_TRIGGERS.filter((t) => triggers.has(t));

  const score = scoreFor(intent, sums, prep, text, keywordTriggers);
  const laterUntil = (intent === "LATER" || intent === "AUTO_REPLY") && time ? time.date : null;
  const suggestedContact = intent === "WRONG_PERSON" ? extractContact(prep) : null;
  const lead = hits.filter((h) => h.intent === intent).sort((a, b) => b.weight - a.weight)[0];
  const reason = reasonFor(intent, lead, prep, laterUntil, evidence <= 0);

  const en = countMatches(EN_WORDS, prep.folded);
  const ro = countMatches(RO_WORDS, prep.folded);

  return {
    engine: "builtin",
    version: BUILTIN_ENGINE_VERSION,
    intent,
    score: intent === "AUTO_REPLY" ? 0 : intent === "WRONG_PERSON" && suggestedContact ? Math.min(15, score + 4) : score,
    optOut: intent === "UNSUBSCRIBE" || intent === "COMPLAINT",
    complaint: intent === "COMPLAINT",
    confidence,
    reason,
    keywordTriggers,
    laterUntil,
    suggestedContact,
    language: en > ro ? "en" : "ro",
    cues: hits.filter((h) => h.weight > 0).map((h) => (h.intent === h.cue.intent ? h.cue.id : `${h.cue.id}→${h.intent}`)),
  };
}

function decide(sums: Record<ReplyIntent, number>, autoMin: number): ReplyIntent {
  for (const gate of GATES) if (sums[gate] >= (gate === "AUTO_REPLY" ? autoMin : GATE_MIN[gate]!)) return gate;
  const price = sums.PRICE_REQUEST;
  if (price >= PRICE_MIN && price > sums.NOT_INTERESTED && price >= sums.LATER) return "PRICE_REQUEST";
  let best: ReplyIntent | null = null;
  for (const c of CONTENDERS) if (sums[c] > 0 && (best === null || sums[c] > sums[best])) best = c;
  if (best) return best;
  // Weak signals only: the strongest of anything, else an unclear reply handled as a question. A gate
  // intent below its gate is not trusted as such: a lone 🛑 is a refusal for a person to look at, not
  // an opt-out, and half an auto-reply is no reason to skip the review.
  let weak: ReplyIntent = "QUESTION";
  for (const key of Object.keys(sums) as ReplyIntent[]) if (sums[key] > sums[weak]) weak = key;
  if (weak === "UNSUBSCRIBE" || weak === "COMPLAINT") return "NOT_INTERESTED";
  if (weak === "AUTO_REPLY" && sums.AUTO_REPLY < WEAK_AUTO_MIN) return "QUESTION";
  return weak;
}

function scoreFor(intent: ReplyIntent, sums: Record<ReplyIntent, number>, prep: PreparedText, text: string, triggers: readonly KeywordTrigger[]): number {
  const band = SCORE_BANDS[intent];
  const positive = (POSITIVE_EMOJI.test(prep.original) ? 1 : 0) + (POLITE.test(text) ? 0.5 : 0);
  const shouting = (prep.exclamations >= 2 ? 0.5 : 0) + (prep.upperRatio > 0.6 && prep.original.length > 8 ? 0.5 : 0);
  const negative = (NEGATIVE_EMOJI.test(prep.original) ? 1 : 0) + shouting;
  const alsoInterested = sums.INTERESTED > 0 ? 1 : 0;
  switch (intent) {
    case "INTERESTED":
      return clamp(64 + 9 * Math.min(2.5, Math.max(0, sums.INTERESTED - 1)) + 5 * positive - 6 * negative - 6 * Math.min(1, sums.LATER + sums.NOT_INTERESTED), band);
    case "PRICE_REQUEST":
      return clamp(60 + 4 * positive + 6 * alsoInterested - 5 * negative - 5 * Math.min(1, sums.NOT_INTERESTED), band);
    case "QUESTION":
      return clamp(38 + 6 * positive + 8 * alsoInterested - 8 * negative, band);
    case "LATER":
      return clamp(20 + 5 * positive + 6 * alsoInterested - 5 * negative - 8 * Math.min(1, sums.NOT_INTERESTED), band);
    case "WRONG_PERSON":
      return clamp(8 + 2 * positive - 4 * negative, band);
    case "AUTO_REPLY":
      return 0;
    case "NOT_INTERESTED":
      return clamp(-48 + 10 * positive - 10 * negative - 6 * Math.min(1, Math.max(0, sums.NOT_INTERESTED - 2)), band);
    case "UNSUBSCRIBE":
      return clamp(-74 + 7 * positive - 8 * negative - 4 * Math.min(1, Math.max(0, sums.UNSUBSCRIBE - 2)), band);
    case "COMPLAINT": {
      const authority = triggers.some((t) => t !== "price" && t !== "gdpr") ? 1 : 0;
      return clamp(-86 - 7 * authority - 4 * negative - 3 * Math.min(1, Math.max(0, sums.COMPLAINT - 2)), band);
    }
  }
}

function reasonFor(intent: ReplyIntent, lead: Hit | undefined, prep: PreparedText, laterUntil: string | null, unclear: boolean): string {
  if (unclear || !lead) return `${INTENT_RO[intent]}: niciun indiciu clar în text, de verificat de un om.`;
  const said = lead.cue === AUTO_SUBJECT_CUE ? lead.snippet : displaySnippet(prep, lead.snippet);
  const when = laterUntil ? ` Reluăm pe ${formatDateRo(laterUntil)}.` : "";
  return `${INTENT_RO[intent]}: ${lead.cue.label} („${said}”).${when}`;
}

/** The built-in engine behind the common interface (the worker's default and the LLM's guardrail). */
export class BuiltinReplyEngine implements ReplyUnderstandingEngine {
  readonly name = "builtin" as const;
  async understand(input: ReplyUnderstandingRequest): Promise<ReplyUnderstanding> {
    return understandReply(input);
  }
}
