import { describe, expect, it } from "vitest";
import { orthodoxEaster, parseLaterDate } from "../../server/replies/understanding";
import { isoDate } from "../../server/replies/understanding/calendar";

/** Monday 2 March 2026, 10:00 in Bucharest. */
const NOW = new Date("2026-03-02T08:00:00.000Z");
const at = (text: string, now = NOW, tz?: string) => parseLaterDate(text, now, tz)?.date ?? null;

describe("Romanian time expressions → the date to resume on (now = Monday 2 March 2026)", () => {
  it.each([
    // months
    ["Reveniți în februarie", "2027-02-01"],
    ["în martie", "2027-03-01"], // this month already: next year's
    ["reveniti in septembrie va rog", "2026-09-01"],
    ["revin in mai", "2026-05-01"],
    ["după martie", "2026-04-01"],
    ["pe la sfârșitul lui august", "2026-08-25"],
    ["la mijlocul lunii aprilie", "2026-04-15"],
    ["Try me again in September.", "2026-09-01"],
    // day and month, numeric dates
    ["Reveniti va rog pe 20 martie.", "2026-03-20"],
    ["Dupa 1 iunie putem discuta.", "2026-06-01"],
    ["pe 15.04", "2026-04-15"],
    ["15/09/2027", "2027-09-15"],
    ["2027-09-15", "2027-09-15"],
    ["pe 5 ianuarie", "2027-01-05"],
    // a day of the month alone
    ["după 15", "2026-03-15"],
    ["contactați-mă pe 20", "2026-03-20"],
    // out-of-office: "până pe X" is the last day away
    ["Sunt în concediu până pe 16 martie", "2026-03-17"],
    ["Sunt în concediu până pe 15.", "2026-03-16"],
    ["până pe 20.03", "2026-03-21"],
    ["în perioada 2-13 martie", "2026-03-14"],
    ["Lipsesc în perioada 02.03-06.03.2026", "2026-03-07"],
    ["I am out of the office until March 9", "2026-03-10"],
    ["back on 23 March", "2026-03-23"],
    ["starting 2 March and returning 9 March", "2026-03-09"],
    ["până la sfârșitul lunii", "2026-04-01"],
    // relative
    ["peste două săptămâni", "2026-03-16"],
    ["peste vreo 3 saptamani", "2026-03-23"],
    ["peste două-trei săptămâni", "2026-03-16"],
    ["peste o lună", "2026-04-02"],
    ["peste vreo lună", "2026-04-02"],
    ["in two weeks", "2026-03-16"],
    ["mâine", "2026-03-03"],
    ["poimâine", "2026-03-04"],
    ["săptămâna viitoare", "2026-03-09"],
    ["next week", "2026-03-09"],
    ["luna viitoare", "2026-04-01"],
    ["next month", "2026-04-01"],
    ["anul viitor", "2027-01-15"],
    ["la anul", "2027-01-15"],
    ["la final de an", "2026-12-01"],
    // weekdays
    ["luni", "2026-03-09"], // today is Monday: next Monday
    ["marți", "2026-03-03"],
    ["Vineri vă dau un răspuns", "2026-03-06"],
    ["plecat din birou până luni", "2026-03-09"],
    ["lunea viitoare", "2026-03-09"],
    ["joia viitoare", "2026-03-12"],
    // seasons
    ["la toamnă", "2026-09-01"],
    ["în vara asta", "2026-06-01"],
    ["la iarnă", "2026-12-01"],
    ["în primăvară", "2026-03-16"], // spring is under way: two weeks from today
    ["primăvara viitoare", "2027-03-01"],
    // the agricultural calendar
    ["după recoltat", "2026-08-16"],
    ["după recoltă", "2026-08-16"],
    ["dupa seceris", "2026-08-16"],
    ["după ce strângem porumbul", "2026-11-01"],
    ["Vorbim dupa ce termin recoltatul la porumb", "2026-11-01"],
    ["după culesul viei", "2026-10-16"],
    ["după semănat", "2026-05-16"],
    ["după campania de primăvară", "2026-05-16"],
    // holidays
    ["după Paște", "2026-04-20"], // Orthodox Easter 2026 is 12 April
    ["after Easter", "2026-04-20"],
    ["după Rusalii", "2026-06-02"],
    ["după sărbători", "2026-04-20"], // in March the holidays ahead are Easter's
    ["after New Year", "2027-01-08"],
    ["după Crăciun", "2027-01-08"],
  ])("%s → %s", (text, date) => expect(at(text)).toBe(date));

  it("names no date when there is no time in the text", () => {
    for (const text of [
      "Bună ziua, sunt interesat",
      "Sunați-mă la 0722 123 456",
      "Avem 2.5 tone pe hectar",
      "Programul este luni-vineri, 08:00-16:00",
      "Lucrăm de luni până vineri",
      "Sună-mă diseară după 7",
      "în mai multe zile",
      "Am cultivat 20 ha anul trecut",
      "NPK 15-15-15",
    ]) {
      expect([text, at(text)]).toEqual([text, null]);
    }
  });

  it("is always in the future and reads a year-less date just past as this year's, not next year's", () => {
    expect(at("din 20 februarie")).toBeNull();
    expect(at("pe 2 martie")).toBeNull();
    expect(at("pe 10 ianuarie")).toBe("2027-01-10"); // more than a month ago: next year's
    expect(at("pe 1 februarie 2026")).toBeNull();
    expect(at("pe 15 decembrie")).toBe("2026-12-15");
  });

  it("the latest named time wins", () => {
    expect(at("Sunt plecat până luni, reveniți marți după Paște")).toBe("2026-04-20");
    expect(at("mâine nu pot, poate săptămâna viitoare")).toBe("2026-03-09");
  });

  it("counts days in the tenant's time zone", () => {
    // 1 March 23:30 UTC is already 2 March in Bucharest (UTC+2).
    const lateEvening = new Date("2026-03-01T23:30:00.000Z");
    expect(at("mâine", lateEvening)).toBe("2026-03-03");
    expect(at("mâine", lateEvening, "UTC")).toBe("2026-03-02");
    expect(at("after 15", new Date("2026-03-20T10:00:00Z"))).toBe("2026-04-15");
  });

  it("a season under way is two weeks away; after a season is the next one's start", () => {
    const autumn = new Date("2026-10-05T09:00:00Z");
    expect(at("la toamnă", autumn)).toBe("2026-10-19");
    expect(at("toamna viitoare", autumn)).toBe("2027-09-01");
    expect(at("după iarnă", autumn)).toBe("2027-03-01");
    expect(at("după recoltă", autumn)).toBe("2026-11-01");
    expect(at("anul viitor", new Date("2026-12-31T21:00:00Z"))).toBe("2027-01-15"); // 23:00 in Bucharest
  });
});

describe("orthodoxEaster", () => {
  it.each([
    [2024, "2024-05-05"],
    [2025, "2025-04-20"],
    [2026, "2026-04-12"],
    [2027, "2027-05-02"],
    [2028, "2028-04-16"],
  ])("%i → %s", (year, date) => expect(isoDate(orthodoxEaster(year))).toBe(date));
});
