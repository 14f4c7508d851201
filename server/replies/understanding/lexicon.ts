import type { KeywordTrigger, ReplyIntent } from "./types";

/**
 * The cues of the built-in engine: phrases farmers write, each pointing to an intent with a weight.
 * Patterns read the canonical text of normalize.ts: lower case, no diacritics, hyphens as spaces
 * ("sunați-mă" → "sunati ma"), "n-am" → "nu am", "mersi"/"mulțam"/"thanks" → "multumesc",
 * "vă rog"/"pls" → "va rog", emails/phones masked as zemailz/zphonez.
 *
 * Weights: 2 = decisive on its own; 1.5 = a clear statement; ~1 = a usual sign; < 1 = a hint that
 * needs company. The safety intents (COMPLAINT, UNSUBSCRIBE) and AUTO_REPLY / WRONG_PERSON are gates
 * (builtin-engine.ts: a total ≥ 1, AUTO_REPLY ≥ 1.2, wins); the others compete on their totals.
 *
 * `neg`: a cue preceded in its clause by a negation ("nu sunt interesat") counts for that intent
 * instead. `contact`: a request to be contacted, which counts as LATER when the reply names a time a
 * week or more away ("sunați-mă în aprilie"). `trigger`: a keyword that sends the reply to a person.
 */
export interface Cue {
  id: string;
  intent: ReplyIntent;
  weight: number;
  re: RegExp;
  /** Romanian, for the reason shown to reps. */
  label: string;
  /** Counts for this intent when negated; "none" = a negated cue does not count ("nu e spam"). */
  neg?: ReplyIntent | "none";
  contact?: boolean;
  trigger?: KeywordTrigger;
}

type CueSpec = [id: string, intent: ReplyIntent, weight: number, source: string, label: string, extra?: Partial<Pick<Cue, "neg" | "contact" | "trigger">>];

const R = String.raw;

/** Family, colleagues and titles a reply refers the seller to. */
export const ROLE_SRC = R`(?:fiul|fiului|fiica|fiicei|baiatul|baiatului|fata mea|sotul|sotului|sotia|sotiei|fratele|fratelui|fratii|sora|surorii|ginerele|ginerelui|nora|nurorii|nepotul|nepotului|nepoata|nepoatei|tata|tatal|tatalui|mama|mamei|socrul|soacra|colegul|colegului|colega|colegei|colegii|seful|sefului|sefa|sefei|administrator\w*|director\w*|contabil\w*|agronom\w*|inginer\w*|manager\w*|patron\w*|proprietar\w*|asociat\w*|responsabil\w*|decident\w*|domnul|domnului|doamna|doamnei|dl|dna|d l|d na|son|daughter|father|mother|husband|wife|brother|colleague|boss|owner|partner|accountant|agronomist)`;
const CONTACT_VERB = R`(?:contact\w*|suna|sunati|sunat\w*|scri\w*|trimit\w*|trimet\w*|deranj\w*|cauta\w*|apel\w*|bate\w*|insist\w*|spam\w*|texta\w*)`;
const SELF = R`(?:ma|ne|mi|me|us)`;

const SPECS: readonly CueSpec[] = [
  // ── COMPLAINT: authorities, legal threats, harassment, insults ─────────────────────────────────
  ["complaint.anpc", "COMPLAINT", 2, R`\banpc\b|\bprotectia consumatorului\b|\bprotectiei consumatorului\b`, "amenințare cu ANPC / Protecția Consumatorului", { trigger: "authority" }],
  ["complaint.anspdcp", "COMPLAINT", 2, R`\banspdcp\b|\bprotectia datelor\b|\bautoritat\w* (?:de|pentru|nationala de) (?:supraveghere|protectia)|\bdata protection (?:authority|agency|office)\b`, "amenințare cu autoritatea de protecție a datelor", { trigger: "authority" }],
  ["complaint.authority", "COMPLAINT", 0.6, R`\bautoritat\w*|\bauthorit\w*|\bregulator\w*`, "mențiune a unei autorități", { trigger: "authority" }],
  ["complaint.report-to", "COMPLAINT", 1.2, R`\bsesiz\w*|\bdenunt\w*`, "sesizare la autorități", { trigger: "authority" }],
  ["complaint.word", "COMPLAINT", 1.5, R`\breclamati\w*|\breclam(?:ez|am|ati|at)\b|\bva reclam\b|\bplangere\w*|\bplangeri\b|\bma plang\b|\bne plangem\b|\bcomplain\w*`, "reclamație / plângere", { neg: "none" }],
  ["complaint.spam", "COMPLAINT", 1.2, R`\bspam\w*`, "acuză de spam", { neg: "none" }],
  ["complaint.harass", "COMPLAINT", 1.5, R`\bhartui\w*|\bharass\w*`, "acuză de hărțuire"],
  ["complaint.illegal", "COMPLAINT", 1, R`\bilegal\w*|\billegal\w*|\babuz\w*|\babusive\b|\bincalc\w*|\bviolat\w*|\bviolates\b|\bbreach\w*`, "acuză de ilegalitate"],
  ["complaint.report", "COMPLAINT", 1.2, R`\b(?:va |te |o sa va |voi )?raport(?:ez|am|ati|at|ati)\b|\breport(?:ing)? (?:you|this|your|it)\b|\bwill report\b|\bblock and report\b`, "amenință că îi raportează"],
  ["complaint.court", "COMPLAINT", 1.5, R`\bin judecata\b|\bjudecat\w*|\binstant(?:a|ei|e)\b|\btribunal\w*|\bprocuror\w*|\bparchet\w*|\bsue\b|\bcourt\b|\blawsuit\b|\blegal action\b`, "amenințare cu instanța", { trigger: "police_court" }],
  ["complaint.police", "COMPLAINT", 1.5, R`\bpolitie\w*|\bpolitia\b|\bpolice\b|\b(?:sun|sunam|anunt|apelez) la 112\b`, "amenințare cu poliția", { trigger: "police_court" }],
  ["complaint.lawyer-threat", "COMPLAINT", 1.5, R`\bavocat(?:ul|ului) (?:meu|nostru|firmei|familiei)\b|\bprin avocat\b|\b(?:vorbesc|vorbim|ma consult|ne consultam) cu (?:un |avocatul|avocat)\b|\b(?:my|our) (?:lawyer|attorney)\b|\bnotificare\b|\b(?:merg|ma duc|apelez|ajungem|ne vedem) (?:la|in) (?:avocat|un avocat|politie|instanta|judecata|tribunal)\b`, "amenințare cu avocatul", { trigger: "lawyer" }],
  ["complaint.lawyer", "COMPLAINT", 0.7, R`\bavocat\w*|\blawyer\w*|\battorney\w*`, "mențiune a unui avocat", { trigger: "lawyer" }],
  ["complaint.gdpr", "COMPLAINT", 0.5, R`\bgdpr\b`, "invocă GDPR", { trigger: "gdpr" }],
  ["complaint.personal-data", "COMPLAINT", 0.3, R`\bdate(?:le)? (?:mele |noastre )?personale\b|\bdatelor (?:mele |noastre )?personale\b|\bprelucrar\w* (?:a )?datelor\b|\bpersonal data\b|\bmy data\b|\bdatele mele\b`, "întreabă de datele personale", { trigger: "gdpr" }],
  ["complaint.no-consent", "COMPLAINT", 1, R`\bnu (?:mi am|v am|am|ne am) dat (?:niciodata )?(?:acordul|consimtamantul)|\bfara (?:acordul|consimtamantul)\b|\bnever (?:gave|given)(?: you)?(?: my)? consent\b|\bwithout (?:my )?consent\b`, "spune că nu și-a dat acordul", { trigger: "gdpr" }],
  ["complaint.where-data", "COMPLAINT", 0.6, R`\b(?:de unde|cum) (?:aveti|ati luat|ati gasit|ati obtinut|stiti|ati primit)\b[^.!?]{0,25}\b(?:numarul|datele|adresa|emailul|contactul|telefonul)|\bcine v a dat (?:numarul|datele|adresa|contactul)\b|\b(?:where|how) did you get my\b`, "întreabă de unde are datele lui", { trigger: "gdpr" }],
  ["complaint.insult", "COMPLAINT", 1, R`\b(?:escroc\w*|hoti|hotilor|hotie|tepar\w*|teapa|tepe|mincinos\w*|nesimt\w*|obraznic\w*|idiot\w*|jeg\w*|batai[ea] (?:asta |aceasta )?de joc|tupeu\w*|rusine sa va fie|scam\w*|fraud\w*|cretin\w*|penibil\w*|ticalos\w*|nenorocit\w*|dracu\w*|mafio\w*|pungas\w*|tepui\w*|pacali\w*|inselat\w*|inselatori\w*|furat\w*|firma de nimic|oameni de nimic|nebun\w*|tampit\w*)\b`, "jignire / ton ostil"],
  ["complaint.fed-up", "COMPLAINT", 0.6, R`\bsatul de\b|\bm ati enervat\b|\bma enervati\b|\bunsolicited\b|\bfed up\b`, "e sătul de mesaje"],
  ["complaint.shame", "COMPLAINT", 0.8, R`\brusine\s*!|\bshame on you\b`, "„rușine!”"],
  ["complaint.outrage", "COMPLAINT", 0.8, R`\b(?:inadmisibil|inacceptabil|revoltator|scandalos|unacceptable|outrageous|disgusting|ridicol)\w*`, "indignare"],
  ["complaint.repeated", "COMPLAINT", 0.5, R`\ba (?:doua|treia|patra|cincea|n a|zecea|\d+ a) oara\b|\bde (?:doua|trei|patru|cinci|\d+) ori\b|\bin fiecare zi\b|\bzilnic\b|\biar\b(?= \S*(?:spam|mesaj))|\bevery day\b|\bagain and again\b`, "contactat în mod repetat"],
  ["complaint.product", "COMPLAINT", 0.7, R`\b(?:marfa|marfuri\w*|produs\w*|samanta|seminte\w*|livrar\w*|comanda|coletul)\b[^.!?]{0,30}\b(?:stricat\w*|defect\w*|expirat\w*|proast\w*|contrafacut\w*|nu a (?:rasarit|functionat|ajuns)|nu au (?:rasarit|functionat|ajuns))|\b(?:am primit|mi ati (?:livrat|trimis|dat))\b[^.!?]{0,20}\b(?:stricat\w*|defect\w*|expirat\w*|gresit\w*|intarzi\w*)|\b(?:livrat|livrare|livrarea|marfa|comanda)\b[^.!?]{0,30}\bintarzi\w*`, "nemulțumire față de marfă sau livrare"],
  ["complaint.damages", "COMPLAINT", 1, R`\bdespagubir\w*|\bdaune\b|\bcompensati\w*|\bmi ati (?:stricat|distrus|compromis|ars)\b|\bdamages\b`, "cere despăgubiri"],
  ["complaint.no-answer", "COMPLAINT", 0.5, R`\bnimeni nu (?:raspunde|ne raspunde|mi raspunde|ma suna)\b|\bvreau (?:banii inapoi|sa vorbesc cu un sef|sa vorbesc cu (?:seful|managerul|directorul))\b|\brefund\b`, "cere socoteală"],

  // ── UNSUBSCRIBE: any wish not to be contacted again ───────────────────────────────────────────
  ["unsub.word", "UNSUBSCRIBE", 2, R`\bdezabon\w*|\bunsubscri\w*|\bopt(?:ing)? ?out\b|\bopt (?:me|us) out\b|\bdeabonare\b`, "cere dezabonarea"],
  ["unsub.stop", "UNSUBSCRIBE", 1.5, R`(?<!\bnon )\bstop\b(?! (?:and go|loss|cadru))`, "cuvânt de oprire"],
  ["unsub.no-more-contact", "UNSUBSCRIBE", 2, R`\bnu (?:(?:ma|ne|mi|imi|le|o|il) )?mai (?:imi |ne |mi |ma )?${CONTACT_VERB}`, "cere să nu mai fie contactat"],
  ["unsub.no-contact", "UNSUBSCRIBE", 1.5, R`\bnu mai (?:fiu|fim) (?:contactat|sunat|deranjat|abordat|sunata|contactata)\w*|\bnu (?:mai )?insistati\b|\b(?:vreau|doresc|dorim|vrem) sa (?:fiu|fim) (?:scos|scoasa|scosi|sters|stearsa|stersi|eliminat\w*|dezabonat\w*|exclus\w*)\b|\bnu (?:ma|ne) (?:contactati|deranjati|cautati|bateti la cap|spamati)\b|\bnu (?:ma|ne) (?:mai )?bagati in seama\b`, "cere să nu fie contactat"],
  ["unsub.dont-want", "UNSUBSCRIBE", 2, R`\bnu (?:mai )?(?:vreau|vrem|doresc|dorim)(?: sa)? (?:mai )?(?:primesc|primim|primi|fiu (?:contactat|sunat|deranjat|abordat)\w*|fim (?:contactat|sunat|deranjat)\w*|mesaje|sms\w*|emailuri|email\w*|notificari|spam|apeluri|telefoane|reclame|publicitate|aud de voi|auzim de voi|aud de firma)\b|\bnu mai (?:vreau|vrem|doresc|dorim)\b[^.!?]{0,12}\b(?:oferte|reclame|mesaje|nimic de la voi|sa aud)\b`, "nu mai vrea mesaje"],
  ["unsub.remove", "UNSUBSCRIBE", 2, R`\b(?:stergeti|sterge|stergeti va rog|scoateti|scoate|eliminati|elimina|retrageti|radiati)\w*\s+(?:toate |tot )?(?:ma|ne|mi|imi|numarul|datele|adresa|contactul|emailul|din|de pe|de la)\b|\b(?:ma|ne) (?:stergeti|scoateti|eliminati|retrageti|radiati)\b`, "cere ștergerea din listă"],
  ["unsub.leave-alone", "UNSUBSCRIBE", 2, R`\b(?:lasati|lasa) (?:ma|ne) (?:in pace|dracului|naibii)\b|\bleave (?:me|us) alone\b`, "cere să fie lăsat în pace"],
  ["unsub.enough", "UNSUBSCRIBE", 2, R`\bfara (?:mesaje|sms\w*|apeluri|oferte|reclame|spam)\b|\bretrag\w* (?:\w+ )?(?:consimtamant\w*|acordul)\b|\b(?:gata|ajunge|destul|stop) cu (?:mesaj|sms|spam|email|apel|telefoan|oferte|reclam|whatsapp)\w*`, "„gata cu mesajele”"],
  ["unsub.halt", "UNSUBSCRIBE", 1.5, R`\b(?:opriti|oprire|opreste|inceteaza|incetati|stopati|incetati sa)\b|\brenuntati (?:sa|la)\b`, "cere oprirea mesajelor"],
  ["unsub.block", "UNSUBSCRIBE", 1, R`\b(?:va|te) blochez\b|\bblochez (?:numarul|contactul|adresa)\b|\bblock (?:you|this number)\b`, "amenință că blochează numărul"],
  ["unsub.en", "UNSUBSCRIBE", 2, R`\b(?:remove|delete|take) (?:me|us|my (?:number|email|address|data|details))\b|\btake (?:me|us) off\b|\b(?:do not|never|stop) (?:contact|text|message|email|call|write|send|bother|spam|contacting|texting|messaging|emailing|calling|writing|sending|bothering|spamming)\w*\b|\bno (?:more|further) (?:messages|emails|texts|calls|contact)\b|\bnot want (?:any )?(?:more )?(?:messages|emails|texts|calls)\b`, "cere să nu mai fie contactat (engleză)"],
  ["unsub.emoji", "UNSUBSCRIBE", 0.5, R`[🛑✋⛔🚫]`, "emoji de oprire"],

  // ── AUTO_REPLY: out-of-office and other robots ────────────────────────────────────────────────
  ["auto.explicit", "AUTO_REPLY", 2, R`\b(?:raspuns|mesaj|email) (?:generat )?automat\b|\bgenerat automat\b|\bauto(?:matic)? ?reply\b|\bautoreply\b|\bautomated (?:response|reply|message|email)\b|\bautomatic (?:reply|response|message)\b|\bout of (?:the )?office\b|\booo\b|\bautoresponder\b|\bwhatsapp business\b|\bdelivery (?:status notification|has failed|failed|to the following recipient)|\bundeliverable\b|\bmail delivery (?:failed|subsystem)\b|\bnu a putut fi (?:livrat|trimis)\w*|\bmesaj nelivrat\b|\bfailed permanently\b|\breturned mail\b|\bautomat(?:ic|ed) notification\b|\bnotificare automata\b`, "răspuns automat declarat"],
  ["auto.on-leave", "AUTO_REPLY", 1, R`\b(?:sunt|ma aflu|suntem|este|e) (?:plecat\w* )?in concediu\b|\bnu sunt disponibil\w*|\bi am (?:currently )?on (?:vacation|holiday|leave|annual leave)\b`, "anunță concediul"],
  ["auto.leave", "AUTO_REPLY", 0.8, R`\bconcediu\w*|\bannual leave\b|\bon (?:vacation|holiday|leave)\b|\b(?:parental|maternity|sick) leave\b`, "concediu"],
  ["auto.away", "AUTO_REPLY", 1, R`\b(?:plecat|plecata) din (?:birou|oras|localitate)\b|\bnu (?:sunt|ma aflu) (?:la|in) birou\b|\blipses[ct]\w*\b|\babsent\w*|\bin afara biroului\b|\baway from (?:the|my) (?:office|desk)\b|\bi am (?:currently )?(?:away|out|travelling|traveling)\b|\bwill be (?:out|away)\b|\bout of town\b|\bin deplasare\b|\bon a business trip\b|\baway on business\b|\bbusiness travel\b|\b(?:biroul|sediul|firma|magazinul|depozitul) (?:nostru |noastra )?(?:este|e|va fi) (?:inchis\w*|in concediu|in vacanta)\b|\b(?:office|we) (?:is|are|will be) closed\b`, "absent de la birou"],
  ["auto.away-until", "AUTO_REPLY", 0.8, R`\b(?:concediu\w*|plecat\w*|absent\w*|lipsesc|lipseste|deplasare|inchis|closed|targ|conferinta|delegatie|travelling|traveling|out of (?:the )?office|away|leave|vacation)\b[^?]{0,60}\b(?:pana|until|till|in perioada|intre|between|back on|returning|return on|reopen\w*|revin (?:pe|in|la|dupa))\b`, "absent până la o dată"],
  ["auto.limited", "AUTO_REPLY", 1, R`\bacces (?:limitat|redus)\b|\blimited connectivity\b|\blimited access\b|\bintermittent access\b|\bno access to (?:email|e ?mail)\b|\bnu am acces la (?:email|e ?mail|mail)\b|\bfara acces la\b`, "acces limitat la e-mail"],
  ["auto.urgent", "AUTO_REPLY", 0.6, R`\b(?:pentru|in caz de|pt) (?:situatii |probleme |chestiuni |cazuri )?urgen\w*|\bfor (?:any )?urgent\b|\bin urgent cases\b|\bin case of emergency\b`, "„pentru urgențe”"],
  ["auto.notice", "AUTO_REPLY", 0.6, R`\bva (?:anuntam|informam|aducem la cunostinta) ca\b|\bwe inform you that\b|\bplease note that\b`, "anunț formal"],
  ["auto.return", "AUTO_REPLY", 0.7, R`\bwill reopen\b|\b(?:se )?redeschide\w*|\bla (?:intoarcere|revenire|intoarcerea mea|revenirea mea|intoarcerea in birou)\b|\bupon my return\b|\bwhen i (?:return|get back|am back)\b|\braspund cu intarziere\b|\b(?:vom reveni|revenim) dupa\b|\bwill (?:be back|return)\b|\bback in the office\b|\brevin la birou\b|\bdupa ce ma intorc\b|\bma intorc\b`, "„la întoarcere”"],
  ["auto.will-answer", "AUTO_REPLY", 1, R`\b(?:vom|va vom|o sa va|va voi|voi|va va|revenim|vom reveni)\b[^.!?]{0,25}\b(?:in cel mai scurt timp|in curand|cea mai scurta vreme|cat mai (?:repede|curand|rapid)|cat de (?:curand|repede)|de indata ce|imediat ce|(?:24|48) (?:de )?ore|timpul programului|programul de lucru)\b|\bwill (?:get back to you|respond|reply)\b[^.!?]{0,30}\b(?:as soon as|within|shortly|upon)\b|\bun (?:coleg|operator|reprezentant|consultant|agent) (?:va|o sa) (?:va )?(?:contacta|raspunde|reveni)\b|\bwithin (?:24|48) hours\b|\bwill be processed within\b|\bva fi (?:procesat|preluat)\w*\b|\b\d+ (?:business|working) days\b|\b\d+ zile lucratoare\b`, "promisiune automată de răspuns"],
  ["auto.received", "AUTO_REPLY", 0.8, R`\b(?:am primit|a fost (?:receptionat|primit|inregistrat)\w*)\b[^.!?]{0,30}\b(?:mesaj|solicitar|email|cerere)\w*|\bmesajul (?:dumneavoastra|dvs) a fost\b|\bthank you for contacting\b|\b(?:va )?multumim ca (?:ne )?ati (?:scris|contactat)\b|\bwe have received your\b|\byour (?:message|email) has been received\b`, "confirmare automată de primire"],
  ["auto.thanks", "AUTO_REPLY", 0.4, R`\bmultumesc (?:pentru|for) (?:mesaj\w*|email\w*|e mail\w*|your (?:email|message)|contacting)\b`, "mulțumire formală pentru mesaj"],
  ["auto.hours", "AUTO_REPLY", 0.8, R`\bprogram(?:ul)? (?:nostru |de lucru )?(?:este |e )?:?\s*(?:l v|luni)\b|\bprogramul de lucru\b|\bprogramul nostru\b|\bbusiness hours\b|\boffice hours\b|\bl v \d`, "program de lucru anunțat"],
  ["auto.unmonitored", "AUTO_REPLY", 1, R`\bnu (?:mai )?este monitorizat\w*|\bnot (?:being )?monitored\b|\bnu va fi redirectionat\w*|\bwill not be forwarded\b|\bdo not reply to this\b|\bnu raspundeti la acest\b|\bmomentan nu suntem disponibili\b|\bcurrently unavailable\b|\bno longer in use\b|\bis no longer (?:active|monitored)\b|\bnu mai (?:este|e) (?:folosit|utilizat|activ)\w*`, "căsuță nemonitorizată"],

  // ── WRONG_PERSON: someone else decides, or the number is not theirs ───────────────────────────
  ["wrong.not-me", "WRONG_PERSON", 1.5, R`\bnu (?:sunt )?eu (?:ma ocup|decid|hotarasc|raspund|sunt (?:persoana|cel|cea|decidentul|fermierul|proprietarul|administratorul|responsabil\w*|patronul))\b|\bnu ma ocup eu\b|\bnu ma ocup (?:de|cu) (?:asta|achizit\w*|aprovizionar\w*|partea|firma|ferma|comenzi|cumparaturi|acest\w*|aceasta|astfel)\b`, "spune că nu se ocupă el"],
  ["wrong.not-person", "WRONG_PERSON", 1.5, R`\bnu (?:sunt|e|este) (?:eu )?(?:persoana|omul) (?:potrivit\w*|care|cu care|responsabil\w*|de contact|indicata)\b|\bnu sunt (?:eu )?(?:decidentul|cel care decide|cea care decide|fermierul|proprietarul|administratorul|patronul|responsabilul|cel care se ocupa|cea care se ocupa)\b|\bnu eu decid\b|\bnu decid eu\b|\bnu (?:e|este) decizia mea\b`, "spune că nu e persoana potrivită"],
  ["wrong.number", "WRONG_PERSON", 1.5, R`\b(?:ati )?gresit (?:numarul|numar|persoana|adresa|omul)\b|\bnumar(?:ul)? gresit\b|\bpersoana gresita\b|\bati gresit\b|\b(?:ati )?nimerit (?:gresit|la altcineva|un numar gresit|prost)\b|\bwrong (?:number|person|contact|address|guy)\b`, "număr / persoană greșită"],
  ["wrong.left", "WRONG_PERSON", 1.5, R`\bnu mai lucre(?:z|aza) (?:la|in|acolo|pentru|cu firma|de|aici)\b|\bnu mai sunt (?:angajat\w*|la firma|la ferma|administrator\w*|in firma|acolo|la aceasta)\b|\bam plecat de la (?:firma|ferma|companie|societate)\b|\bno longer (?:work|with|at|employed|manage\w*|run\w*|own\w*|handle\w*)\b|\bnot work (?:there|here|for)\b(?: anymore)?|\bi left (?:the|this) (?:company|farm)\b`, "nu mai lucrează acolo"],
  ["wrong.not-theirs", "WRONG_PERSON", 1.3, R`\bnu (?:la|e|este) o ferma\b|\bnu (?:avem|are|am) (?:nicio |vreo )?ferm\w* aici\b|\bam (?:cumparat|luat|primit) (?:acest |noul )?numar\w*|\bnumar(?:ul)? (?:acesta |asta )?(?:recent|nou)\b|\bnu stiu cine (?:e|este)\b|\ba fost al (?:tatalui|mamei|fratelui|sotului|sotiei|bunicului|lui|ei|unui|unei)\b|\bnu (?:sunt )?fermier\b|\bnu am (?:teren|pamant|ferma)\b|\bnu lucrez in agricultura\b|\bam (?:acest |noul )?numar(?:ul)?(?: asta)? de (?:putin|curand|o luna|cateva)\b|\bnumar(?:ul)? (?:e |este )?nou\b|\bam primit numarul\b|\bbelongs to (?:someone|somebody) else\b|\bnot (?:his|her|their) number\b|\bnu mai (?:apartine|este al|e al)\b|\bnu (?:e|este) (?:numarul|nr) (?:lui|domnului|doamnei|firmei|dumnealui)\b|\bnu cunosc (?:nicio|niciun|pe|firma|aceasta|acest|persoana)\b|\bnu am (?:nicio|nici o|vreo) ferma\b|\bnu stiu (?:de|despre) (?:ce|care|nicio) (?:firma|ferma|persoana)\b`, "numărul nu e al persoanei căutate"],
  ["wrong.changed", "WRONG_PERSON", 1.2, R`\b(?:s a mutat|a plecat din tara|a emigrat|nu mai are (?:ferma|firma|pamant)|nu se mai ocupa|s a retras|a decedat|a murit|nu mai (?:e|este) in viata|nu mai (?:e|este) printre noi|a trecut in nefiinta|s a pensionat|a iesit la pensie|am vandut (?:ferma|firma|pamantul|afacerea|terenul|tot)|noul (?:proprietar|administrator|patron)|a fost (?:preluat|preluata|vanduta|vandut)|has passed away|passed away|retired|sold the (?:farm|company|business))\b`, "ferma / firma a trecut la altcineva"],
  ["wrong.refer-role", "WRONG_PERSON", 1.5, R`\b(?:vorbiti|vorbeste|vorbim|discutati|discuta|luati legatura|contactati|contacteaza|sunati|suna|scrieti|scrie|dati|trimiteti|adresati va|intrebati|cautati)(?: (?:l|o|i|le))?(?: (?:cu|pe|la|lui|de|direct cu|mai bine cu))? (?:${ROLE_SRC}|el|ea|dumnealui|dumneaei)\b`, "trimite la altă persoană"],
  ["wrong.refer-clitic", "WRONG_PERSON", 1.3, R`\b(?:sunati|suna|contactati|contacteaza|scrieti|scrie|dati|trimiteti|intrebati|cautati) (?:l|i|le|o(?= pe\b))\b`, "trimite la altă persoană („sunați-l”)"],
  ["wrong.talk-with", "WRONG_PERSON", 1, R`\b(?:vorbiti|discutati|luati legatura|trebuie sa vorbiti|adresati va) cu (?!mine\b|noi\b|dumneavoastra\b|tine\b|voi\b)`, "„vorbiți cu …”"],
  ["wrong.handled-by", "WRONG_PERSON", 1.5, R`\bse ocupa (?:${ROLE_SRC}|el|ea|altcineva|alta persoana|altii)\b|\bde (?:asta|achizitii|aprovizionare|partea|comenzi|ferma|firma|semint\w*|ingrasamint\w*|contracte|cumparaturi|afaceri|\w+) se ocupa\b|\b(?:${ROLE_SRC})(?: (?:meu|mea|nostru|noastra|lui|ei))? (?:se ocupa|decide|hotaraste|are ferma|conduce)\b|\b(?:o|il) (?:administreaza|conduce|lucreaza|are|ia) (?:acum )?(?:${ROLE_SRC})\b|\badministreaza (?:${ROLE_SRC})\b`, "altcineva se ocupă"],
  ["wrong.responsible-is", "WRONG_PERSON", 1.3, R`\bresponsabil\w* (?:cu|de|pentru) \w+ (?:este|e)\b|\b(?:administratorul|directorul|seful|patronul|proprietarul|managerul|responsabilul|decidentul|fermierul) (?:e|este) (?:${ROLE_SRC}|\w+)\b|\bnu sunt eu\b`, "numește persoana responsabilă"],
  ["wrong.their-number", "WRONG_PERSON", 1, R`\b(?:numarul|nr|telefonul|mailul|emailul|adresa) (?:lui|ei|dumnealui|dumneaei|domnului|doamnei|colegului|colegei)\b|\b(?:his|her) (?:number|email|phone|address) is\b`, "dă datele altcuiva"],
  ["wrong.only-employee", "WRONG_PERSON", 1.2, R`\bnu sunt decat\b|\bsunt (?:doar|numai) (?:un |o )?(?:paznic|arendas|angajat|sofer|muncitor|ingrijitor)\w*|\bnu (?:e|este) (?:ferma|firma) mea\b|\bsunt (?:fiul|fiica|nepotul|nepoata|sotia|sotul|ginerele|nora) (?:lui|ei|dumnealui|dumneaei)\b|\b(?:eu )?sunt (?:doar |numai )?(?:soferul|sofer|angajatul|secretara|muncitor\w*|paznic\w*|tractorist\w*|mecanic\w*|ingrijitor\w*|vecin\w*)\b|\b(?:private|personal) number\b|\bthis is not (?:a|the) (?:farm|company)\b|\bpentru (?:achizitii|aprovizionare|comenzi|oferte|vanzari|cumparaturi|contracte)\b[^.!?]{0,30}\b(?:scrieti|sunati|trimiteti|contactati|adresati va|vorbiti)\b|\btrebuie sa (?:scrieti|sunati|vorbiti|contactati) (?:la|cu|pe)\b|\beu (?:doar|numai) lucrez aici\b|\bsunt (?:doar|numai) (?:contabil\w*|angajat\w*|secretar\w*|sofer\w*|muncitor\w*|paznic\w*|tractorist\w*)\b|\bi am (?:just|only) (?:the|an?) \w+\b`, "e doar angajat"],
  ["wrong.office", "WRONG_PERSON", 0.8, R`\b(?:sunati|scrieti|suna|scrie|dati un telefon) la (?:birou|firma|sediu|contabilitate|secretariat|centrala|administratie)\b|\bnu (?:stiu|ma pricep) (?:de|la) (?:astea|asta|asa ceva)\b`, "trimite la birou"],
  ["wrong.mail-to", "WRONG_PERSON", 1, R`\bnu mie\b|\bnu la mine\b|(?:^|[.!?]\s*)nu eu\b|\bpersoan\w* privat\w*|\bnumar (?:privat|personal)\b|\bdati (?:un )?(?:mail|email|mesaj|telefon|sms) (?:la|lui|pe)\b|\bplease (?:email|contact|write to) zemailz\b`, "trimite la altă adresă"],
  ["wrong.relative-not", "WRONG_PERSON", 1.2, R`\b(?:mama|tata|tatal|sotul|sotia|bunicul|bunica|fratele) nu (?:foloseste|are|citeste|stie|mai)\b`, "răspunde în numele unei rude"],
  ["wrong.en", "WRONG_PERSON", 1.5, R`\b(?:please )?(?:contact|speak (?:with|to)|talk (?:with|to)|reach out to|email|call|ask for|get in touch with) (?:our|my|the) (?:\w+ )?(?:manager|owner|son|daughter|father|mother|husband|wife|brother|colleague|boss|director|accountant|purchasing|procurement|buyer|agronomist|partner)\b|\bnot the right (?:person|contact)\b|\bnot the (?:person|one) (?:you|who)\b|\bi am not (?:the )?(?:owner|decision maker|right person|farmer)\b|\b(?:my|our) (?:father|mother|son|daughter|husband|wife|brother|colleague|boss|manager|partner) (?:handles|runs|manages|is in charge|deals|takes care)\b|\bspeak (?:with|to) \w+,? (?:our|my)\b|\b(?:managed|run|handled|owned) by (?:my|our|his|her)\b|\breach (?:him|her)\b|\bnot involved in\b|\bplease write to our\b|\bour buyer\b|\bdoes not work here\b|\bthe person you are looking for\b`, "trimite la altă persoană (engleză)"],

  // ── NOT_INTERESTED ────────────────────────────────────────────────────────────────────────────
  ["not.interested", "NOT_INTERESTED", 2, R`\bnu (?:ma|ne) (?:mai )?intereseaza\b|\bnu (?:sunt|suntem|mai sunt|mai suntem|is|sunt deloc) interesat\w*|\bnot interested\b|\bnu ne ar interesa\b`, "spune că nu e interesat"],
  ["not.no-thanks", "NOT_INTERESTED", 1.5, R`\bnu,? multumesc\b|\bno,? multumesc\b|\bnu,? merci\b`, "„nu, mulțumesc”"],
  ["not.no-need", "NOT_INTERESTED", 1.5, R`\bnu (?:avem|am|mai avem|mai am) nevoie\b|\bnu (?:e|este|mai e|mai este) nevoie\b|\bnu (?:suntem|sunt) in cautare\b|\bnot looking for\b|\bno need\b|\bdo not need\b`, "nu are nevoie"],
  ["not.no-use", "NOT_INTERESTED", 1.2, R`\bnu (?:e|este|i) de (?:noi|mine)\b|\bnu i nevoie\b|\bnot (?:buying|purchasing|ordering)\b|\bnu (?:ne|imi|mi|ne mai|imi mai|mi mai) trebuie\b|\bnu (?:e|este) (?:cazul|pentru noi|de interes|pentru mine)\b|\bnu are rost\b|\bnu (?:ma|ne) atrage\b|\bnot for us\b|\bnot relevant\b`, "refuz politicos"],
  ["not.dont-want", "NOT_INTERESTED", 1.2, R`\bnu (?:vreau|vrem|dorim|doresc)\b(?! sa (?:mai )?(?:primesc|primim|fiu|fim|va (?:supar|deranjez|rapesc)|deranjez|par|insist))|\bnu (?:cumpar|cumparam|comand|comandam|schimbam|schimb)\b|\bdo not want\b`, "nu vrea"],
  ["not.alone", "NOT_INTERESTED", 1.3, R`(?:^|[.!?;,]\s*|\bdar\s+|\bbut\s+|\bsincer\s+)(?:nu|no|nope)\s*(?=[.!?,;]|$|\p{Extended_Pictographic})`, "„nu” scurt"],
  ["not.never", "NOT_INTERESTED", 1.5, R`\brefuz\b|\bnu accept\w*|\bnu ne convine\b|\bnu merita\b|\blasati o balta\b|\bnot needed\b|\bwe are all set\b|\bnici nu cred\b|\bnici nu o sa\b|\bniciodata\b|\bdeloc\b|\bnever\b|\bno interest\b|\b(?:i|we) will pass\b|\bpass on this\b|\bnu (?:vand|vindem)\b|\bde vanzare\b`, "refuz categoric"],
  ["not.doubt", "NOT_INTERESTED", 0.8, R`\bnu cred\b(?! ca (?:e|este) (?:o problema|rau))|\bnu prea\b|\bnu merge\b|\bno way\b`, "îndoială / refuz"],
  ["not.supplier", "NOT_INTERESTED", 1.3, R`\bavem (?:deja )?(?:furnizor\w*|contract\w*|un contract|distribuitor\w*|tot ce ne trebuie|de toate)\b|\b(?:lucram|colaboram|cumparam)\b[^.!?]{0,25}\b(?:alt furnizor|alti furnizori|alta firma|altcineva|deja|de ani|de mult)\b|\b(?:suntem|ne am) (?:deja )?(?:aprovizionat\w*|acoperit\w*|asigurat\w*)|\bam (?:cumparat|luat|comandat|semnat) deja\b|\bam ales alt\w*|\bam (?:deja )?furnizor\b|\balready (?:have|work with|use|bought|signed)\b|\bhappy with (?:our|them|the current)\b|\bwe are (?:good|fine|all set|covered)\b|\banother supplier\b`, "are deja furnizor"],
  ["not.stopped", "NOT_INTERESTED", 1, R`\b(?:we|i) do not (?:use|need|buy|grow|want)\b|\bne am (?:decis|hotarat) sa (?:lucram|colaboram|mergem|cumparam) (?:cu|de la) alt\w*|\bnu mai (?:cumpar|cumparam|comand|comandam|colaborez|colaboram)\b|\bnu (?:colaborez|colaboram)\b|\bam inchis (?:ferma|firma|activitatea|afacerea)\b|\bnu (?:folosim|utilizam|aplicam)\b|\bne descurcam\b|\b(?:am|avem) (?:destul\w*|suficient\w*)\b|\bam trecut pe\b|\bam renuntat\b|\bnu mai (?:cultivam|cultiv|lucram|facem|fac|folosim|avem|ma ocup|ne ocupam)\b(?! nevoie)|\bne am hotarat sa nu\b|\bam decis sa nu\b|\bnu mai facem agricultura\b`, "nu mai face asta"],
  ["not.small", "NOT_INTERESTED", 0.6, R`\bfacem doar\b|\bnu (?:cultivam|avem) (?:porumb|grau|floarea|rapita|cereale|teren\w*|pamant)\b|\bsuntem (?:o )?ferma mica\b|\bsuntem mici\b`, "nu e profilul lui"],
  ["not.too-expensive", "NOT_INTERESTED", 1.3, R`\bprea scump\w*|\bprea mari?\b|\bprea mult\b|\bnu (?:ne )?permitem\b|\btoo expensive\b|\btoo (?:much|high)\b`, "prea scump"],
  ["not.emoji", "NOT_INTERESTED", 1, R`[👎]`, "emoji 👎"],
  ["complaint.emoji", "COMPLAINT", 0.8, R`[🤬🖕]`, "emoji ostil"],
  ["complaint.emoji-angry", "COMPLAINT", 0.5, R`[😡😠😤]`, "emoji furios"],

  // ── PRICE_REQUEST ─────────────────────────────────────────────────────────────────────────────
  ["price.word", "PRICE_REQUEST", 1.3, R`\bpret(?:ul|uri|urile|urilor|ului)?\b|\bprices?\b|\bpricing\b`, "întreabă de preț", { trigger: "price" }],
  ["price.how-much", "PRICE_REQUEST", 1.5, R`\bcat (?:costa|ar costa|ne ar costa|m ar costa|ne costa|va costa|vine|ar veni|e|este|ar fi|iese|ar iesi|face|ajunge|ar ajunge|luati|cereti|dati|platim|platesc)\b(?! (?:timp|de (?:mare|mult|repede)|durata|dureaza))|\bhow much\b|\bcat dati\b|\bla cat (?:e|este|ajunge|vine|iese|ar|vindeti|dati|se vinde)\b|\bla ce pret\b|\b(?:what do you |do you )?charge\b`, "„cât costă”", { trigger: "price" }],
  ["price.with-how-much", "PRICE_REQUEST", 1.3, R`\bcu cat\b`, "„cu cât”", { trigger: "price" }],
  ["price.cost", "PRICE_REQUEST", 1.2, R`\bcost(?:a|ul|uri|urile|urilor|ului|at|s|ing|ed)?\b`, "întreabă de cost", { trigger: "price" }],
  ["price.terms", "PRICE_REQUEST", 1.3, R`\btarif\w*|\bcotati\w*|\blista de pret\w*|\boferta de pret\b|\bdiscount\w*|\breducer\w*|\brabat\w*|\bquote\b|\bquotation\b|\bprice list\b|\bpromoti\w*|\boferte? speciale?\b|\bpret special\b|\bspecial offer\b|\bpromotion\w*`, "cere ofertă de preț / reducere", { trigger: "price" }],
  ["price.cheaper", "PRICE_REQUEST", 1, R`\bieftin\w*|\bcheaper\b|\bpe (?:tona|kg|hectar|litru|sac|bucata)\b|\bper (?:ton|tonne|kg|hectare|ha|liter|litre|bag)\b|\btva\b|\bvat\b`, "compară prețuri", { trigger: "price" }],
  ["price.objection", "PRICE_REQUEST", 0.4, R`\bscump\w*|\bexpensive\b`, "obiecție de preț", { trigger: "price" }],

  // ── QUESTION ─────────────────────────────────────────────────────────────────────────────────
  ["question.mark", "QUESTION", 0.8, R`\?`, "pune o întrebare"],
  ["question.start", "QUESTION", 0.6, R`(?:^|[.!?,;]\s*)(?:buna ziua,? |salut,? |buna,? )?(?:ce|cum|cand|unde|cine|care|cat|cate|cati|de ce|oare|daca|aveti|lucrati|livrati|vindeti|oferiti|faceti|exista|se poate(?= \w)|puteti|putem|este posibil|e posibil|what|how|when|where|who|which|why|do you|does|is it|is the|is there|are you|are there|can you|could you|will you)\b`, "întrebare"],
  ["question.specific", "QUESTION", 1, R`\b(?:aveti (?:si|in stoc|disponibil)|lucrati (?:si )?cu|livrati (?:si )?(?:in|la|pana|acasa)|vindeti (?:si|la|doar)|oferiti (?:si|consultanta)|se poate(?= \w)|este posibil|exista posibilitatea|ce (?:garantie|conditii|termen|cantitate|tip|soiuri|produse|hibrizi|inseamna|anume|firma|companie|fel)|care (?:e|este|sunt) (?:diferenta|conditiile|termenul)|in cat timp|cat dureaza|cum (?:functioneaza|se face|ajunge|lucrati)|cu ce (?:va|te) pot ajuta|ce doriti|de unde sunteti|cine sunteti|despre ce (?:e|este) vorba|(?:ma|ne) intereseaza daca|as vrea sa stiu|vreau sa stiu|as dori sa stiu|ati putea sa (?:mi|ne) explicati|do you (?:deliver|have|sell|work|offer|ship)|is (?:the|it|this) \w+ (?:treated|certified|available)|what kind|who are you|what (?:are|do) you)\b`, "întrebare despre produs sau condiții"],
  ["question.confused", "QUESTION", 0.3, R`\bnu (?:inteleg|am inteles|stiu ce)\b|\bdon?t understand\b`, "nu înțelege oferta"],

  // ── LATER ────────────────────────────────────────────────────────────────────────────────────
  ["later.later", "LATER", 1.2, R`\bmai tarziu\b|\b(?:in )?alta zi\b|\bnu (?:e|este) perioada potrivita\b|\bnu (?:e|este) momentul\b|\bnu (?:e|este) (?:un )?moment bun\b|\blater\b|\bnot a good time\b|\bsome other time\b|\banother time\b`, "amână pe mai târziu"],
  ["later.not-now", "LATER", 1, R`\b(?:azi|acum|astazi) nu pot\b|\bnu pot (?:acum|azi|vorbi acum)\b|\bnu (?:acum|momentan|in perioada (?:asta|aceasta)|in momentul (?:de fata|asta)|luna asta|saptamana asta)\b|\bacum nu\b|\balta data\b|\bin alta perioada\b|\bintr un alt moment\b|\bmai incolo\b|\bmai pe (?:urma|incolo)\b|\bnot (?:right )?now\b|\bnot at the moment\b|\banul asta nu\b|\bnot this (?:year|season|month)\b`, "„nu acum”"],
  ["later.for-now", "LATER", 0.8, R`\bdeocamdata nu\b|\bmomentan nu\b|\bpentru moment nu\b`, "„momentan nu”"],
  ["later.come-back", "LATER", 1.2, R`\breveniti\b|\breveniti ne\b|\breveniti mi\b|\brevin eu\b|\brevin (?:in|la|dupa|peste|cand|cu un raspuns|eu)\b|\bvom reveni noi\b|\bfollow up\b|\bget back to (?:me|us)\b|\bcheck back\b|\breach out (?:again|later|next)\b|\bcome back\b`, "cere să revenim"],
  ["later.talk-later", "LATER", 1, R`\bmai (?:vorbim|discutam|vedem|auzim|scrieti|scrie|sunati|suna|contactati|ne auzim|ne vedem|stam de vorba)\b|\batunci (?:vorbim|discutam|ne auzim|va (?:sun|scriu|raspund))\b|\bvorbim atunci\b|\bputem vorbi atunci\b`, "„mai vorbim”"],
  ["later.again", "LATER", 1, R`\b(?:scrieti|scrie|sunati|suna|contactati|reveniti|try|contact|call|write|message)\w*(?: \w+)? (?:din nou|again|iar)\b`, "cere să fie contactat din nou"],
  ["later.busy", "LATER", 0.8, R`\b(?:ocupat\w*|pe camp|in camp|la camp|la semanat|in campanie|la recoltat|in plina (?:recolta|campanie)|in plin sezon|la stropit|cu tratamentele|prins\w* cu|busy|in spital|plecat din tara|nu am timp|nu avem timp|no time|sunt pe drum)\b`, "e ocupat acum"],
  ["later.budget", "LATER", 0.6, R`\bnu (?:avem|am) (?:buget|bani|fonduri)\b|\bno budget\b|\bfinalizing the budget\b`, "fără buget acum"],
  ["later.revisit", "LATER", 1, R`\bmai asteptati\b|\basteptati (?:putin|un pic)\b|\bmai lasati ma\b|\bgive me (?:some )?time\b|\bwait a (?:bit|little)\b|\brevisit\b|\bcircle back\b|\btouch base (?:later|again|in)\b|\bping me (?:later|in|after)\b|\bcome back to (?:this|it|me)\b|\bva anuntam (?:noi|cand|daca|dupa)\b|\bte anunt\b`, "amână pe mai târziu"],
  ["later.consult", "LATER", 0.8, R`\bnu stiu inca\b|\binca nu stiu\b|\btrebuie sa (?:ma consult|vorbesc|discut|ma gandesc|vad|ma sfatuiesc)\b|\bma consult cu\b|\bne consultam\b|\bacum (?:e|este) (?:greu|complicat|dificil|aglomerat)\b|\babia (?:in|la|dupa|peste|anul|luna|atunci)\b|\bva (?:sun|suna|scriu|caut|contactez|anunt) eu\b`, "amână decizia"],
  ["later.thinking", "LATER", 0.6, R`\b(?:ma|ne) (?:mai )?gandesc\b|\bne gandim\b|\bvom vedea\b|\bo sa vedem\b|\bmai vedem\b|\bthink about it\b|\blet me think\b|\bva (?:dau|dam) un raspuns\b|\bva (?:anunt|anuntam) (?:noi|eu|cand|daca|dupa)\b`, "se mai gândește"],

  // ── INTERESTED ───────────────────────────────────────────────────────────────────────────────
  ["int.interested", "INTERESTED", 1.5, R`\b(?:sunt|suntem|as fi|am fi|is|sunt foarte|suntem foarte) interesat\w*|\binterested\b`, "spune că e interesat", { neg: "NOT_INTERESTED" }],
  ["int.interested-word", "INTERESTED", 1.2, R`\binteresat\w*`, "„interesat”", { neg: "NOT_INTERESTED" }],
  ["int.interests-me", "INTERESTED", 1.5, R`\b(?:ma|ne) (?:ar )?intereseaza\b(?! (?:daca|cat|pretul|preturile|ce|cum|care|unde|cand|si daca))|\bne ar interesa\b|\bm ar interesa\b|\bar fi interesant\b|\bar putea fi interesant\b`, "„mă interesează”", { neg: "NOT_INTERESTED" }],
  ["int.interesting", "INTERESTED", 0.8, R`\binteresant\b|\binteresting\b`, "„interesant”", { neg: "NOT_INTERESTED" }],
  ["int.yes", "INTERESTED", 0.8, R`(?:^|[.!?,]\s*)(?:se poate|bine|merge)\s*(?=[.!,]|$)|\b(?:da|yes|yeah|yep|sigur|desigur|bineinteles|evident|absolut|cum sa nu|de ce nu|why not|sure|of course|definitely|absolutely)\b`, "acceptă"],
  ["int.ok", "INTERESTED", 0.7, R`\b(?:ok|perfect|super|excelent|minunat|grozav|fain|beton|great|excellent|good|fine)\b`, "„ok”", { neg: "NOT_INTERESTED" }],
  ["int.agree", "INTERESTED", 1, R`\bde acord\b|\bagreed\b|\bsuna (?:bine|interesant|promitator|ok|excelent|foarte bine)\b|\bsounds (?:good|great|interesting|fine)\b|\bar fi o idee\b|\bbuna idee\b|\bgood idea\b`, "e de acord", { neg: "NOT_INTERESTED" }],
  ["int.send-offer", "INTERESTED", 1.5, R`\b(?:va )?confirm(?:am)? (?:interesul|ca suntem interesati)\b|\b(?:sa )?(?:ne |mi |imi )?transmiteti (?:\w+ ){0,3}?(?:oferta|o oferta|detalii|informatii|propunere\w*|catalog\w*)\b|\btrimiteti (?:mi |ne )?o\b(?! pe\b)|\b(?:trimiteti|trimite)(?: va rog)? (?:pe|la|prin) (?:email|mail|whatsapp|adresa)\b|\b(?:trimiteti|trimite|trimiteti va rog|sa (?:imi|ne|mi) trimiteti|puteti (?:sa )?(?:imi |ne |mi )?trimite\w*|astept|asteptam|as dori|am dori|dorim|doresc|vreau|vrem|as vrea|am vrea|send|forward|email)(?: (?:mi|ne|me|us))?(?: \w+){0,4}? (?:oferta|ofertele|o oferta|detalii|detaliile|mai multe|informatii|informatiile|catalog\w*|brosur\w*|prezentare\w*|pliant\w*|fisa|fise|propunere|o propunere|contractul|contract|mostr\w*|details|offer|the offer|more info\w*|information|brochure|catalog\w*|proposal)\b`, "cere oferta / detalii", { neg: "NOT_INTERESTED" }],
  ["int.waiting", "INTERESTED", 1.5, R`\b(?:astept|asteptam|va astept|va asteptam)\b(?: \w+){0,2}? (?:oferta|telefon\w*|apel\w*|detalii|vizita|propunere\w*|raspuns\w*|sa (?:ma|ne) (?:sunati|contactati)|sa ne (?:vedem|intalnim))\b|\bva astept\b|\bva asteptam\b`, "așteaptă oferta sau un telefon", { neg: "NOT_INTERESTED" }],
  ["int.call-me", "INTERESTED", 1.5, R`\b(?:sunati|suna|contactati|contacteaza|scrieti|scrie|call|contact|text|email|ring) ${SELF}\b|\b(?:ma|ne) (?:puteti|poti) (?:suna|contacta|apela|gasi)\b|\bputeti (?:sa )?(?:ma|ne) (?:sunati|suna|contactati|contacta|apelati)\b|\bdati (?:mi|ne) (?:un )?(?:telefon|apel|mesaj|semn|email|mail)\b|\btrimite(?:ti)? (?:mi|ne) (?:un |o )?(?:mesaj|sms|email|mail|semn)\b|\bgive me a (?:call|ring)\b|\bsa (?:ma|ne) (?:contactati|sunati|apelati|cautati)\b|\bmy (?:number|phone) is\b|\bnumarul meu (?:e|este)\b`, "cere să fie sunat", { neg: "NOT_INTERESTED", contact: true }],
  ["int.talk", "INTERESTED", 1.5, R`\bhai sa (?:vorbim|discutam|ne vedem|facem|vedem)\b|\blet us (?:talk|meet|discuss)\b|\bputem (?:vorbi|discuta|sta de vorba|sa vorbim|sa discutam|sa ne vedem|ne vedea)\b|\bsa (?:vorbim|discutam|ne vedem|ne intalnim)\b`, "propune o discuție", { contact: true }],
  ["int.meet", "INTERESTED", 1.5, R`\b(?:sa|poate sa) (?:vina|treaca) (?:agentul|un agent|reprezentantul|un reprezentant|cineva|colegul|un coleg)\b|\btrimiteti (?:mi |ne )?(?:un |pe )?(?:agent|reprezentant|om|coleg)\w*\b|\b(?:puteti|poti|ati putea) (?:sa )?(?:veni|veniti|trece|treceti)\b|\bveniti pe la\b|\btrece\w* pe la\b|\bo (?:programare|intalnire|vizita|prezentare|demonstratie)\b|\bfacem o (?:programare|intalnire)\b`, "propune o întâlnire"],
  ["int.deal", "INTERESTED", 1.5, R`\b(?:pentru|facem|incheiem|pregatiti|trimiteti) (?:un |the |a )?contract\w*\b|\bdatele firmei\b|\bfactur\w*|\bproforma\b|\bfacem comanda\b|\bplasam (?:o )?comanda\b|\bcum procedam\b|\bcare sunt pasii\b|\bhow do we proceed\b|\bnext steps\b|\bma bucur\b|\bne bucuram\b|\bcautam (?:asa ceva|un furnizor|furnizor\w*)|\bcaut (?:un )?(?:nou )?furnizor|\bexact ce (?:cautam|ne trebuie|imi trebuia)\b|\blooking for (?:a )?(?:new )?supplier\b|\beu sunt (?:administratorul|proprietarul|patronul|decidentul|seful|persoana potrivita)\b|\bvorbiti cu mine\b`, "pregătește comanda / contractul"],
  ["int.buy", "INTERESTED", 2, R`\b(?:vreau|vrem|dorim|doresc|as vrea|am vrea|as dori|am dori|hai sa|we want|we would like|i would like|we need|i need|am nevoie|avem nevoie)(?: sa)? (?:comand\w*|cumpar\w*|achizition\w*|luam|iau|colabor\w*|incerc\w*|testam|order|buy|purchase|try)\b|\b(?:comandam|cumparam|luam)\b(?= \d| si| de)`, "vrea să cumpere", { neg: "NOT_INTERESTED" }],
  ["int.together", "INTERESTED", 1.5, R`\b(?:sa|as vrea sa|am vrea sa|vrem sa|hai sa) (?:lucram|colaboram|facem afaceri|facem o (?:intelegere|afacere))(?: impreuna)?\b(?! cu alt)|\blucram impreuna\b|\bcount me in\b|\blet us do it\b|\bgo ahead\b|\bi am in\b|\blooking forward\b|\bpare (?:ok|bine|interesant|buna)\b|\bla momentul potrivit\b|\bpicati la fix\b|\btocmai (?:cautam|ne gandeam|planificam)\b|\b(?:exact )?asta cautam\b|(?:^|[.!?,]\s*)bravo\b|\b(?:sa )?facem o comanda\b|\bcomanda de proba\b|\bsa plasam o comanda\b|\bexact ce (?:ne|imi) trebui\w*\b|\bne ar (?:prinde bine|ajuta|folosi)\b|\b(?:spuneti|dati) (?:mi|ne) (?:mai multe|detalii)\b|\b(?:am|avem) nevoie urgent\b|\burgent (?:am|avem) nevoie\b`, "vrea să lucreze cu noi", { neg: "NOT_INTERESTED" }],
  ["int.learn-more", "INTERESTED", 1.3, R`\b(?:vreau|vrem|as vrea|am vrea|as dori|am dori|dorim|doresc) sa (?:aflu|aflam|stiu mai|vad|vedem|discutam|vorbim)\b|\bwant to (?:know|learn|hear) more\b|\btell me more\b|\b(?:mi|ne) ar placea\b|\bsa (?:aflu|aflam|stiu) mai multe\b|\b(?:like|love|want|happy) to (?:receive|get|see|have|hear) (?:your |the |an |a |more )?(?:offer|quote|details|proposal|catalog\w*|information|prices?|more)\b`, "vrea să afle mai multe", { neg: "NOT_INTERESTED" }],
  ["int.need", "INTERESTED", 1, R`\b(?:am|avem) nevoie (?:urgent |rapid |cat mai repede )?de\b|\b(?:ne|imi|mi) trebuie\b|\bwe need\b|\bi need\b`, "are nevoie", { neg: "NOT_INTERESTED" }],
  ["int.no-objection", "INTERESTED", 1.3, R`\bnu (?:am|avem) nimic impotriva\b|\bnu (?:e|este|suna|ar fi) rau\b|\bnu (?:ar )?strica\b|\bnu zic nu\b|\bnu spun nu\b|\bnu refuz\b|\bnot bad\b|\bno problem\b|\bnici o problema\b|\bnicio problema\b`, "acord spus prin negație („nu am nimic împotrivă”)"],
  ["int.emoji", "INTERESTED", 0.6, R`[👍👌✅🤝]`, "emoji de acord"],
  ["int.emoji-warm", "INTERESTED", 0.3, R`[🙏😊🙂😀😃😄😁🤗]`, "emoji prietenos"],
  ["int.cooperate", "INTERESTED", 0.8, R`\bcolabor\w*|\bparteneriat\w*|\bpartnership\b`, "vorbește de colaborare", { neg: "NOT_INTERESTED" }],
];

export const CUES: readonly Cue[] = SPECS.map(([id, intent, weight, source, label, extra]) => ({
  id,
  intent,
  weight,
  re: new RegExp(source, "u"),
  label,
  ...extra,
}));

/** Emojis that change the tone of a reply (score only; intent cues for 👎 🛑 are above). */
export const POSITIVE_EMOJI = /[👍🙏😊🙂😀😃😄😁👌✅🤝💪❤♥🔥🌾🌻🚜😉🤗]/u;
export const NEGATIVE_EMOJI = /[😡🤬👎😠😤🖕💩😒🙄]/u;
export const POSITIVE_EMOJI_INTENT = /[👍👌✅🤝]/u;

/** A negation that turns the cue after it around ("nu sunt interesat"); ≤ 2 words in between. */
export const NEGATION_BEFORE = /\b(?:nu|nici|not|no|never|fara|n)\b(?:\s+\S+){0,2}\s*$/;

/** Contrast: what comes after "dar" usually carries the decision ("nu acum, dar trimiteți oferta"). */
export const CONTRAST = /\b(?:dar|insa|totusi|doar ca|numai ca|but|however|though)\b/g;

/** Auto-reply markers in an email subject. */
export const AUTO_SUBJECT = /^\s*(?:\[?\s*(?:raspuns automat|automatic reply|auto(?:matic)? ?reply|autoreply|out of (?:the )?office|ooo|absent|concediu|auto)\b)/;

/** Politeness that softens a refusal ("nu, mulțumesc"). */
export const POLITE = /\bmultumesc\b|\bva rog\b|\bo zi buna\b|\bnumai bine\b|\bscuze\b|\bsorry\b|\bfrumos\b/;
