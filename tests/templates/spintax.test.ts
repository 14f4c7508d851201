/**
 * Spintax and variables, pure: property tests (fast-check, fixed seed so a failure reproduces) and
 * the cases a template editor meets.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TEMPLATES } from "../../prisma/seed/content";
import { seededPicker } from "../../server/templates/hash.server";
import { escapeSpintax, expand, parseSpintax, pathPicker, type SpinNode } from "../../server/templates/spintax";
import { TemplateVariableMissingError, chooseVersion, previewTemplate, renderTemplate } from "../../server/templates/render.server";
import { WHATSAPP_MAX_CHARS, checkTemplate, variantSeed, type TemplateVariable } from "../../server/templates/template";

fc.configureGlobal({ seed: 20261122, numRuns: 200 });

const VARS: TemplateVariable[] = [
  { name: "companyName", required: true },
  { name: "contactName", required: false, default: "" },
  { name: "judet", required: false, default: "județul dumneavoastră" },
  { name: "localitate", required: false },
];
const VALUES = { companyName: "Agro Verde SRL", contactName: "Ion Popescu", judet: "Iași", localitate: "Pașcani" };

// ─── Generators ──────────────────────────────────────────────────────────────────────────────────

/** Literal text with no syntax characters (values and plain words). */
const plain = fc.string({ unit: fc.constantFrom(..."abcdefgh ăîșțâ.,!?-0123456789\n".split("")), maxLength: 12 });
/** Any text, syntax characters included: what escaping must protect. */
const anyText = fc.string({ unit: fc.constantFrom(..."ab {}|\\x\n".split("")), maxLength: 20 });

/** A random valid template: text, variables and nested groups of 2–4 options. */
const templateArb: fc.Arbitrary<string> = fc.letrec<{ seq: string; group: string; item: string }>((tie) => ({
  item: fc.oneof(
    { weight: 4, arbitrary: plain.map(escapeSpintax) },
    { weight: 1, arbitrary: fc.constantFrom(...VARS.map((v) => `{{${v.name}}}`), "{{ companyName }}") },
    { weight: 2, arbitrary: tie("group") },
  ),
  seq: fc.array(tie("item"), { maxLength: 4 }).map((parts) => parts.join("")),
  group: fc.array(tie("seq"), { minLength: 2, maxLength: 4 }).map((opts) => `{${opts.join("|")}}`),
})).seq;

const leadIdArb = fc.uuid();

function render(source: string, seed: string) {
  return renderTemplate({ channel: "WHATSAPP", subject: null, content: source, variables: VARS, values: VALUES, seed });
}

/** All option paths of a group tree: for reachability. */
function groups(nodes: readonly SpinNode[]): Array<Extract<SpinNode, { kind: "group" }>> {
  const out: Array<Extract<SpinNode, { kind: "group" }>> = [];
  const walk = (list: readonly SpinNode[]) => {
    for (const n of list) {
      if (n.kind === "group") {
        out.push(n);
        n.options.forEach(walk);
      }
    }
  };
  walk(nodes);
  return out;
}

// ─── Properties ──────────────────────────────────────────────────────────────────────────────────

describe("spintax properties", () => {
  it("every rendering of a valid template has no braces or bars left (values without syntax)", () => {
    fc.assert(
      fc.property(templateArb, leadIdArb, (source, lead) => {
        expect(parseSpintax(source).ok).toBe(true);
        const { text } = render(source, lead);
        // Generated literal text never contains { } |, so any left would be unparsed syntax.
        expect(text).not.toMatch(/[{}|]/);
      }),
    );
  });

  it("the same lead gets the same output, hash and path; the path replays it", () => {
    fc.assert(
      fc.property(templateArb, leadIdArb, fc.uuid(), (source, lead, version) => {
        const seed = variantSeed(lead, version);
        const a = render(source, seed);
        const b = render(source, seed);
        expect(b).toEqual(a);
        const replayed = renderTemplate({ channel: "WHATSAPP", subject: null, content: source, variables: VARS, values: VALUES, seed: "other", replay: a.variantPath });
        expect(replayed.text).toBe(a.text);
        expect(replayed.contentHash).toBe(a.contentHash);
      }),
    );
  });

  it("every option of every group is reachable by some lead", () => {
    fc.assert(
      fc.property(templateArb, (source) => {
        const parsed = parseSpintax(source);
        if (!parsed.ok) throw new Error("generator made an invalid template");
        const seen = new Map<number, Set<number>>();
        // Record the choice made at every group for many seeds (all groups, not only visited ones:
        // choices are per group, independent of the branch that leads there).
        for (let i = 0; i < 400; i++) {
          const pick = seededPicker(`lead-${i}:v1`);
          for (const g of groups(parsed.nodes)) {
            const set = seen.get(g.id) ?? new Set<number>();
            set.add(pick(g.id, g.options.length));
            seen.set(g.id, set);
          }
        }
        for (const g of groups(parsed.nodes)) expect(seen.get(g.id)?.size).toBe(g.options.length);
      }),
      { numRuns: 60 },
    );
  });

  it("each option is chosen with roughly equal frequency (no bias towards the first)", () => {
    const parsed = parseSpintax("{a|b|c}");
    if (!parsed.ok) throw new Error("invalid");
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[expand(parsed.nodes, seededPicker(`l${i}`), () => "").path[0]!]! += 1;
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });

  it("escaping round-trips: any text, escaped, renders to itself", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const parsed = parseSpintax(escapeSpintax(text));
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(expand(parsed.nodes, seededPicker("x"), () => "").text).toBe(text);
      }),
    );
  });

  it("escaped text inside options stays literal", () => {
    fc.assert(
      fc.property(anyText, anyText, leadIdArb, (a, b, lead) => {
        const { text } = renderTemplate({ channel: "WHATSAPP", subject: null, content: `{${escapeSpintax(a)}|${escapeSpintax(b)}}`, variables: [], values: {}, seed: lead });
        expect([a, b]).toContain(text);
      }),
    );
  });
});

// ─── Parser cases ────────────────────────────────────────────────────────────────────────────────

describe("parser", () => {
  it("nesting and variables", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(render("{Bună|Salut} {{companyName}}, {x|{y|z}}", `s${i}`).text);
    expect([...seen].sort()).toEqual(
      ["Bună Agro Verde SRL, x", "Bună Agro Verde SRL, y", "Bună Agro Verde SRL, z", "Salut Agro Verde SRL, x", "Salut Agro Verde SRL, y", "Salut Agro Verde SRL, z"].sort(),
    );
  });

  it("{{ starting a nested group is a group, not a variable", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) seen.add(render("{{a|b}|c}", `s${i}`).text);
    expect([...seen].sort()).toEqual(["a", "b", "c"]);
  });

  it("a top-level bar and an unknown backslash are literal", () => {
    expect(render("Preț | Livrare \\n", "s").text).toBe("Preț | Livrare \\n");
  });

  it("empty options are allowed (optional words)", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) seen.add(render("a{ foarte|} bun", `s${i}`).text);
    expect([...seen].sort()).toEqual(["a bun", "a foarte bun"]);
  });

  it.each([
    ["{a|b", "UNBALANCED_OPEN", 0],
    ["a|b}", "UNBALANCED_CLOSE", 3],
    ["x {}", "EMPTY_GROUP", 2],
    ["{companyName}", "SINGLE_OPTION", 0],
    ["{{ 1abc }}", "INVALID_VARIABLE", 0],
    ["{a|{b|c}", "UNBALANCED_OPEN", 0],
  ])("%s → %s at %d", (source, code, offset) => {
    const r = parseSpintax(source);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ code, offset });
  });

  it("reports line and column", () => {
    const r = parseSpintax("Bună ziua,\n\n{a|b");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ line: 3, column: 1 });
  });

  it("a path that does not fit the template is refused", () => {
    const parsed = parseSpintax("{a|b}");
    if (!parsed.ok) throw new Error("invalid");
    expect(() => expand(parsed.nodes, pathPicker([5]), () => "")).toThrow(/does not fit/);
  });
});

// ─── Variables ───────────────────────────────────────────────────────────────────────────────────

describe("variables", () => {
  it("a missing required value is a typed error naming the variable, never a blank", () => {
    const attempt = () => renderTemplate({ channel: "WHATSAPP", subject: null, content: "Pentru {{companyName}}", variables: VARS, values: { companyName: "  " }, seed: "s" });
    expect(attempt).toThrow(TemplateVariableMissingError);
    try {
      attempt();
    } catch (e) {
      expect(e).toMatchObject({ code: "TEMPLATE_VARIABLE_MISSING", kind: "PRECONDITION_FAILED", variables: ["companyName"] });
    }
  });

  it("defaults fill optional values; an optional variable without default becomes empty", () => {
    const r = renderTemplate({ channel: "WHATSAPP", subject: null, content: "{{judet}}/{{localitate}}/{{companyName}}", variables: VARS, values: { companyName: "X" }, seed: "s" });
    expect(r.text).toBe("județul dumneavoastră//X");
    expect(r.defaulted.sort()).toEqual(["judet", "localitate"]);
  });

  it("a required variable uses a non-blank default, but never a blank one", () => {
    const vars: TemplateVariable[] = [{ name: "a", required: true, default: "implicit" }, { name: "b", required: true, default: " " }];
    expect(renderTemplate({ channel: "WHATSAPP", subject: null, content: "{{a}}", variables: vars, values: {}, seed: "s" }).text).toBe("implicit");
    expect(() => renderTemplate({ channel: "WHATSAPP", subject: null, content: "{{b}}", variables: vars, values: {}, seed: "s" })).toThrow(TemplateVariableMissingError);
  });

  it("values are inserted literally, never parsed as spintax", () => {
    const r = renderTemplate({ channel: "WHATSAPP", subject: null, content: "{{companyName}}", variables: VARS, values: { companyName: "{A|B} SRL" }, seed: "s" });
    expect(r.text).toBe("{A|B} SRL");
  });

  it("the preview marks missing variables instead of throwing", () => {
    const r = previewTemplate({ channel: "WHATSAPP", subject: null, content: "Pentru {{companyName}}", variables: VARS, values: {}, seed: "s" });
    expect(r.missing).toEqual(["companyName"]);
    expect(r.text).toBe("Pentru ⟦companyName⟧");
  });

  it("email: subject rendered, hash covers subject and body", () => {
    const base = { channel: "EMAIL_COLD" as const, content: "Corp", variables: VARS, values: VALUES, seed: "s" };
    const a = renderTemplate({ ...base, subject: "Ofertă pentru {{companyName}}" });
    const b = renderTemplate({ ...base, subject: "Alt subiect" });
    expect(a.subject).toBe("Ofertă pentru Agro Verde SRL");
    expect(a.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.contentHash).not.toBe(b.contentHash);
  });
});

// ─── Validation on save ──────────────────────────────────────────────────────────────────────────

describe("validation on save", () => {
  it("every seeded template is valid", () => {
    for (const t of TEMPLATES) {
      for (const v of t.versions) {
        const check = checkTemplate({ channel: t.channel, subject: v.subject ?? t.subject, content: v.content, variables: t.variables });
        expect(check.issues, `${t.key}`).toEqual([]);
      }
    }
  });

  it("unknown variables, bad braces, missing subject are reported together", () => {
    const check = checkTemplate({ channel: "EMAIL_COLD", subject: "", content: "{a|b {{firma}}", variables: VARS });
    expect(check.issues.map((i) => i.code).sort()).toEqual(["SUBJECT_REQUIRED", "UNBALANCED_OPEN", "UNKNOWN_VARIABLE"]);
    const unknown = checkTemplate({ channel: "WHATSAPP", subject: null, content: "Salut {{firma}}", variables: VARS });
    expect(unknown.issues).toMatchObject([{ code: "UNKNOWN_VARIABLE", field: "content", offset: 6 }]);
  });

  it("WhatsApp: the longest expansion counts, not the first", () => {
    const long = "x".repeat(WHATSAPP_MAX_CHARS);
    expect(checkTemplate({ channel: "WHATSAPP", subject: null, content: `{scurt|${long}x}`, variables: [] }).issues).toMatchObject([{ code: "WHATSAPP_TOO_LONG" }]);
    expect(checkTemplate({ channel: "WHATSAPP", subject: null, content: "x".repeat(WHATSAPP_MAX_CHARS), variables: [] }).issues).toEqual([]);
    // Email has no such limit.
    expect(checkTemplate({ channel: "EMAIL_COLD", subject: "S", content: `{scurt|${long}}`, variables: [] }).issues).toEqual([]);
  });

  it("the render refuses a WhatsApp text over the limit (a long value)", () => {
    expect(() =>
      renderTemplate({ channel: "WHATSAPP", subject: null, content: "{{companyName}}", variables: VARS, values: { companyName: "y".repeat(WHATSAPP_MAX_CHARS + 1) }, seed: "s" }),
    ).toThrow(expect.objectContaining({ code: "TEMPLATE_TOO_LONG" }));
  });
});

// ─── A/B ─────────────────────────────────────────────────────────────────────────────────────────

describe("A/B version choice", () => {
  const versions = [
    { id: "v1", versionNumber: 1, weight: 70, isActive: true },
    { id: "v2", versionNumber: 2, weight: 30, isActive: true },
    { id: "v3", versionNumber: 3, weight: 100, isActive: false },
    { id: "v4", versionNumber: 4, weight: 0, isActive: true },
  ];

  it("is deterministic per lead and ignores the input order", () => {
    fc.assert(
      fc.property(leadIdArb, (lead) => {
        const a = chooseVersion(versions, lead, "t1");
        expect(chooseVersion([...versions].reverse(), lead, "t1")).toEqual(a);
        expect(["v1", "v2"]).toContain(a?.id);
      }),
    );
  });

  it("follows the weights", () => {
    let v1 = 0;
    for (let i = 0; i < 4000; i++) if (chooseVersion(versions, `lead-${i}`, "t1")?.id === "v1") v1 += 1;
    expect(v1 / 4000).toBeGreaterThan(0.66);
    expect(v1 / 4000).toBeLessThan(0.74);
  });

  it("no active version with weight → null", () => {
    expect(chooseVersion([{ id: "v", versionNumber: 1, weight: 0, isActive: true }], "l", "t")).toBeNull();
  });
});
