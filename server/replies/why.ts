import { z } from "zod";

/**
 * "Why it is here": the reason a reply went to a person (or did not), as stable codes with their
 * parameters. The routing table (understanding/routing.ts) gives one part, the reply plan (plan.ts)
 * may add a second (why a drafted answer is held). The codes are stored with the analysis
 * (`whyParts`) and rendered in the reader's language by the UI (messages `review.why.<code>`);
 * `whyRo` gives the same sentence in Romanian, stored beside them as `why` for the readers that have
 * no dictionary (the REST API, GDPR exports, logs) and for items stored before the codes existed.
 * Isomorphic: the browser reads stored parts with `whyPartsSchema`.
 */

export const WHY_CODES = [
  "rule.complaint",
  "rule.opt-out-legal",
  "rule.opt-out",
  "rule.legal-trigger",
  "rule.negative",
  "rule.auto-reply",
  "rule.auto-reply-until",
  "rule.uncertain",
  "rule.gdpr-trigger",
  "rule.price-trigger",
  "rule.positive",
  "rule.below-threshold",
  "hold.MODE_APPROVAL",
  "hold.MODE_OFF",
  "hold.DAILY_CAP",
  "hold.TENANT_DAILY_CAP",
  "hold.HUMAN_CONTROLLED",
  "hold.NEVER_AUTO",
  "hold.OPTED_OUT",
  "hold.DO_NOT_CONTACT",
  "hold.NO_PHONE_NUMBER",
  "hold.NO_SENDING_PHONE",
  "hold.NO_EMAIL_ADDRESS",
  "hold.CHANNEL_NOT_ANSWERABLE",
] as const;
export type WhyCode = (typeof WHY_CODES)[number];

/**
 * Parameters by name: `score` and `threshold` (−100..100), `confidence` (whole percent), `until`
 * (a tenant-local day, YYYY-MM-DD). Numbers stay numbers and days stay ISO, so each reader formats
 * them for its own locale.
 */
export const whyPartSchema = z.object({
  code: z.enum(WHY_CODES),
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});
export type WhyPart = z.infer<typeof whyPartSchema>;
export const whyPartsSchema = z.array(whyPartSchema).min(1);

/** "2026-03-24" → "24.03.2026", as ro-RO writes a date (app/lib/format.ts formatDayKey). */
export function romanianDay(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

type Params = WhyPart["params"];
const p = (params: Params, name: string): string => {
  const v = params[name];
  return v === undefined ? `{${name}}` : String(v);
};

/** The Romanian sentences; app/lib/messages/ro.ts holds the same under `review.why.<code>` (a test keeps them equal). */
const RO: Readonly<Record<WhyCode, (params: Params) => string>> = {
  "rule.complaint": () => "Reclamație: contactul se oprește pe toate canalele; răspundeți personal în cel mult o oră.",
  "rule.opt-out-legal": () => "Cere să nu mai fie contactat și invocă datele personale / o autoritate: dezabonarea e aplicată, confirmați ștergerea datelor.",
  "rule.opt-out": () => "Cere să nu mai fie contactat: dezabonarea e aplicată automat pe toate canalele; verificați doar dacă a fost înțeles corect.",
  "rule.legal-trigger": () => "Menționează un avocat, o autoritate sau instanța: de văzut de un om urgent.",
  "rule.negative": (x) => `Răspuns negativ (scor ${p(x, "score")}): poate fi recuperat doar de un om, repede.`,
  "rule.auto-reply": () => "Răspuns automat: pasul următor se amână, fără răspuns.",
  "rule.auto-reply-until": (x) => `Răspuns automat (absent): pasul următor se amână până pe ${romanianDay(p(x, "until"))}.`,
  "rule.uncertain": (x) => `Înțelegere nesigură (încredere ${p(x, "confidence")} %): un om decide.`,
  "rule.gdpr-trigger": () => "Întreabă de datele personale (GDPR): răspunde un om.",
  "rule.price-trigger": () => "Cere prețul: un om trimite oferta de preț (depinde de cantitate, zonă și sezon).",
  "rule.positive": (x) => `Răspuns pozitiv (scor ${p(x, "score")} ≥ ${p(x, "threshold")}): se pregătește un răspuns automat.`,
  "rule.below-threshold": (x) => `Scor ${p(x, "score")} sub pragul automat (${p(x, "threshold")}): răspunde un om.`,
  "hold.MODE_APPROVAL": () => "Răspunsul pregătit așteaptă aprobarea (răspunsuri automate cu aprobare).",
  "hold.MODE_OFF": () => "Răspunsurile automate sunt oprite: răspunde un om.",
  "hold.DAILY_CAP": () => "Limita zilnică de răspunsuri automate pentru acest lead a fost atinsă.",
  "hold.TENANT_DAILY_CAP": () => "Limita zilnică de răspunsuri automate a organizației a fost atinsă.",
  "hold.HUMAN_CONTROLLED": () => "Un coleg a preluat discuția: nu se trimite nimic automat.",
  "hold.NEVER_AUTO": () => "Acest tip de răspuns nu primește niciodată un răspuns automat.",
  "hold.OPTED_OUT": () => "Lead-ul s-a dezabonat de pe acest canal.",
  "hold.DO_NOT_CONTACT": () => "Contactul este pe lista de excludere.",
  "hold.NO_PHONE_NUMBER": () => "Lead-ul nu are număr de telefon.",
  "hold.NO_SENDING_PHONE": () => "Lead-ul nu are un telefon WhatsApp alocat.",
  "hold.NO_EMAIL_ADDRESS": () => "Lead-ul nu are adresă de email.",
  "hold.CHANNEL_NOT_ANSWERABLE": () => "Pe acest canal nu se poate răspunde automat.",
};

export function whyPart(code: WhyCode, params: Params = {}): WhyPart {
  return { code, params };
}

/** One part in Romanian. */
export function whyRo(part: WhyPart): string {
  return RO[part.code](part.params);
}

/** The parts as one Romanian text (what `why` stores). */
export function whyTextRo(parts: readonly WhyPart[]): string {
  return parts.map(whyRo).join(" ");
}
