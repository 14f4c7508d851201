/**
 * Spintax with variables: `{Bună ziua|Salut} {{contactName}}, {a|b|{c|d}}`.
 *
 * Pure: no I/O, no randomness. The choice at every group is a function of a seed (lead id + template
 * version id), so the same lead always gets the same variant and what was sent can be rebuilt later
 * from the seed or from the recorded variant path.
 *
 * Grammar (decisions a reader would ask about):
 * - `{{name}}` (spaces inside allowed) is a variable; `name` is an identifier. Anything else starting
 *   with `{` opens a group, so `{{a|b}|c}` is a nested group, not a broken variable.
 * - `\{`, `\}`, `\|`, `\\` are literal characters. A backslash before any other character is kept as
 *   is, so Windows paths or emoticons pasted into a template are not silently changed.
 * - A `|` outside every group is literal text ("Preț | Livrare" stays as written).
 * - `{}` and a one-option group `{abc}` are errors: the first is a typo, the second is almost always
 *   a mistyped `{{variable}}`, and sending it as "abc" would hide the mistake from the reviewer.
 * - An empty option (`{foarte |}`) is allowed: it is how an optional word is written.
 */
export type SpinNode =
  | { kind: "text"; value: string }
  | { kind: "var"; name: string; offset: number }
  /** `id` is the group's pre-order number in the template: stable for a given text. */
  | { kind: "group"; id: number; options: SpinNode[][]; offset: number };

export type SpintaxErrorCode = "UNBALANCED_OPEN" | "UNBALANCED_CLOSE" | "EMPTY_GROUP" | "SINGLE_OPTION" | "INVALID_VARIABLE";

export interface SpintaxIssue {
  code: SpintaxErrorCode;
  message: string;
  /** 0-based offset into the source, and 1-based line/column for the editor. */
  offset: number;
  line: number;
  column: number;
}

export type ParseResult = { ok: true; nodes: SpinNode[]; groupCount: number } | { ok: false; issues: SpintaxIssue[] };

const VARIABLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/;
/** `{{ … }}` with no braces or bars inside: meant as a variable, so a bad name is reported as such. */
const VARIABLE_LIKE = /^\{\{([^{}|]*)\}\}/;
const ESCAPABLE = new Set(["{", "}", "|", "\\"]);

function position(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset).split("\n");
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

function issue(source: string, code: SpintaxErrorCode, offset: number, message: string): SpintaxIssue {
  return { code, message, offset, ...position(source, offset) };
}

interface OpenGroup {
  id: number;
  offset: number;
  options: SpinNode[][];
  current: SpinNode[];
}

export function parseSpintax(source: string): ParseResult {
  const issues: SpintaxIssue[] = [];
  const root: SpinNode[] = [];
  const stack: OpenGroup[] = [];
  let nextId = 0;
  let text = "";

  const target = (): SpinNode[] => stack[stack.length - 1]?.current ?? root;
  const flush = () => {
    if (text) target().push({ kind: "text", value: text });
    text = "";
  };

  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === "\\") {
      const next = source[i + 1];
      if (next !== undefined && ESCAPABLE.has(next)) {
        text += next;
        i += 2;
      } else {
        text += ch;
        i += 1;
      }
      continue;
    }
    if (ch === "{") {
      const rest = source.slice(i, i + 200);
      const variable = VARIABLE.exec(rest);
      if (variable) {
        flush();
        target().push({ kind: "var", name: variable[1]!, offset: i });
        i += variable[0].length;
        continue;
      }
      const like = VARIABLE_LIKE.exec(rest);
      if (like) {
        issues.push(issue(source, "INVALID_VARIABLE", i, `"${like[0]}" is not a valid variable: names are letters, digits and _ (e.g. {{companyName}})`));
        i += like[0].length;
        continue;
      }
      flush();
      stack.push({ id: nextId++, offset: i, options: [], current: [] });
      i += 1;
      continue;
    }
    if (ch === "|" && stack.length > 0) {
      flush();
      const group = stack[stack.length - 1]!;
      group.options.push(group.current);
      group.current = [];
      i += 1;
      continue;
    }
    if (ch === "}") {
      flush();
      const group = stack.pop();
      if (!group) {
        issues.push(issue(source, "UNBALANCED_CLOSE", i, "'}' without a matching '{' (write \\} for a literal brace)"));
        i += 1;
        continue;
      }
      group.options.push(group.current);
      const isEmpty = group.options.length === 1 && group.options[0]!.length === 0;
      if (isEmpty) issues.push(issue(source, "EMPTY_GROUP", group.offset, "empty group '{}'"));
      else if (group.options.length === 1) {
        issues.push(issue(source, "SINGLE_OPTION", group.offset, "a group needs at least two options separated by '|' (a variable is written {{name}})"));
      }
      target().push({ kind: "group", id: group.id, options: group.options, offset: group.offset });
      i += 1;
      continue;
    }
    text += ch;
    i += 1;
  }
  flush();
  for (const open of stack) issues.push(issue(source, "UNBALANCED_OPEN", open.offset, "'{' is never closed (write \\{ for a literal brace)"));
  if (issues.length > 0) return { ok: false, issues: issues.sort((a, b) => a.offset - b.offset) };
  return { ok: true, nodes: root, groupCount: nextId };
}

/** Makes any text literal inside a template: `parse(escapeSpintax(s))` renders exactly `s`. */
export function escapeSpintax(text: string): string {
  return text.replace(/[\\{}|]/g, (c) => `\\${c}`);
}

/** Every variable name the template references, in first-use order. */
export function variableNames(nodes: readonly SpinNode[]): string[] {
  const seen = new Set<string>();
  const walk = (list: readonly SpinNode[]) => {
    for (const n of list) {
      if (n.kind === "var") seen.add(n.name);
      else if (n.kind === "group") n.options.forEach(walk);
    }
  };
  walk(nodes);
  return [...seen];
}

export function variableOffsets(nodes: readonly SpinNode[]): Array<{ name: string; offset: number }> {
  const out: Array<{ name: string; offset: number }> = [];
  const walk = (list: readonly SpinNode[]) => {
    for (const n of list) {
      if (n.kind === "var") out.push({ name: n.name, offset: n.offset });
      else if (n.kind === "group") n.options.forEach(walk);
    }
  };
  walk(nodes);
  return out;
}

/** Characters (code points: what WhatsApp counts) of a string. */
export const charLength = (s: string): number => {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
};

/** The longest text any choice of options can produce, with `variableLength(name)` for each variable. */
export function longestExpansion(nodes: readonly SpinNode[], variableLength: (name: string) => number): number {
  let total = 0;
  for (const n of nodes) {
    if (n.kind === "text") total += charLength(n.value);
    else if (n.kind === "var") total += variableLength(n.name);
    else total += Math.max(...n.options.map((o) => longestExpansion(o, variableLength)));
  }
  return total;
}

/** How many different texts (before variables) the template can produce, capped to stay a number. */
export function variantCount(nodes: readonly SpinNode[], cap = 1_000_000): number {
  let total = 1;
  for (const n of nodes) {
    if (n.kind !== "group") continue;
    const sum = n.options.reduce((acc, o) => acc + variantCount(o, cap), 0);
    total = Math.min(cap, total * sum);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------------
// Choosing

/** Picks an option index in [0, count) for a group. */
export type Picker = (groupId: number, count: number) => number;

/** Replays a recorded variant path (indices in visit order): rebuilds exactly what was sent. */
export function pathPicker(path: readonly number[]): Picker {
  let at = 0;
  return (groupId, count) => {
    const index = path[at++];
    if (index === undefined || index < 0 || index >= count) throw new Error(`variant path does not fit the template at group ${groupId}`);
    return index;
  };
}

export interface Expansion {
  text: string;
  /** The option chosen at each group visited, in visit order. */
  path: number[];
}

/**
 * Renders the tree. `value(name)` supplies each variable's text (already resolved: the caller decides
 * what a missing value means); it is inserted as is, never parsed as spintax.
 */
export function expand(nodes: readonly SpinNode[], pick: Picker, value: (name: string) => string): Expansion {
  const path: number[] = [];
  let text = "";
  const walk = (list: readonly SpinNode[]) => {
    for (const n of list) {
      if (n.kind === "text") text += n.value;
      else if (n.kind === "var") text += value(n.name);
      else {
        const index = pick(n.id, n.options.length);
        path.push(index);
        walk(n.options[index]!);
      }
    }
  };
  walk(nodes);
  return { text, path };
}

// ---------------------------------------------------------------------------------------------------
// Enumerating variants (the editor's "another variant")

/**
 * The choices of the k-th variant (0-based; k is taken modulo the number of variants), in visit
 * order, for `pathPicker`. Variants are numbered as mixed-radix numbers over the groups in order, so
 * k = 0, 1, 2, … walks every distinct variant once before repeating.
 */
export function nthVariantPath(nodes: readonly SpinNode[], k: number): number[] {
  const path: number[] = [];
  const total = variantCount(nodes);
  const walk = (list: readonly SpinNode[], index: number) => {
    let rest = index;
    for (const n of list) {
      if (n.kind !== "group") continue;
      const counts = n.options.map((o) => variantCount(o));
      const groupTotal = counts.reduce((a, b) => a + b, 0);
      const local = rest % groupTotal;
      rest = Math.floor(rest / groupTotal);
      let before = 0;
      for (let i = 0; i < counts.length; i++) {
        if (local < before + counts[i]!) {
          path.push(i);
          walk(n.options[i]!, local - before);
          break;
        }
        before += counts[i]!;
      }
    }
  };
  walk(nodes, ((Math.trunc(k) % total) + total) % total);
  return path;
}

// ---------------------------------------------------------------------------------------------------
// Highlighting (the editor)

export type SpintaxTokenKind = "text" | "variable" | "open" | "close" | "separator" | "escape" | "invalid";

export interface SpintaxToken {
  kind: SpintaxTokenKind;
  text: string;
  /** 0-based offsets into the source, end exclusive. */
  start: number;
  end: number;
  /** Nesting depth of a group brace or separator (1 = outermost), for alternating colours. */
  depth: number;
}

/**
 * Splits the source into tokens for colouring, with the same reading as `parseSpintax` (variables,
 * escapes, groups, a `|` outside any group is text). Never fails: a stray `}` is "invalid"; braces the
 * parser reports as unclosed are marked by the caller from the issues' offsets.
 */
export function spintaxTokens(source: string): SpintaxToken[] {
  const tokens: SpintaxToken[] = [];
  let depth = 0;
  let i = 0;
  const push = (kind: SpintaxTokenKind, start: number, end: number, d = depth) => {
    const last = tokens[tokens.length - 1];
    if (kind === "text" && last?.kind === "text" && last.end === start) {
      last.text += source.slice(start, end);
      last.end = end;
    } else tokens.push({ kind, text: source.slice(start, end), start, end, depth: d });
  };
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === "\\" && ESCAPABLE.has(source[i + 1] ?? "")) {
      push("escape", i, i + 2);
      i += 2;
      continue;
    }
    if (ch === "{") {
      const rest = source.slice(i, i + 200);
      const variable = VARIABLE.exec(rest) ?? null;
      if (variable) {
        push("variable", i, i + variable[0].length);
        i += variable[0].length;
        continue;
      }
      const like = VARIABLE_LIKE.exec(rest);
      if (like) {
        push("invalid", i, i + like[0].length);
        i += like[0].length;
        continue;
      }
      depth += 1;
      push("open", i, i + 1);
      i += 1;
      continue;
    }
    if (ch === "|" && depth > 0) {
      push("separator", i, i + 1);
      i += 1;
      continue;
    }
    if (ch === "}") {
      if (depth === 0) push("invalid", i, i + 1);
      else {
        push("close", i, i + 1);
        depth -= 1;
      }
      i += 1;
      continue;
    }
    push("text", i, i + 1);
    i += 1;
  }
  return tokens;
}
