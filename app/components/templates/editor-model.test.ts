import { describe, expect, it } from "vitest";
import { checkTemplate, insertAt, markedTokens, variableAt } from "./editor-model";

describe("the template editor's highlighting", () => {
  it("colours groups by depth, variables and escapes, and marks what the checks report", () => {
    const source = "{Bună|Salut {{x}}} {{companyName}} \\{ {a|{b|c}} }";
    const check = checkTemplate({ channel: "WHATSAPP", subject: null, content: source, variables: [{ name: "companyName", required: true }] });
    const tokens = markedTokens(source, check.issues, "content");
    expect(tokens.map((t) => t.text).join("")).toBe(source);
    const kinds = tokens.filter((t) => t.kind !== "text").map((t) => [t.kind, t.text, t.depth, t.error]);
    expect(kinds).toEqual([
      ["open", "{", 1, false],
      ["separator", "|", 1, false],
      ["variable", "{{x}}", 1, true],
      ["close", "}", 1, false],
      ["variable", "{{companyName}}", 0, false],
      ["escape", "\\{", 0, false],
      ["open", "{", 1, false],
      ["separator", "|", 1, false],
      ["open", "{", 2, false],
      ["separator", "|", 2, false],
      ["close", "}", 2, false],
      ["close", "}", 1, false],
      ["invalid", "}", 0, true],
    ]);
  });

  it("marks an unclosed brace where the parser says", () => {
    const source = "Salut {a|b";
    const check = checkTemplate({ channel: "WHATSAPP", subject: null, content: source, variables: [] });
    expect(check.issues.map((i) => i.code)).toEqual(["UNBALANCED_OPEN"]);
    expect(markedTokens(source, check.issues, "content").find((t) => t.error)).toMatchObject({ kind: "open", start: 6 });
  });

  it("reads the variable an issue points at, and inserts at the caret", () => {
    expect(variableAt("Salut {{ produs }}!", 6)).toBe("produs");
    expect(variableAt("Salut", undefined)).toBeNull();
    expect(insertAt("Salut !", 6, 6, "{{companyName}}")).toEqual({ value: "Salut {{companyName}}!", caret: 21 });
    expect(insertAt("Salut X!", 6, 7, "{{a}}")).toEqual({ value: "Salut {{a}}!", caret: 11 });
  });
});
