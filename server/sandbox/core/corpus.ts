/**
 * Romanian replies of farmers and agri companies, by category, and the keyword classifier the LLM
 * simulator uses. The corpus feeds the WhatsApp and Instantly simulators; the classifier is
 * deterministic, so "same seed → same replies → same classifications" holds end to end.
 * Every corpus text must classify as its own category (checked by a test).
 */
export const REPLY_CATEGORIES = [
  "interested",
  "question",
  "later",
  "wrong_person",
  "not_interested",
  "unsubscribe",
  "complaint",
  "out_of_office",
] as const;
export type ReplyCategory = (typeof REPLY_CATEGORIES)[number];

export const REPLY_CORPUS: Readonly<Record<ReplyCategory, readonly string[]>> = {
  interested: [
    "Bună ziua, sună interesant. Ne puteți trimite o ofertă pentru 120 de hectare de grâu?",
    "Da, suntem interesați. Când putem discuta la telefon?",
    "Mă interesează, trimiteți-mi detalii pe email vă rog.",
    "Perfect, vă aștept săptămâna viitoare la fermă să vorbim.",
    "Da, vrem să comandăm semințe de porumb pentru sezonul de primăvară.",
  ],
  question: [
    "Ce preț are tona de îngrășământ livrată în Bărăgan?",
    "Cât costă și în cât timp livrați?",
    "Aveți și hibrizi de floarea-soarelui rezistenți la secetă?",
    "Lucrați și cu ferme mici, sub 50 de hectare?",
    "Ce condiții de plată aveți pentru cooperative?",
  ],
  later: [
    "Acum suntem în plină recoltă, reveniți în noiembrie.",
    "Nu e momentul potrivit, poate după recoltă.",
    "Scrieți-ne din nou la toamnă, acum nu avem buget.",
    "Mai vorbim peste două săptămâni, acum sunt pe câmp.",
  ],
  wrong_person: [
    "Nu eu mă ocup de achiziții, vorbiți cu fiul meu, Andrei.",
    "Ați greșit persoana, nu mai lucrez la această fermă.",
    "Numărul acesta nu mai aparține firmei Agro Delta.",
  ],
  not_interested: [
    "Nu suntem interesați, mulțumim.",
    "Nu avem nevoie, lucrăm deja cu alt furnizor.",
    "Mulțumesc, dar nu mă interesează.",
    "Nu, mersi. Avem tot ce ne trebuie.",
  ],
  unsubscribe: [
    "Dezabonare",
    "Vă rog să nu mă mai contactați.",
    "STOP. Nu mai trimiteți mesaje pe acest număr.",
    "Ștergeți-mi datele din baza voastră, vă rog.",
  ],
  complaint: [
    "Este a treia oară când primesc spam de la voi. Fac reclamație la ANPC!",
    "Cum ați obținut numărul meu? Este ilegal, depun plângere la ANSPDCP.",
    "Hărțuire curată. Vă raportez pentru încălcarea GDPR.",
  ],
  out_of_office: [
    "Sunt în concediu până pe 15. Pentru urgențe sunați la birou.",
    "Răspuns automat: sunt plecat din birou până luni.",
    "Mulțumim pentru mesaj. Acesta este un răspuns automat, revin după 20 august.",
  ],
};

/** Lowercase, diacritics folded (ă â î ș ş ț ţ → a a i s s t t), so keyword rules see one spelling. */
export function foldRomanian(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[şș]/g, "s")
    .replace(/[ţț]/g, "t");
}

/**
 * Rules in priority order: opt-out and complaint words win over everything (the design: they always
 * stop outreach), negations before the positive words they contain ("nu mă interesează").
 */
const RULES: readonly { category: ReplyCategory; patterns: readonly RegExp[] }[] = [
  {
    category: "unsubscribe",
    patterns: [/\bdezabon/, /nu (ma|ne) mai (contactati|contacta|sunati|scrieti)/, /\bstop\b/, /nu mai trimiteti/, /stergeti-?(mi|ne)/, /sterge-?ma/, /unsubscribe/],
  },
  {
    category: "complaint",
    patterns: [/reclamatie/, /\bspam\b/, /\banpc\b/, /\banspdcp\b/, /plangere/, /ilegal/, /hartuire/, /\bgdpr\b/, /\babuz/],
  },
  {
    category: "out_of_office",
    patterns: [/\bconcediu\b/, /raspuns automat/, /plecat din birou/, /in afara biroului/, /out of office/],
  },
  {
    category: "wrong_person",
    patterns: [/nu eu ma ocup/, /nu ma ocup/, /gresit persoana/, /persoana gresita/, /nu mai lucrez/, /nu mai apartine/, /numar gresit/],
  },
  {
    category: "not_interested",
    patterns: [/nu (suntem|sunt) interesat/, /nu (ma|ne) intereseaza/, /nu avem nevoie/, /\bnu,? mersi\b/, /avem tot ce ne trebuie/, /lucram deja cu/],
  },
  {
    category: "later",
    patterns: [/reveniti/, /nu e momentul/, /nu este momentul/, /din nou la/, /mai vorbim peste/, /peste (doua|2|trei|3) (saptamani|luni)/, /dupa recolta/, /mai tarziu/],
  },
  {
    category: "interested",
    patterns: [/\binteresant\b/, /\binteresati\b/, /\binteresat\b/, /\bma intereseaza\b/, /\bne intereseaza\b/, /va astept/, /vrem sa comandam/, /trimiteti-?mi (detalii|oferta)/, /\boferta\b/],
  },
  {
    category: "question",
    patterns: [/\?/, /\bce pret\b/, /\bcat costa\b/],
  },
];

export interface Classification {
  category: ReplyCategory | "unclear";
  /** −100..100, the scale the reply-understanding rules use (≥ 50 auto path, < 0 urgent review). */
  score: number;
  confidence: number;
  matched: string[];
}

export const CATEGORY_SCORE: Readonly<Record<ReplyCategory, number>> = {
  interested: 80,
  question: 40,
  later: 15,
  out_of_office: 0,
  wrong_person: -10,
  not_interested: -60,
  unsubscribe: -80,
  complaint: -95,
};

export function classifyRomanianReply(text: string): Classification {
  const folded = foldRomanian(text);
  for (const rule of RULES) {
    const matched = rule.patterns.filter((p) => p.test(folded)).map((p) => p.source);
    if (matched.length > 0) {
      return { category: rule.category, score: CATEGORY_SCORE[rule.category], confidence: matched.length > 1 ? 0.95 : 0.85, matched };
    }
  }
  return { category: "unclear", score: 0, confidence: 0.3, matched: [] };
}
