import { describe, expect, it } from "vitest";
import { readLocaleCookie, resolveLocale, serializeLocaleCookie } from "./locale.server";
import { safeRedirectPath } from "./redirect";

const withCookie = (cookie?: string) => new Request("http://app.test/", { headers: cookie ? { Cookie: cookie } : {} });

describe("locale cookie", () => {
  it("reads a known locale among other cookies", () => {
    expect(readLocaleCookie(withCookie("cerniq_session=abc; lang=en; x=1"))).toBe("en");
  });

  it("ignores unknown values and missing cookies", () => {
    expect(readLocaleCookie(withCookie("lang=fr"))).toBeNull();
    expect(readLocaleCookie(withCookie("language=en"))).toBeNull();
    expect(readLocaleCookie(withCookie())).toBeNull();
  });

  it("lets the switch win over the profile, and the profile over the default", () => {
    expect(resolveLocale(withCookie("lang=ro"), { locale: "en" })).toBe("ro");
    expect(resolveLocale(withCookie(), { locale: "en" })).toBe("en");
    expect(resolveLocale(withCookie(), null)).toBe("ro");
  });

  it("serializes a long-lived, site-wide cookie, Secure when asked", () => {
    expect(serializeLocaleCookie("en", false)).toBe("lang=en; Path=/; Max-Age=31536000; SameSite=Lax");
    expect(serializeLocaleCookie("ro", true)).toMatch(/; Secure$/);
  });
});

describe("safeRedirectPath", () => {
  it.each([
    ["/outreach/review?tab=urgent", "/outreach/review?tab=urgent"],
    ["https://evil.example/", "/"],
    ["//evil.example/", "/"],
    ["/\\evil.example", "/"],
    ["outreach", "/"],
    [null, "/"],
  ])("%s → %s", (target, expected) => {
    expect(safeRedirectPath(target)).toBe(expected);
  });

  it("uses the given fallback", () => {
    expect(safeRedirectPath(undefined, "/outreach/dashboard")).toBe("/outreach/dashboard");
  });
});
