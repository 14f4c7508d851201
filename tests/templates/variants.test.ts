import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { expand, nthVariantPath, parseSpintax, pathPicker, variantCount } from "../../server/templates/spintax";
import { variantChoices } from "../../server/templates/template";

function render(source: string, k: number): string {
  const parsed = parseSpintax(source);
  if (!parsed.ok) throw new Error("bad");
  return expand(parsed.nodes, pathPicker(nthVariantPath(parsed.nodes, k)), (n) => `<${n}>`).text;
}

describe("the k-th variant", () => {
  it("k = 0 … n-1 are the n distinct texts, then it wraps", () => {
    const source = "{a|b|{c|d}} x {e|f} {{v}} {|g}";
    const parsed = parseSpintax(source);
    if (!parsed.ok) throw new Error("bad");
    const n = variantCount(parsed.nodes);
    expect(n).toBe(4 * 2 * 2);
    const texts = Array.from({ length: n }, (_, k) => render(source, k));
    expect(new Set(texts).size).toBe(n);
    expect(render(source, n)).toBe(texts[0]);
    expect(render(source, -1)).toBe(texts[n - 1]);
  });

  it("for any template, every k gives a path the template accepts", () => {
    const group = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, fc.constantFrom("a", "b", " ", "{{v}}"), tie("group")),
      group: fc.array(fc.array(tie("node") as fc.Arbitrary<string>, { maxLength: 3 }).map((parts) => parts.join("")), { minLength: 2, maxLength: 3 }).map((opts) => `{${opts.join("|")}}`),
    }));
    fc.assert(
      fc.property(fc.array(group.node as fc.Arbitrary<string>, { maxLength: 4 }), fc.integer({ min: 0, max: 10_000 }), (parts, k) => {
        const source = parts.join("");
        const parsed = parseSpintax(source);
        if (!parsed.ok) return true;
        expect(() => render(source, k)).not.toThrow();
        return true;
      }),
      { numRuns: 200 },
    );
  });

  it("a text and its subject together: the body's variants first, then the subject's", () => {
    const choice = variantChoices("{a|b}", "{X|Y}", 3);
    expect(choice).toEqual({ replay: { content: [1], subject: [1] }, index: 3, total: 4 });
    expect(variantChoices("{a|b", null, 0)).toBeNull();
  });
});
