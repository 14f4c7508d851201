/**
 * Intent templates: the drafted answer when no LLM is configured, or when it fails (issue 15). Romanian,
 * formal address ("dumneavoastră", "Doriți…?"), short enough for WhatsApp, never a price or a promise a
 * person has not made. Pure: the same input gives the same text.
 *
 * | intent         | draft                                                                       |
 * | INTERESTED     | thanks, the offer in a sentence, two questions to make it precise, a call    |
 * | QUESTION       | thanks, a colleague answers today or the next working day, offer of a call  |
 * | PRICE_REQUEST  | the price depends on quantity, area and delivery: a personal quote follows  |
 * | LATER          | noted; we come back around the named date (or: when would suit you?)        |
 * | WRONG_PERSON   | apologies; we will talk to the person named and stop writing here           |
 * | NOT_INTERESTED | thanks for the time; noted; a good season (never sent automatically)        |
 * | UNSUBSCRIBE, COMPLAINT, AUTO_REPLY | no draft: nothing is ever sent to an opt-out, and a robot needs no answer |
 */
import type { ReplyIntent, SuggestedContact } from "../understanding";

export interface TemplateInput {
  intent: ReplyIntent;
  /** The lead's contact person, when known ("Ion Popescu"). */
  contactName: string | null;
  company: string;
  tenantName: string;
  /** tenants.offer_summary: what the tenant sells, in a sentence or two. */
  offerSummary: string | null;
  /** LATER: the tenant-local date (YYYY-MM-DD) the reply named. */
  laterUntil: string | null;
  suggestedContact: SuggestedContact | null;
  channel: "WHATSAPP" | "EMAIL_WARM";
  /** Email: the subject of the reply, for "Re: …". */
  replySubject: string | null;
}

export interface TemplateDraft {
  subject: string | null;
  body: string;
}

export const NO_DRAFT_INTENTS: ReadonlySet<ReplyIntent> = new Set(["UNSUBSCRIBE", "COMPLAINT", "AUTO_REPLY"]);

const MONTHS = ["ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august", "septembrie", "octombrie", "noiembrie", "decembrie"];

/** "2027-02-01" → "1 februarie 2027". */
export function romanianDate(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

function greeting(name: string | null): string {
  const clean = name?.replace(/\s+/g, " ").trim();
  return clean ? `Bună ziua, ${clean}!` : "Bună ziua!";
}

function offerLine(offer: string | null): string | null {
  const o = offer?.replace(/\s+/g, " ").trim();
  if (!o) return null;
  return /[.!?]$/.test(o) ? o : `${o}.`;
}

function signature(tenantName: string): string {
  return `Cu stimă,\nEchipa ${tenantName}`;
}

function contactLabel(c: SuggestedContact | null): string {
  if (!c) return "persoana indicată";
  if (c.name && c.role) return `${c.name} (${c.role})`;
  if (c.name) return c.name;
  if (c.role) return `${c.role} dumneavoastră`;
  return "persoana indicată";
}

function body(intent: ReplyIntent, i: TemplateInput): string[] | null {
  const offer = offerLine(i.offerSummary);
  switch (intent) {
    case "INTERESTED":
      return [
        greeting(i.contactName),
        ["Vă mulțumim pentru răspuns și pentru interesul arătat.", offer].filter(Boolean).join(" "),
        `Pregătim o ofertă potrivită pentru ${i.company}. Ca să fie cât mai exactă, ne puteți spune ce culturi și ce suprafață aveți în vedere în acest sezon?`,
        "Doriți să vă sune un coleg pentru detalii? Spuneți-ne, vă rugăm, când vă este comod.",
      ];
    case "QUESTION":
      return [
        greeting(i.contactName),
        "Vă mulțumim pentru întrebare. Un coleg verifică detaliile și vă răspunde astăzi sau cel târziu în următoarea zi lucrătoare.",
        ...(offer ? [offer] : []),
        "Dacă preferați să vorbim la telefon, ne puteți spune un interval potrivit.",
      ];
    case "PRICE_REQUEST":
      return [
        greeting(i.contactName),
        "Vă mulțumim pentru interes. Prețul depinde de cantitate, de zonă și de momentul livrării, așa că un coleg vă trimite o ofertă de preț personalizată.",
        "Ca să o putem calcula, ne spuneți ce produse și ce cantități v-ar interesa?",
      ];
    case "LATER":
      return [
        greeting(i.contactName),
        i.laterUntil
          ? `Vă mulțumim pentru răspuns, am notat. Vă contactăm din nou în jurul datei de ${romanianDate(i.laterUntil)}.`
          : "Vă mulțumim pentru răspuns, am notat. Când v-ar fi mai potrivit să revenim?",
        "Dacă doriți să discutăm mai devreme, ne puteți scrie oricând.",
      ];
    case "WRONG_PERSON":
      return [
        "Bună ziua!",
        `Vă mulțumim pentru îndrumare și ne cerem scuze pentru deranj. Vom lua legătura cu ${contactLabel(i.suggestedContact)} și nu vă mai scriem pe acest subiect.`,
      ];
    case "NOT_INTERESTED":
      return [
        greeting(i.contactName),
        "Vă mulțumim pentru răspuns și pentru timpul acordat. Am notat că oferta noastră nu vă interesează în acest moment.",
        "Dacă lucrurile se schimbă, ne găsiți oricând aici. Vă dorim un sezon bun!",
      ];
    case "UNSUBSCRIBE":
    case "COMPLAINT":
    case "AUTO_REPLY":
      return null;
  }
}

/** The intent's draft, or null for intents that are never answered by a draft. */
export function draftFromTemplate(i: TemplateInput): TemplateDraft | null {
  const lines = body(i.intent, i);
  if (!lines) return null;
  const text = [...lines, signature(i.tenantName)].join("\n\n");
  const subject = i.channel === "EMAIL_WARM" ? (i.replySubject ? (/^re:/i.test(i.replySubject.trim()) ? i.replySubject.trim() : `Re: ${i.replySubject.trim()}`) : `Răspuns de la ${i.tenantName}`) : null;
  return { subject, body: text };
}
