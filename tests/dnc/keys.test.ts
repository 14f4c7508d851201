/**
 * The do-not-contact key rule is written three times: TypeScript (server/dnc/keys.ts, the list page and
 * dispatch), the SQL function dnc_phone_key (the list's trigger and one-off checks) and the expression of
 * server/dnc/sql.server.ts (the send path and enrolment). They must agree on every spelling of a number.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { dncKey, domainKey, emailKey, phoneKey } from "../../server/dnc/keys";
import { hashedKey } from "../../server/dnc/keys.server";
import { phoneKeySql } from "../../server/dnc/sql.server";
import { createTestDatabase, type TestDatabase } from "../support/db";

const PHONES = [
  "+40 722 123 456",
  "0722123456",
  "0722 123 456",
  "0040722123456",
  "0040 722-123-456",
  "40722123456",
  "(+40) 722.123.456",
  "+44 20 7946 0958",
  "004420 7946 0958",
  "0212345678",
  "+4021234567",
  "722123456",
  "0040123456",
];

describe("do-not-contact keys", () => {
  it("make every Romanian spelling of a number one E.164 key", () => {
    for (const p of ["+40 722 123 456", "0722123456", "0040722123456", "40722123456", "(+40) 722.123.456"]) expect(phoneKey(p)).toBe("+40722123456");
    expect(phoneKey("+44 20 7946 0958")).toBe("+442079460958");
    expect(phoneKey("abc")).toBeNull();
    expect(dncKey("PHONE", "+40")).toBeNull();
    expect(emailKey("  Ion.Pop@Ferma.RO ")).toBe("ion.pop@ferma.ro");
    expect(emailKey("nu e email")).toBeNull();
    expect(domainKey("@WWW.Concurent.ro")).toBe("concurent.ro");
    expect(domainKey("fara-punct")).toBeNull();
  });

  describe("against Postgres", () => {
    let db: TestDatabase;
    let client: pg.Client;
    beforeAll(async () => {
      db = await createTestDatabase("dnckeys");
      client = new pg.Client({ connectionString: db.adminUrl });
      await client.connect();
    });
    afterAll(async () => {
      await client?.end();
      await db?.drop();
    });

    it("dnc_phone_key, the written-out expression and phoneKey agree", async () => {
      for (const raw of PHONES) {
        const { rows } = await client.query<{ fn: string | null; expr: string | null }>(`SELECT dnc_phone_key($1::text) AS fn, ${phoneKeySql("$1::text")} AS expr`, [raw]);
        expect({ raw, key: rows[0]!.fn }).toEqual({ raw, key: phoneKey(raw) });
        expect({ raw, key: rows[0]!.expr }).toEqual({ raw, key: phoneKey(raw) });
      }
    });

    it("dnc_hashed is hashedKey", async () => {
      const { rows } = await client.query<{ h: string }>(`SELECT dnc_hashed('+40722123456') AS h`);
      expect(rows[0]!.h).toBe(hashedKey("+40722123456"));
    });

    it("the list stores keys whoever writes it (the trigger)", async () => {
      const t = (await client.query<{ id: string }>(`INSERT INTO tenants (name, slug) VALUES ('K', 'k') RETURNING id`)).rows[0]!.id;
      await client.query(`INSERT INTO do_not_contact (tenant_id, type, value) VALUES ($1, 'PHONE', '0722 123 456'), ($1, 'EMAIL', ' Ion@Ferma.RO '), ($1, 'DOMAIN', '@www.Concurent.ro')`, [t]);
      const dup = await client.query(`INSERT INTO do_not_contact (tenant_id, type, value) VALUES ($1, 'PHONE', '+40 722 123 456') ON CONFLICT DO NOTHING`, [t]);
      expect(dup.rowCount).toBe(0);
      const { rows } = await client.query(`SELECT type::text, value FROM do_not_contact WHERE tenant_id = $1 ORDER BY type`, [t]);
      expect(rows).toEqual([
        { type: "DOMAIN", value: "concurent.ro" },
        { type: "EMAIL", value: "ion@ferma.ro" },
        { type: "PHONE", value: "+40722123456" },
      ]);
    });
  });
});
