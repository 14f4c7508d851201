/** Romanian message content for the demo tenants: templates, sequences, replies. */

export interface TemplateSeed {
  key: string;
  name: string;
  channel: "WHATSAPP" | "EMAIL_COLD" | "EMAIL_WARM";
  subject?: string;
  versions: Array<{ content: string; subject?: string; weight: number }>;
  variables: Array<{ name: string; required: boolean; default?: string }>;
}

const commonVariables = [
  { name: "companyName", required: true },
  { name: "contactName", required: false, default: "" },
  { name: "judet", required: false, default: "județul dumneavoastră" },
  { name: "localitate", required: false, default: "" },
];

export const TEMPLATES: TemplateSeed[] = [
  {
    key: "wa-intro",
    name: "WhatsApp — prima abordare",
    channel: "WHATSAPP",
    variables: commonVariables,
    versions: [
      {
        weight: 50,
        content:
          "{Bună ziua|Salut|Bună} {{contactName}}! Sunt de la AgroVerde. {Lucrăm cu|Sprijinim} ferme din {{judet}} cu {semințe certificate|inputuri agricole} și consultanță. {V-ar interesa|Ați fi deschis la} o ofertă pentru {{companyName}}?",
      },
      {
        weight: 50,
        content:
          "{Bună ziua|Salut} {{contactName}}, {vă scriu|revin} de la AgroVerde. Pentru sezonul următor avem {prețuri bune|condiții avantajoase} la {îngrășăminte|semințe și îngrășăminte} în {{judet}}. Pot să vă trimit detalii pentru {{companyName}}?",
      },
    ],
  },
  {
    key: "wa-followup",
    name: "WhatsApp — revenire",
    channel: "WHATSAPP",
    variables: commonVariables,
    versions: [
      {
        weight: 100,
        content:
          "{Revin|Mă întorc} cu un mesaj scurt, {{contactName}}: {oferta|propunerea} pentru {{companyName}} este valabilă {până la sfârșitul lunii|încă două săptămâni}. {Vă sun eu|Mă puteți suna} când vă este comod?",
      },
    ],
  },
  {
    key: "wa-last",
    name: "WhatsApp — ultimul mesaj",
    channel: "WHATSAPP",
    variables: commonVariables,
    versions: [
      {
        weight: 100,
        content:
          "{Bună ziua|Salut} {{contactName}}, {ultimul mesaj de la mine|închei aici}: dacă {aveți nevoie|o să aveți nevoie} de semințe sau îngrășăminte pentru {{companyName}}, {scrieți-mi oricând|răspundeți la acest mesaj} și vă trimit oferta.",
      },
    ],
  },
  {
    key: "email-cold-intro",
    name: "Email rece — prezentare",
    channel: "EMAIL_COLD",
    subject: "Ofertă inputuri agricole pentru {{companyName}}",
    variables: commonVariables,
    versions: [
      {
        weight: 60,
        subject: "Ofertă inputuri agricole pentru {{companyName}}",
        content:
          "{Bună ziua|Stimate domn / Stimată doamnă} {{contactName}},\n\nAgroVerde livrează semințe certificate, îngrășăminte și produse de protecția plantelor fermelor din {{judet}}. Pentru {{companyName}} putem pregăti o ofertă pe suprafața dumneavoastră, cu livrare în {{localitate}}.\n\n{Vă pot suna săptămâna aceasta?|Când ați avea 10 minute pentru o discuție?}\n\nCu stimă,\nEchipa AgroVerde",
      },
      {
        weight: 40,
        subject: "{{companyName}}: prețuri de sezon la semințe și îngrășăminte",
        content:
          "Bună ziua {{contactName}},\n\n{Pregătim|Închidem} contractele pentru sezonul următor în {{judet}}. Fermele cu care lucrăm au redus costul la hectar cu {8-12%|aproape 10%} prin comenzi planificate.\n\nVă trimit o ofertă pentru {{companyName}}?\n\nCu stimă,\nEchipa AgroVerde",
      },
    ],
  },
  {
    key: "email-cold-followup",
    name: "Email rece — revenire",
    channel: "EMAIL_COLD",
    subject: "Re: Ofertă inputuri agricole pentru {{companyName}}",
    variables: commonVariables,
    versions: [
      {
        weight: 100,
        subject: "Re: Ofertă inputuri agricole pentru {{companyName}}",
        content: "Bună ziua {{contactName}},\n\nRevin la mesajul de săptămâna trecută. {Are rost să vorbim|Merită o discuție scurtă} despre necesarul {{companyName}} pentru sezonul următor?\n\nCu stimă,\nEchipa AgroVerde",
      },
    ],
  },
  {
    key: "email-cold-last",
    name: "Email rece — ultima revenire",
    channel: "EMAIL_COLD",
    subject: "{{companyName}}: ultima ofertă de sezon",
    variables: commonVariables,
    versions: [
      {
        weight: 100,
        subject: "{{companyName}}: ultima ofertă de sezon",
        content:
          "Bună ziua {{contactName}},\n\nNu vreau să vă aglomerez căsuța: acesta este ultimul meu mesaj. Dacă {{companyName}} are nevoie de inputuri pentru sezonul următor în {{judet}}, răspundeți cu un singur cuvânt și vă sun.\n\nCu stimă,\nEchipa AgroVerde",
      },
    ],
  },
  {
    key: "email-warm-offer",
    name: "Email cald — ofertă după răspuns",
    channel: "EMAIL_WARM",
    subject: "Oferta AgroVerde pentru {{companyName}}",
    variables: commonVariables,
    versions: [
      {
        weight: 100,
        subject: "Oferta AgroVerde pentru {{companyName}}",
        content: "Bună ziua {{contactName}},\n\nMulțumim pentru răspuns! Atașat găsiți oferta pentru {{companyName}}, cu livrare în {{localitate}}. Un coleg din {{judet}} vă va suna pentru detalii.\n\nCu stimă,\nEchipa AgroVerde",
      },
    ],
  },
];

export const SEQUENCES = [
  {
    name: "Prima abordare: WhatsApp, apoi email",
    description: "Mesaj WhatsApp, revenire după 3 zile, apoi un ultim email după încă 5 zile. Fără WhatsApp: aceiași pași pe email.",
    isDefault: true,
    // Each step names a template of the other channel: a lead without WhatsApp (or without a valid
    // address, for step 3) gets the step there instead of waiting forever (channelForStep).
    steps: [
      { stepNumber: 1, channel: "WHATSAPP", template: "wa-intro", fallback: "email-cold-intro", delayHours: 0, name: "Mesaj de deschidere" },
      { stepNumber: 2, channel: "WHATSAPP", template: "wa-followup", fallback: "email-cold-followup", delayHours: 72, name: "Revenire WhatsApp" },
      { stepNumber: 3, channel: "EMAIL_COLD", template: "email-cold-last", fallback: "wa-last", delayHours: 120, name: "Ultimul mesaj" },
    ],
  },
  {
    name: "Email rece pentru ferme mari",
    description: "Pentru fermele peste 300 ha fără WhatsApp confirmat.",
    isDefault: false,
    steps: [
      { stepNumber: 1, channel: "EMAIL_COLD", template: "email-cold-intro", fallback: null, delayHours: 0, name: "Prezentare" },
      { stepNumber: 2, channel: "EMAIL_COLD", template: "email-cold-followup", fallback: null, delayHours: 96, name: "Revenire" },
      { stepNumber: 3, channel: "EMAIL_WARM", template: "email-warm-offer", fallback: null, delayHours: 168, name: "Ofertă" },
    ],
  },
] as const;

export const REPLIES: Record<"positive" | "question" | "later" | "negative" | "optout", readonly string[]> = {
  positive: [
    "Da, mă interesează. Trimiteți-mi oferta pe email.",
    "Bună ziua, da, avem nevoie de semințe de porumb pentru 120 ha. Sunați-mă mâine.",
    "Sună bine, putem vorbi joi dimineață?",
  ],
  question: [
    "Ce prețuri aveți la azotat de amoniu?",
    "Livrați și în Olt? Ce termen aveți?",
    "Aveți și semințe de floarea-soarelui rezistente la lupoaie?",
  ],
  later: ["Acum suntem la recoltat, reveniți în două săptămâni.", "Nu acum, poate în primăvară."],
  negative: ["Nu sunt interesat, avem deja furnizor.", "Am lucrat cu voi și nu am fost mulțumit de livrare."],
  optout: ["Vă rog să nu mă mai contactați.", "STOP. Dezabonare."],
};
