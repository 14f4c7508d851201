/**
 * sqlLiteral (server/db/literal.server.ts): a value written as a literal must reach a statement exactly as the
 * same value bound as a parameter does, whatever it holds (quotes, backslashes, Romanian letters,
 * array syntax), and values it cannot write faithfully are refused, not guessed at.
 */
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlLiteral, type LiteralValue } from "../../server/db/literal.server";
import { serverClient } from "../support/db";

let client: pg.Client;

beforeAll(async () => {
  client = await serverClient();
});

afterAll(async () => {
  await client?.end();
});

const cases: Array<[string, LiteralValue, string]> = [
  ["plain text", "Ferma Ștefan și Țăranu SRL", "text"],
  ["quotes", "it's \"quoted\" ''twice''", "text"],
  ["backslashes", "C:\\agro\\n \\' \\\\", "text"],
  ["an attempt to end the literal", "x'); DROP TABLE tenants; --", "text"],
  ["line breaks and tabs", "rând 1\nrând 2\r\n\tși 3", "text"],
  ["emoji", "🌾 recoltă", "text"],
  ["empty text", "", "text"],
  ["a uuid", "0b0c6a5e-4f7e-4a7c-9d3e-0a6c2f1b9e11", "uuid"],
  ["an integer", 42, "int"],
  ["a negative decimal", -1.5, "numeric"],
  ["zero", 0, "smallint"],
  ["true", true, "boolean"],
  ["false", false, "boolean"],
  ["a date", new Date("2026-12-05T07:30:15.123Z"), "timestamptz"],
  ["null", null, "text"],
  ["undefined", undefined, "uuid"],
  ["an array of keys", ["j1:1:WHATSAPP", "j1:1:EMAIL_COLD"], "text[]"],
  ["array syntax inside elements", ['a"b', "c\\d", "", "NULL", "x,y", "{z}", " sp ", "ș'ț"], "text[]"],
  ["an array with a NULL", ["a", null, "b"], "text[]"],
  ["an empty array", [], "text[]"],
  ["an object", { attemptId: "a'b", leaseUntil: null, nested: { path: "C:\\x", n: 3 }, list: [1, "ș"] }, "jsonb"],
  ["an empty object", {}, "jsonb"],
];

describe("sqlLiteral", () => {
  it.each(cases)("writes %s as the value a bound parameter carries", async (_name, value, type) => {
    const bound = (await client.query<{ v: unknown }>(`SELECT $1::${type} AS v`, [value])).rows[0]!.v;
    const written = (await client.query<{ v: unknown }>(`SELECT ${sqlLiteral(value)}::${type} AS v`)).rows[0]!.v;
    expect(written).toEqual(bound);
  });

  it("can be the argument of EXECUTE, typed by the prepared statement", async () => {
    await client.query("PREPARE literal_probe (uuid, text[], jsonb, timestamptz, int) AS SELECT $1 AS id, $2 AS keys, $3 AS meta, $4 AS at, $5 AS n");
    try {
      const values: LiteralValue[] = ["0b0c6a5e-4f7e-4a7c-9d3e-0a6c2f1b9e11", ["a", "b'c"], { k: "v'w" }, new Date("2026-12-05T07:30:00.000Z"), 7];
      const { rows } = await client.query(`EXECUTE literal_probe(${values.map(sqlLiteral).join(", ")})`);
      expect(rows[0]).toEqual({ id: values[0], keys: ["a", "b'c"], meta: { k: "v'w" }, at: values[3], n: 7 });
    } finally {
      await client.query("DEALLOCATE literal_probe");
    }
  });

  it("refuses what it cannot write faithfully", () => {
    expect(() => sqlLiteral(Number.NaN)).toThrow(TypeError);
    expect(() => sqlLiteral(Number.POSITIVE_INFINITY)).toThrow(TypeError);
    expect(() => sqlLiteral(new Date("not a date"))).toThrow(TypeError);
    expect(() => sqlLiteral(new Map() as never)).toThrow(TypeError);
    expect(() => sqlLiteral([1, 2] as never)).toThrow(TypeError);
    expect(() => sqlLiteral([["nested"]] as never)).toThrow(TypeError);
  });
});
