import { describe, expect, it } from "vitest";
import { DICTIONARIES, createTranslator, localeFromMatches, localeFromRootData, translate, type MessageKey } from "./i18n";
import { en } from "./messages/en";
import { ro } from "./messages/ro";

function texts(message: unknown): string[] {
  if (typeof message === "string") return [message];
  return Object.values(message as Record<string, string>);
}

function placeholders(message: unknown): string[] {
  const names = new Set<string>();
  for (const text of texts(message)) for (const m of text.matchAll(/\{(\w+)\}/g)) names.add(m[1]!);
  return [...names].sort();
}

describe("dictionaries", () => {
  it("English has exactly the Romanian keys", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ro).sort());
  });

  it("English uses the same placeholders as Romanian for every key", () => {
    for (const key of Object.keys(ro) as MessageKey[]) {
      expect({ key, names: placeholders(en[key]) }).toEqual({ key, names: placeholders(ro[key]) });
    }
  });

  it("Romanian uses comma-below ș/ț, never the cedilla look-alikes ş/ţ", () => {
    const all = Object.values(ro).flatMap(texts).join("\n");
    expect(all).not.toMatch(/[şţŞŢ]/);
    expect(all).toMatch(/[ăâîșț]/);
  });

  it("has no empty messages", () => {
    for (const dictionary of Object.values(DICTIONARIES)) {
      for (const message of Object.values(dictionary)) for (const text of texts(message)) expect(text.trim()).not.toBe("");
    }
  });
});

describe("translate", () => {
  it("returns the message in the requested language", () => {
    expect(translate("ro", "nav.sequences")).toBe("Secvențe");
    expect(translate("en", "nav.sequences")).toBe("Sequences");
  });

  it("fills placeholders and formats numbers for the locale", () => {
    const t = createTranslator("ro");
    expect(t("dashboard.kpi.replyRateHint", { replied: 1234, contacted: 20000 })).toBe(
      "contactați prima dată în ultimele 14 zile: 1.234 din 20.000 au răspuns",
    );
    expect(createTranslator("en")("error.status", { status: 404 })).toBe("Code 404");
  });

  it("chooses the Romanian plural form, including the 'de' form from twenty", () => {
    const t = createTranslator("ro");
    expect(t("dashboard.funnel.leads", { count: 1 })).toBe("1 lead");
    expect(t("dashboard.funnel.leads", { count: 0 })).toBe("0 lead-uri");
    expect(t("dashboard.funnel.leads", { count: 7 })).toBe("7 lead-uri");
    expect(t("dashboard.funnel.leads", { count: 20 })).toBe("20 de lead-uri");
    expect(t("dashboard.funnel.leads", { count: 101 })).toBe("101 lead-uri");
    expect(t("dashboard.funnel.leads", { count: 1500 })).toBe("1.500 de lead-uri");
  });

  it("chooses the English plural form", () => {
    const t = createTranslator("en");
    expect(t("dashboard.funnel.leads", { count: 1 })).toBe("1 lead");
    expect(t("dashboard.funnel.leads", { count: 2 })).toBe("2 leads");
  });

  it("keeps an unknown placeholder visible instead of dropping it", () => {
    expect(translate("ro", "error.status", {})).toBe("Cod {status}");
  });

  it("has the login error sentences the team agreed on", () => {
    const t = createTranslator("ro");
    expect(t("login.error.INVALID_CREDENTIALS")).toBe("Email sau parolă greșită.");
    expect(t("login.error.ACCOUNT_DISABLED")).toBe("Contul este dezactivat. Contactați administratorul.");
    expect(t("login.error.RATE_LIMITED")).toBe("Prea multe încercări. Încercați din nou în câteva minute.");
  });

  it("shows an unknown key (e.g. a new enum value) as itself", () => {
    expect(translate("ro", "state.NEW_STATE" as MessageKey)).toBe("state.NEW_STATE");
  });

  it("rejects wrong keys and missing parameters at compile time (checked by tsc, never run)", () => {
    const t = createTranslator("ro");
    const compileTimeOnly = () => {
      // @ts-expect-error: not a key of the Romanian dictionary
      t("nav.doesNotExist");
      // @ts-expect-error: {status} is required
      t("error.status");
      // @ts-expect-error: count must be a number, it selects the plural form
      t("dashboard.funnel.leads", { count: "3" });
    };
    expect(compileTimeOnly).toBeTypeOf("function");
  });
});

describe("locale from loader data", () => {
  it("reads the root loader's locale and falls back to Romanian", () => {
    expect(localeFromRootData({ locale: "en" })).toBe("en");
    expect(localeFromRootData({ locale: "fr" })).toBe("ro");
    expect(localeFromRootData(undefined)).toBe("ro");
    expect(localeFromMatches([{ id: "routes/login" }, { id: "root", data: { locale: "en" } }])).toBe("en");
  });
});
