import {
  addMonths,
  AGRI_CALENDAR,
  afterEaster,
  afterSeason,
  civil,
  dayNumber,
  daysInMonth,
  isoDate,
  isValidDate,
  nextOf,
  seasonStart,
  todayIn,
  weekday,
  type Season,
} from "./calendar";
import { canonicalText, foldText } from "./normalize";

/**
 * Romanian (and English) time expressions → the tenant-local date a conversation may resume on.
 * Pure: `now` and the time zone come in; the answer is a YYYY-MM-DD day strictly after today, or null
 * when the text names no time. When a reply names several times ("plecat până luni, reveniți marți")
 * the latest wins: resuming early would write to someone who asked us to wait.
 *
 * Conventions (documented in calendar.ts and the ADR):
 * - a month alone ("în februarie") → the 1st of its next occurrence after this month;
 *   "după martie" → 1 April; "începutul / mijlocul / sfârșitul lui martie" → 1 / 15 / 25 March;
 * - "până pe 16 martie", "until 10 March", a range "1-14 martie": the last day away → the day after;
 *   "revin pe 20", "back on 23 March", "după 20 august": that day;
 * - "după 15" / "pe 20" (a day of the month alone) → the next such day after today;
 * - weekdays ("luni", "marți") → the next such day after today; "lunea viitoare" → next week's;
 * - relative amounts ("peste două săptămâni", "in 3 weeks") count from today;
 * - seasons, harvests, holidays, Easter: the agricultural calendar in calendar.ts.
 */

export interface TimeExpression {
  /** YYYY-MM-DD in the tenant's calendar. */
  date: string;
  /** Days from today (≥ 1). */
  daysAhead: number;
  /** The words that named it (canonical spelling), for the reason shown to reps. */
  expression: string;
}

const MONTH_WORDS: readonly [string, number][] = [
  ["ianuarie", 1], ["january", 1], ["februarie", 2], ["february", 2], ["martie", 3], ["march", 3], ["aprilie", 4],
  ["april", 4], ["mai", 5], ["may", 5], ["iunie", 6], ["june", 6], ["iulie", 7], ["july", 7], ["august", 8],
  ["septembrie", 9], ["september", 9], ["octombrie", 10], ["october", 10], ["noiembrie", 11], ["november", 11],
  ["decembrie", 12], ["december", 12],
];
const MONTH_ABBR: readonly [string, number][] = [
  ["ian", 1], ["jan", 1], ["feb", 2], ["febr", 2], ["mar", 3], ["mart", 3], ["apr", 4], ["iun", 6], ["jun", 6],
  ["iul", 7], ["jul", 7], ["aug", 8], ["sep", 9], ["sept", 9], ["oct", 10], ["nov", 11], ["noi", 11], ["dec", 12],
];
const MONTHS = new Map<string, number>([...MONTH_WORDS, ...MONTH_ABBR]);
const MONTH_FULL_SRC = MONTH_WORDS.map(([w]) => w).join("|");
const MONTH_ANY_SRC = [...MONTH_WORDS, ...MONTH_ABBR].map(([w]) => w).sort((a, b) => b.length - a.length).join("|");

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  o: 1, un: 1, una: 1, unu: 1, a: 1, an: 1, one: 1, doua: 2, doi: 2, two: 2, trei: 3, three: 3, patru: 4, four: 4,
  cinci: 5, five: 5, sase: 6, six: 6, sapte: 7, seven: 7, opt: 8, eight: 8, noua: 9, nine: 9, zece: 10, ten: 10,
  cateva: 3, "a few": 3, "a couple of": 2, cat: 1,
};
const AMOUNT_SRC = String.raw`\d{1,2}|o|un|una|unu|a|an|one|doua|doi|two|trei|three|patru|four|cinci|five|sase|six|sapte|seven|opt|eight|noua|nine|zece|ten|cateva|a few|a couple of`;

const WEEKDAYS: Readonly<Record<string, number>> = {
  luni: 1, lunea: 1, monday: 1, marti: 2, martea: 2, tuesday: 2, miercuri: 3, miercurea: 3, wednesday: 3,
  joi: 4, joia: 4, thursday: 4, vineri: 5, vinerea: 5, friday: 5, sambata: 6, saturday: 6, duminica: 7, sunday: 7,
};

const SEASONS: Readonly<Record<string, Season>> = {
  primavara: "spring", spring: "spring", vara: "summer", summer: "summer", toamna: "autumn", autumn: "autumn",
  fall: "autumn", iarna: "winter", winter: "winter",
};

/** Words that, just before a date, mean "I am away until then" (the day after is the return). */
const UNTIL_BEFORE = /\b(?:pana|until|till|through|thru)\b(?:\s+(?:pe|la|in|on|the|data de|luni|marti|miercuri|joi|vineri|sambata|duminica|monday|tuesday|wednesday|thursday|friday|saturday|sunday),?)*\s*$/;
/** Words that make a small number an hour, not a day of the month ("sună-mă diseară după 7"). */
const HOUR_CONTEXT = /\b(?:ora|orele|ore|seara|diseara|dimineata|dupa amiaza|dupamasa|pranz|noaptea|azi|astazi|maine|pm|am|tonight|morning|afternoon|evening|o'clock)\b|\d{1,2}:\d{2}/;

interface Found {
  day: number;
  expression: string;
}

type Rule = { re: RegExp; read: (m: RegExpExecArray, today: number, text: string) => number | null };

const yearOf = (raw: string | undefined): number | null => {
  if (!raw) return null;
  const y = Number(raw);
  return raw.length === 2 ? 2000 + y : y;
};

/** The next occurrence of month/day strictly after today (or in the given year, if it is not past). */
function nextMonthDay(today: number, month: number, day: number, year: number | null): number | null {
  if (year !== null) {
    if (!isValidDate(year, month, day)) return null;
    const n = dayNumber(year, month, day);
    return n > today ? n : null;
  }
  const { year: y } = civil(today);
  if (isValidDate(y, month, day)) {
    const thisYear = dayNumber(y, month, day);
    if (thisYear > today) return thisYear;
    // "starting 2 March" said on 2 March, "din 20 februarie" in early March: a date just past, not next year's.
    if (today - thisYear <= RECENT_PAST_DAYS) return null;
  }
  return isValidDate(y + 1, month, day) ? dayNumber(y + 1, month, day) : null;
}

/** A year-less date at most this many days ago is read as this year's (past), not next year's. */
const RECENT_PAST_DAYS = 31;

/** The 1st (or another day) of a month's next occurrence after the current month. */
function nextMonthStart(today: number, month: number, dayOfMonth = 1, year: number | null = null): number | null {
  const { year: y, month: m } = civil(today);
  const targetYear = year ?? (month > m ? y : y + 1);
  const n = dayNumber(targetYear, month, Math.min(dayOfMonth, daysInMonth(targetYear, month)));
  return n > today ? n : null;
}

function nextDayOfMonth(today: number, day: number): number | null {
  if (day < 1 || day > 31) return null;
  const { year, month } = civil(today);
  for (let i = 0; i < 3; i++) {
    const n = addMonths(dayNumber(year, month, 1), i);
    const { year: y, month: m } = civil(n);
    if (day <= daysInMonth(y, m) && dayNumber(y, m, day) > today) return dayNumber(y, m, day);
  }
  return null;
}

const nextWeekday = (today: number, iso: number): number => today + (((iso - weekday(today) + 7) % 7) || 7);
const nextMonday = (today: number): number => nextWeekday(today, 1);

const precededByUntil = (text: string, index: number): boolean => UNTIL_BEFORE.test(text.slice(Math.max(0, index - 24), index));

/** The clause around an index: from the previous to the next sentence mark. */
function clauseAround(text: string, index: number): string {
  let start = index;
  while (start > 0 && !".!?;\n".includes(text[start - 1]!)) start--;
  let end = index;
  while (end < text.length && !".!?;\n".includes(text[end]!)) end++;
  return text.slice(start, end);
}

/** After "în mai": words that make "mai" the comparative ("în mai multe zile"), not May. */
const MAI_NOT_MONTH = /^\s+(?:mult|multe|multi|multa|putin|putine|tarziu|devreme|bine|departe|aproape|repede|mare|mic|ales|sus|jos|usor|greu|incolo|incoace|ieftin|scump|vechi|nou|noi|be|have|not|call|contact|need|want)\b/;

const CROP_SUMMER = /\b(?:grau|graul|grane|orz|orzul|rapita|ovaz|secara|triticale|paioase|cereale paioase|wheat|barley|rapeseed|seceris\w*|secerat\w*|treier\w*)\b/;
const CROP_AUTUMN = /\b(?:porumb\w*|floarea soarelui|floarei soarelui|floare|soia|sfecl\w*|corn|maize|sunflower\w*|soy\w*)\b/;
const CROP_GRAPES = /\b(?:vie|viei|struguri\w*|vin|vinul|grapes?|vineyard)\b/;
const AUTUMN_WORK = /\b(?:toamna|autumn|fall)\b/;
const SPRING_WORK = /\b(?:primavara|spring)\b/;

const RULES: readonly Rule[] = [
  // ISO date 2027-09-15
  {
    re: /\b(\d{4})-(\d{2})-(\d{2})\b/g,
    read: (m, today) => nextMonthDay(today, Number(m[2]), Number(m[3]), Number(m[1])),
  },
  // 15 martie [2027], 1-14 martie, 2 si 13 martie, 16th of March
  {
    re: new RegExp(String.raw`\b(\d{1,2})(?:\s*(?:-|si|pana la|pana pe|to|and)\s*(\d{1,2}))?(?:st|nd|rd|th)?\s+(?:of\s+)?(${MONTH_ANY_SRC})\b\.?(?:\s+(\d{4}))?`, "g"),
    read: (m, today, text) => {
      const month = MONTHS.get(m[3]!)!;
      const isRange = m[2] !== undefined;
      const day = Number(isRange ? m[2] : m[1]);
      const n = nextMonthDay(today, month, day, yearOf(m[4]));
      if (n === null) return null;
      return isRange || precededByUntil(text, m.index) ? n + 1 : n;
    },
  },
  // March 16[th] [2027]
  {
    re: new RegExp(String.raw`\b(${MONTH_ANY_SRC})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?!\s*(?:[:.]\d|%|ha\b|tone|kg|lei|euro|de\b))(?:,?\s+(\d{4}))?`, "g"),
    read: (m, today, text) => {
      const n = nextMonthDay(today, MONTHS.get(m[1]!)!, Number(m[2]), yearOf(m[3]));
      return n === null ? null : precededByUntil(text, m.index) ? n + 1 : n;
    },
  },
  // 15.09, 15/09/2027, 02.03-06.03.2026 (a year-less d.m needs a preposition or a range: "2.5 tone" is not a date)
  {
    re: /\b(\d{1,2})[./](\d{1,2})(?:[./](\d{4}|\d{2}))?(?:\s*-\s*(\d{1,2})[./](\d{1,2})(?:[./](\d{4}|\d{2}))?)?\b/g,
    read: (m, today, text) => {
      const isRange = m[4] !== undefined;
      const before = text.slice(Math.max(0, m.index - 16), m.index);
      const hasYear = m[3] !== undefined || m[6] !== undefined;
      if (!hasYear && !isRange && !/\b(?:pe|din|la|pana|dupa|data de|on|until|till|by|from|after|before|revin|inainte de|incepand cu)\s*$/.test(before)) return null;
      const day = Number(isRange ? m[4] : m[1]);
      const month = Number(isRange ? m[5] : m[2]);
      const year = yearOf(isRange ? (m[6] ?? m[3]) : m[3]);
      const n = nextMonthDay(today, month, day, year);
      if (n === null) return null;
      return isRange || precededByUntil(text, m.index) ? n + 1 : n;
    },
  },
  // după 15, pe 20, până pe 15 (a day of the month alone)
  {
    re: new RegExp(String.raw`\b(dupa|pe|pana pe|pana la|pana in|incepand cu|after the|after|on the|until the)\s+(?:data de\s+)?(\d{1,2})(?:st|nd|rd|th)?\b(?!\s*(?:[.:/,]\d|%|ha\b|hectare|tone|tona|t\b|kg|lei|euro|ron|saci|sac|litri|litru|l\b|ani|an\b|zile|ore|ora|de\b|bucati|km|mii|milioane|la suta|(?:${MONTH_ANY_SRC})\b))`, "g"),
    read: (m, today, text) => {
      const day = Number(m[2]);
      if (day <= 24 && HOUR_CONTEXT.test(clauseAround(text, m.index))) return null;
      const n = nextDayOfMonth(today, day);
      return n === null ? null : /^pana/.test(m[1]!) || precededByUntil(text, m.index) ? n + 1 : n;
    },
  },
  // peste două săptămâni, în 3 zile, in two weeks, peste vreo o lună
  {
    re: new RegExp(String.raw`\b(?:peste|in|over|after|within)\s+(?:(?:vreo|cam|aproximativ|about|around|approximately|circa|inca)\s+)?(${AMOUNT_SRC})(?:\s+(?:sau\s+|ori\s+)?(?:${AMOUNT_SRC}))?\s+(?:de\s+)?(zi|zile|saptamana|saptamani|luna|luni|an|ani|day|days|week|weeks|month|months|year|years)\b`, "g"),
    read: (m, today) => {
      const amount = /^\d+$/.test(m[1]!) ? Number(m[1]) : (NUMBER_WORDS[m[1]!] ?? 1);
      const unit = m[2]!;
      if (/^(zi|zile|day)/.test(unit)) return today + amount;
      if (/^(saptaman|week)/.test(unit)) return today + 7 * amount;
      if (/^(lun|month)/.test(unit)) return addMonths(today, amount);
      return addMonths(today, 12 * amount);
    },
  },
  // mâine, poimâine, tomorrow
  { re: /\b(maine|tomorrow)\b/g, read: (_m, today) => today + 1 },
  { re: /\bpoimaine\b/g, read: (_m, today) => today + 2 },
  // săptămâna viitoare, next week
  { re: /\b(?:saptamana|saptamina)\s+(?:viitoare|urmatoare|care vine)\b|\bnext week\b/g, read: (_m, today) => nextMonday(today) },
  // sfârșitul săptămânii, end of the week → Friday
  { re: /\b(?:sfarsitul|finalul) saptamanii\b|\bend of (?:the|this) week\b/g, read: (_m, today) => nextWeekday(today, 5) },
  // luna viitoare, next month
  {
    re: /\b(?:(?:la |de la )?(?:inceputul|începutul) )?(?:lunii|luna)\s+(?:viitoare|urmatoare|care vine)\b|\bnext month\b/g,
    read: (_m, today) => {
      const { year, month } = civil(today);
      return addMonths(dayNumber(year, month, 1), 1);
    },
  },
  // sfârșitul lunii, end of the month; mijlocul lunii
  {
    re: /\b(?:sfarsitul|finalul) (?:lunii|luni)\b(?!\s+(?:viitoare|urmatoare|\p{L}*(?:ie|ai|ust)\b))|\bend of (?:the|this) month\b/gu,
    read: (m, today, text) => {
      const { year, month } = civil(today);
      const last = dayNumber(year, month, daysInMonth(year, month));
      const n = last > today ? last : addMonths(last, 1);
      return precededByUntil(text, m.index) ? n + 1 : n;
    },
  },
  { re: /\b(?:mijlocul|jumatatea) (?:lunii|luni)\b(?!\s+\p{L})/gu, read: (_m, today) => nextDayOfMonth(today, 15) },
  { re: /\ba doua jumatate a (?:lunii|luni)\b(?!\s+\p{L})/gu, read: (_m, today) => nextDayOfMonth(today, 16) },
  // peste vreo lună(-două), în vreo săptămână: one unit
  {
    re: /\b(?:peste|in) (?:vreo |cam |inca )(zi|saptamana|luna|an)\b/g,
    read: (m, today) => (m[1] === "zi" ? today + 1 : m[1] === "saptamana" ? today + 7 : m[1] === "luna" ? addMonths(today, 1) : addMonths(today, 12)),
  },
  // anul viitor, la anul, next year
  {
    re: /\b(?:anul|anu)\s+(?:viitor|urmator|care vine)\b|\bla anul\b|\bnext year\b|\bin the new year\b|\binceputul anului\b|\bearly next year\b/g,
    read: (_m, today) => dayNumber(civil(today).year + 1, ...AGRI_CALENDAR.nextYear),
  },
  { re: /\b(?:sfarsitul|finalul) anului\b|\b(?:sfarsit|final|finalul|sfarsitul) de an\b|\bend of the year\b/g, read: (_m, today) => nextOf(today, [[12, 1]]) },
  // începutul / mijlocul / sfârșitul / a doua jumătate a lui martie
  {
    re: new RegExp(String.raw`\b(inceputul|mijlocul|sfarsitul|finalul|jumatatea|prima jumatate|a doua jumatate|prima parte|ultima parte|early|mid|late|end of|beginning of)\s*(?:-\s*)?(?:a\s+)?(?:lunii\s+|lui\s+|luna\s+)?(${MONTH_FULL_SRC})\b(?:\s+(\d{4}))?`, "g"),
    read: (m, today) => {
      const part = m[1]!;
      const day = /^(mijlocul|jumatatea|mid)$/.test(part) ? 15 : /^(a doua jumatate)$/.test(part) ? 16 : /^(sfarsitul|finalul|ultima parte|late|end of)$/.test(part) ? 25 : 1;
      return nextMonthStart(today, MONTHS.get(m[2]!)!, day, yearOf(m[3]));
    },
  },
  // în februarie, după martie, until March; "mai"/"may" only when it cannot be "more"/"might"
  {
    re: new RegExp(String.raw`\b(in|din|la|pe|dupa|pana in|pana la|incepand cu|incepand din|luna|lunii|undeva in|prin|spre|catre|pe la|until|after|by|from|in early|around)\s+(?:luna\s+)?(${MONTH_FULL_SRC})\b(?:\s+(\d{4}))?`, "g"),
    read: (m, today, text) => {
      // "until March 20" is read by the month-day rule; this one is for a month alone.
      if (m[3] === undefined && /^\s+\d{1,2}(?:st|nd|rd|th)?\b/.test(text.slice(m.index + m[0].length))) return null;
      if ((m[2] === "mai" || m[2] === "may") && MAI_NOT_MONTH.test(text.slice(m.index + m[0].length, m.index + m[0].length + 16))) return null;
      const month = MONTHS.get(m[2]!)!;
      // "după martie" = from the month after it on (said in March: this April).
      if (m[1] === "dupa" || m[1] === "after") return nextMonthStart(today, (month % 12) + 1, 1, yearOf(m[3]));
      return nextMonthStart(today, month, 1, yearOf(m[3]));
    },
  },
  // la toamnă, în primăvară, vara asta, iarna viitoare, next spring
  {
    re: /\b(?:(la|in|din|pana la|pana in|dupa|prin|spre|catre|pe la|in the|this|next|after|by|around|towards)\s+)?(primavara|vara|toamna|iarna|spring|summer|autumn|fall|winter)\b(?:\s+(asta|aceasta|viitoare|urmatoare|care vine|anul viitor))?/g,
    read: (m, today) => {
      const prep = m[1];
      const mod = m[3];
      if (!prep && !mod) return null;
      if (m[2] === "fall" && !prep) return null;
      const season = SEASONS[m[2]!]!;
      if (prep === "dupa" || prep === "after") return afterSeason(today, season);
      const next = prep === "next" || (mod !== undefined && /viitoare|urmatoare|care vine|anul viitor/.test(mod));
      return seasonStart(today, season, next ? "next" : "this");
    },
  },
  // Q3, trimestrul al treilea / trimestrul 3 → the quarter's first day
  {
    re: /\b(?:q([1-4])|trimestrul (?:al )?(?:([1-4])|(i|ii|iii|iv|unu|doi|trei|patru|doilea|treilea|patrulea)))\b/g,
    read: (m, today) => {
      const word = m[3];
      const q = m[1] ?? m[2] ?? (word ? ({ i: 1, unu: 1, ii: 2, doi: 2, doilea: 2, iii: 3, trei: 3, treilea: 3, iv: 4, patru: 4, patrulea: 4 } as Record<string, number>)[word] : undefined);
      return q ? nextMonthStart(today, 3 * Number(q) - 2) : null;
    },
  },
  // după recoltă / seceriș / cules / semănat / campanie (what crop is named decides which harvest)
  {
    re: /\b(?:dupa|after|pana dupa|once|when|pana (?:se )?(?:termina|terminam|incheie|gata))\b(?: (?:ce|the|we|i|\w+)){0,3}? (recolt\w*|strans\w*|strangem|seceris\w*|secerat\w*|treier\w*|cules\w*|culeg\w*|harvest\w*|semanat\w*|semanaturi\w*|semanam|insamantar\w*|insamantat\w*|planting|sowing|campani\w*)/g,
    read: (m, today, text) => {
      const clause = clauseAround(text, m.index);
      const word = m[1]!;
      if (/^(semana|insamanta|planting|sowing)/.test(word)) {
        if (AUTUMN_WORK.test(clause)) return nextOf(today, [AGRI_CALENDAR.autumnSowingDone]);
        if (SPRING_WORK.test(clause)) return nextOf(today, [AGRI_CALENDAR.springSowingDone]);
        return nextOf(today, [AGRI_CALENDAR.springSowingDone, AGRI_CALENDAR.autumnSowingDone]);
      }
      if (/^campani/.test(word)) {
        if (AUTUMN_WORK.test(clause)) return nextOf(today, [AGRI_CALENDAR.autumnHarvestDone]);
        if (SPRING_WORK.test(clause)) return nextOf(today, [AGRI_CALENDAR.springSowingDone]);
        return nextOf(today, [AGRI_CALENDAR.springSowingDone, AGRI_CALENDAR.summerHarvestDone, AGRI_CALENDAR.autumnHarvestDone]);
      }
      if (/^(seceris|secerat|treier)/.test(word) || CROP_SUMMER.test(clause)) return nextOf(today, [AGRI_CALENDAR.summerHarvestDone]);
      if (CROP_AUTUMN.test(clause)) return nextOf(today, [AGRI_CALENDAR.autumnHarvestDone]);
      if (CROP_GRAPES.test(clause) || /^(cules|culeg)/.test(word)) {
        return CROP_GRAPES.test(clause) ? nextOf(today, [AGRI_CALENDAR.grapeHarvestDone]) : nextOf(today, [AGRI_CALENDAR.autumnHarvestDone]);
      }
      return nextOf(today, [AGRI_CALENDAR.summerHarvestDone, AGRI_CALENDAR.autumnHarvestDone]);
    },
  },
  // după sărbători / Crăciun / Anul Nou / Paște / Rusalii
  {
    re: /\b(?:dupa|after|pana dupa)\b(?: (?:ce|trec|trece|terminam|the|we|\w+)){0,3}? (sarbatori\w*|craciun\w*|anul nou|revelion\w*|boboteaza|pasti|paste|pastele|pastelui|pascalie|easter|rusalii|holidays|christmas|new year)/g,
    read: (m, today) => {
      const word = m[1]!;
      if (/^(pasti|paste|pascalie|easter)/.test(word)) return afterEaster(today, AGRI_CALENDAR.afterEasterDays);
      if (word === "rusalii") return afterEaster(today, AGRI_CALENDAR.afterPentecostDays);
      if (/^(sarbatori|holidays)/.test(word)) {
        // In late winter and spring "sărbătorile" ahead are Easter's.
        const easterAfter = afterEaster(today, AGRI_CALENDAR.afterEasterDays);
        if (easterAfter - today <= 75 && civil(today).month >= 2) return easterAfter;
      }
      return nextOf(today, [AGRI_CALENDAR.afterWinterHolidays]);
    },
  },
  // luni, marți, joi dimineață, lunea viitoare, next Friday, until Monday
  {
    re: /\b(?:(pe|de|din|pana|until|till|on|next|by|this|incepand de|incepand cu)\s+)?(luni|lunea|marti|martea|miercuri|miercurea|joi|joia|vineri|vinerea|sambata|duminica|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(?:\s+(viitoare|viitor|urmatoare|care vine|dimineata|seara|la))?/g,
    read: (m, today, text) => {
      const word = m[2]!;
      const before = text.slice(Math.max(0, m.index - 20), m.index);
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 14);
      // "două luni" = two months; "luni-vineri", "de luni până vineri" = office hours, not a day.
      if (word === "luni" && /(?:\d|doua|trei|patru|cinci|sase|sapte|opt|noua|zece|cateva|multe|ultimele|cu|de cateva|mai multe)\s*$/.test(before)) return null;
      if (word === "luni" && /^\s*de zile/.test(after)) return null;
      if (/^\s*(?:-|pana la|pana|to|through)?\s*(?:vineri|sambata|friday|saturday)\b/.test(after)) return null;
      if (/(?:luni|monday)\s*(?:-|pana la|pana|to|through)?\s*$/.test(before)) return null;
      const iso = WEEKDAYS[word]!;
      const nextWeek = m[1] === "next" || (m[3] !== undefined && /viitoare|viitor|urmatoare|care vine/.test(m[3]));
      return nextWeek ? nextMonday(today) + iso - 1 : nextWeekday(today, iso);
    },
  },
];

/** Every time expression in a canonical text, each with its date. */
export function findTimeExpressions(canonical: string, now: Date, timeZone = "Europe/Bucharest"): TimeExpression[] {
  const today = todayIn(now, timeZone);
  const found: Found[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(canonical); m !== null; m = rule.re.exec(canonical)) {
      const day = rule.read(m, today, canonical);
      if (day !== null && Number.isFinite(day) && day > today) found.push({ day, expression: m[0].trim() });
    }
  }
  return found.map((f) => ({ date: isoDate(f.day), daysAhead: f.day - today, expression: f.expression }));
}

/** The latest date a canonical text names, or null. */
export function latestTimeExpression(canonical: string, now: Date, timeZone = "Europe/Bucharest"): TimeExpression | null {
  let best: TimeExpression | null = null;
  for (const t of findTimeExpressions(canonical, now, timeZone)) if (!best || t.daysAhead > best.daysAhead) best = t;
  return best;
}

/** Convenience for callers holding raw text (tests, the CLI): folds and canonicalises first. */
export function parseLaterDate(text: string, now: Date, timeZone = "Europe/Bucharest"): TimeExpression | null {
  return latestTimeExpression(canonicalText(foldText(text)), now, timeZone);
}
