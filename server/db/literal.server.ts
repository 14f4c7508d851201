/**
 * A statement's parameter written as an SQL literal, for `EXECUTE name(…)` inside a simple-protocol
 * query (sql.server.ts lockedStatement), which carries no parameters of its own. The text inside the
 * quotes is what `pg` sends as the parameter's value in the extended protocol (its prepareValue), so
 * the prepared statement's parameter type reads it exactly as it reads a bound parameter; the quoting
 * is pg's escapeLiteral (quotes doubled, an E'' string when there is a backslash), so no value can end
 * the literal early. Only the kinds of value the hot paths bind are accepted; anything else throws.
 */
import pg from "pg";

export type LiteralValue = string | number | boolean | Date | null | undefined | readonly (string | null)[] | Record<string, unknown>;

export function sqlLiteral(value: LiteralValue): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string") return pg.escapeLiteral(value);
  if (typeof value === "boolean") return value ? "'true'" : "'false'";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`sqlLiteral: not a finite number: ${value}`);
    return pg.escapeLiteral(String(value));
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError("sqlLiteral: invalid date");
    return pg.escapeLiteral(value.toISOString());
  }
  if (Array.isArray(value)) return pg.escapeLiteral(`{${value.map(arrayElement).join(",")}}`);
  if (Object.getPrototypeOf(value) === Object.prototype) return pg.escapeLiteral(JSON.stringify(value));
  throw new TypeError(`sqlLiteral: cannot write a ${Object.prototype.toString.call(value)} as a literal`);
}

/** An element of a one-dimensional text array literal: NULL, or double-quoted with `\` and `"` escaped. */
function arrayElement(item: unknown): string {
  if (item === null || item === undefined) return "NULL";
  if (typeof item !== "string") throw new TypeError(`sqlLiteral: array elements must be strings, got ${typeof item}`);
  return `"${item.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
