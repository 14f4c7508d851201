import { describe, expect, it } from "vitest";
import { canonicalText, foldText, stripQuoted, toE164, tokenize } from "../../server/replies/understanding";

describe("foldText", () => {
  it("folds both forms of ș/ț (comma below U+0219/U+021B and cedilla U+015F/U+0163) and ă â î, one character for one", () => {
    const comma = "Ștefan, mulțumesc: ș ț Ș Ț";
    const cedilla = "Ştefan, mulţumesc: ş ţ Ş Ţ";
    expect(foldText(comma)).toBe("stefan, multumesc: s t s t");
    expect(foldText(cedilla)).toBe(foldText(comma));
    expect(foldText("ĂÂÎăâî")).toBe("aaiaai");
    for (const s of [comma, cedilla, "Înțeleg – „bine” … 👍"]) expect(foldText(s)).toHaveLength(s.length);
  });

  it("makes typographic quotes, dashes and no-break spaces plain", () => {
    expect(foldText("„Da” – l’am\u00a0văzut…")).toBe('"da" - l\'am vazut.');
  });
});

describe("canonicalText", () => {
  it.each([
    ["N-am nevoie", "nu am nevoie"],
    ["Sunați-mă mâine", "sunati ma maine"],
    ["nu ma mai suna-ti", "nu ma mai sunati"],
    ["Mersi, pls trimite", "multumesc, va rog trimite"],
    ["Multam frumos", "multumesc frumos"],
    ["Sunt intresat", "sunt interesat"],
    ["nu ma intereseza", "nu ma intereseaza"],
    ["Daaaaa! Okk", "da! ok"],
    ["vă rog", "va rog"],
    ["I don't want it, we're fine", "i do not want it, we are fine"],
    ["k", "ok"],
    ["nr meu e 0722 123 456 sau ion@ferma.ro", "numarul meu e zphonez sau zemailz"],
  ])("%s → %s", (input, expected) => {
    expect(canonicalText(foldText(input))).toBe(expected);
  });
});

describe("stripQuoted: only the new text is judged", () => {
  it("cuts Gmail's English and Romanian quote headers and the quoted lines", () => {
    expect(stripQuoted("Da, trimiteți oferta.\n\nOn Mon, 2 Mar 2026 at 10:00, Cerniq <o@cerniq.ro> wrote:\n> Răspundeți STOP")).toBe("Da, trimiteți oferta.");
    expect(stripQuoted("Nu mulțumim.\n\nÎn lun., 2 mar. 2026 la 10:00, Echipa Cerniq <o@cerniq.ro> a scris:\n> Sunteți interesat?")).toBe("Nu mulțumim.");
    expect(stripQuoted("Ok\nOn Mon, 2 Mar 2026 at 10:00, Cerniq <o@cerniq.ro>\nwrote:\n> text")).toBe("Ok");
  });

  it("cuts Outlook's header block and '-----Original Message-----'", () => {
    expect(stripQuoted("Stop.\n\nFrom: Cerniq <o@cerniq.ro>\nSent: Monday\nSubject: Oferta\n\nBună ziua")).toBe("Stop.");
    expect(stripQuoted("Nu.\n-----Original Message-----\nSunați-ne oricând!")).toBe("Nu.");
  });

  it("cuts 'Sent from my iPhone' and the signature after a closing formula", () => {
    expect(stripQuoted("Cât costă?\n\nTrimis de pe iPhone")).toBe("Cât costă?");
    expect(stripQuoted("Suntem interesați.\n\nCu stimă,\nIon Popescu\nAdministrator\nTel: 0744 000 111")).toBe("Suntem interesați.\n\nCu stimă,");
    expect(stripQuoted("Revin.\n--\nMaria\n0745 000 000")).toBe("Revin.");
  });

  it("keeps text after a closing word when it is not a signature, and never returns nothing", () => {
    const text = "Mulțumesc,\nmai am o întrebare: livrați în Buzău?";
    expect(stripQuoted(text)).toBe(text);
    expect(stripQuoted("> only a quote")).toBe("> only a quote");
  });
});

describe("tokenize", () => {
  it("keeps emails, phone numbers, dates, times and emojis whole", () => {
    const tokens = tokenize("Sună la 0722 123 456 sau office@agro.ro, pe 15.09 la 10:30 👍🏻 ok!");
    expect(tokens.filter((t) => t.kind !== "word" && t.kind !== "punct").map((t) => [t.kind, t.text])).toEqual([
      ["phone", "0722 123 456"],
      ["email", "office@agro.ro"],
      ["date", "15.09"],
      ["time", "10:30"],
      ["emoji", "👍🏻"],
    ]);
    expect(tokens.find((t) => t.kind === "phone")).toMatchObject({ start: 8, end: 20 });
  });

  it("reads a date range as dates, not as a phone number", () => {
    expect(tokenize("02.03-06.03.2026").filter((t) => t.kind === "phone")).toEqual([]);
  });
});

describe("toE164", () => {
  it.each([
    ["0722 123 456", "+40722123456"],
    ["0723.456.789", "+40723456789"],
    ["0755-123-456", "+40755123456"],
    ["+40 744 100 200", "+40744100200"],
    ["0040 744 100 200", "+40744100200"],
    ["+40 (0) 744 100 200", "+40744100200"],
    ["0241 600 700", "+40241600700"],
    ["+49 30 1234567", "+49301234567"],
  ])("%s → %s", (raw, e164) => expect(toE164(raw)).toBe(e164));

  it("refuses what is not a full number", () => {
    expect(toE164("0722 123")).toBeNull();
    expect(toE164("12345")).toBeNull();
  });
});
