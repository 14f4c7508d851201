/**
 * Civil dates (a day number: days since 1970-01-01 in the tenant's calendar, no time of day), the
 * Orthodox Easter, and the agricultural calendar that "după recoltă" and "la toamnă" are mapped to.
 *
 * The agricultural calendar is a documented choice for a typical Romanian year (plains of the south
 * and east, where most of the leads farm); the date given is the first day a farmer is free again:
 *
 * | expression                                        | crop / meaning                               | resume on |
 * | ------------------------------------------------- | -------------------------------------------- | --------- |
 * | după semănat / însămânțări / campania de primăvară | spring sowing of maize, sunflower, soy (Apr–mid May) | 16 May |
 * | după seceriș / treieriș, după recoltă + grâu/orz/rapiță | summer harvest of cereals and rapeseed (July–mid Aug) | 16 August |
 * | după recoltă + porumb/floarea-soarelui/soia/sfeclă | autumn harvest (Sept–October)               | 1 November |
 * | după cules (vie, struguri)                         | grape harvest (Sept–mid Oct)                  | 16 October |
 * | după semănat in autumn (grâu, rapiță)              | autumn sowing (Sept–October)                  | 1 November |
 * | după recoltă, no crop named                        | the next of the two harvests' ends            | 16 Aug or 1 Nov |
 * | după campanie, no crop named                       | the next end of sowing / summer / autumn work | 16 May, 16 Aug or 1 Nov |
 * | la primăvară / vară / toamnă / iarnă               | first day of the season                      | 1 Mar / 1 Jun / 1 Sep / 1 Dec |
 * | anul viitor / la anul                              | after the holidays, when budgets are set      | 15 January |
 * | după sărbători (de iarnă)                          | after Christmas, New Year and Epiphany        | 8 January |
 * | după Paște                                         | the week after Easter week (Orthodox)        | Easter + 8 days |
 * | după Rusalii                                       | after Orthodox Pentecost Monday              | Easter + 51 days |
 *
 * A season already under way ("la toamnă" said on 20 September) means two weeks from today.
 */

export const MS_PER_DAY = 86_400_000;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export const dayNumber = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day) / MS_PER_DAY;

export function civil(n: number): CivilDate {
  const d = new Date(n * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export const isoDate = (n: number): string => new Date(n * MS_PER_DAY).toISOString().slice(0, 10);

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export const weekday = (n: number): number => ((((n + 3) % 7) + 7) % 7) + 1;

export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

export function isValidDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Same day n months later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(n: number, months: number): number {
  const { year, month, day } = civil(n);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return dayNumber(y, m, Math.min(day, daysInMonth(y, m)));
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Last answer per zone, keyed by the minute: every zone's day changes on a minute boundary. */
const lastToday = new Map<string, { minute: number; day: number }>();

/** Today's day number in a time zone ("en-CA" formats as YYYY-MM-DD). */
export function todayIn(now: Date, timeZone: string): number {
  const minute = Math.floor(now.getTime() / 60_000);
  const cached = lastToday.get(timeZone);
  if (cached && cached.minute === minute) return cached.day;
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, f);
  }
  const [y, m, d] = f.format(now).split("-").map(Number) as [number, number, number];
  const day = dayNumber(y, m, d);
  lastToday.set(timeZone, { minute, day });
  return day;
}

/**
 * Orthodox Easter Sunday (Gregorian date): Meeus' Julian computus, then the 13-day Julian →
 * Gregorian offset valid for 1900–2099.
 */
export function orthodoxEaster(year: number): number {
  const a = year % 4;
  const b = year % 7;
  const c = year % 19;
  const d = (19 * c + 15) % 30;
  const e = (2 * a + 4 * b - d + 34) % 7;
  const month = Math.floor((d + e + 114) / 31);
  const day = ((d + e + 114) % 31) + 1;
  return dayNumber(year, month, day) + 13;
}

/** Resume dates of the table above, as [month, day]. */
export const AGRI_CALENDAR = {
  springSowingDone: [5, 16],
  summerHarvestDone: [8, 16],
  grapeHarvestDone: [10, 16],
  autumnHarvestDone: [11, 1],
  autumnSowingDone: [11, 1],
  nextYear: [1, 15],
  afterWinterHolidays: [1, 8],
  seasons: { spring: [3, 1], summer: [6, 1], autumn: [9, 1], winter: [12, 1] },
  /** Days after Easter Sunday: the Monday after Easter week. */
  afterEasterDays: 8,
  /** Rusalii (Pentecost) is Easter + 49; its Monday is a holiday too. */
  afterPentecostDays: 51,
  /** "la toamnă" while it is already autumn. */
  seasonUnderWayDays: 14,
} as const;

/** The first of these [month, day] dates strictly after today (this year or next). */
export function nextOf(today: number, dates: readonly (readonly [number, number])[]): number {
  const { year } = civil(today);
  let best = Infinity;
  for (const [m, d] of dates) {
    for (const y of [year, year + 1]) {
      const n = dayNumber(y, m, d);
      if (n > today && n < best) best = n;
    }
  }
  return best;
}

export type Season = keyof typeof AGRI_CALENDAR.seasons;
const SEASON_ORDER: readonly Season[] = ["spring", "summer", "autumn", "winter"];

/** Start of a season strictly after today, or today + 14 when that season is under way ("la toamnă" in October). */
export function seasonStart(today: number, season: Season, modifier: "this" | "next" | null): number {
  const { year } = civil(today);
  const [m, d] = AGRI_CALENDAR.seasons[season];
  const next = SEASON_ORDER[(SEASON_ORDER.indexOf(season) + 1) % 4]!;
  const lastStart = dayNumber(year, m, d) <= today ? dayNumber(year, m, d) : dayNumber(year - 1, m, d);
  const underWay = today < nextOf(lastStart, [AGRI_CALENDAR.seasons[next]]);
  if (underWay && modifier !== "next") return today + AGRI_CALENDAR.seasonUnderWayDays;
  return nextOf(today, [[m, d]]);
}

/** The season after this one starts. */
export function afterSeason(today: number, season: Season): number {
  const next = SEASON_ORDER[(SEASON_ORDER.indexOf(season) + 1) % 4]!;
  return nextOf(today, [AGRI_CALENDAR.seasons[next]]);
}

/** Easter + offset, the first such day strictly after today. */
export function afterEaster(today: number, offsetDays: number): number {
  const { year } = civil(today);
  for (const y of [year, year + 1]) {
    const n = orthodoxEaster(y) + offsetDays;
    if (n > today) return n;
  }
  return orthodoxEaster(year + 1) + offsetDays;
}
