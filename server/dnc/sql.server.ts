/**
 * The do-not-contact checks as SQL text, for statements that check many leads at once (enrolment) or
 * run on every send. The SQL functions of migration *_lead_page (dnc_phone_listed, dnc_email_listed)
 * say the same thing, but a call to a SQL function with a subquery is not inlined: it is planned again
 * inside every statement that calls it. Written out, the check is planned with the statement.
 * The key rule is server/dnc/keys.ts; tests/dnc/keys.test.ts holds the three spellings equal.
 */

/**
 * E.164 key of a phone column or expression: the digits, a leading 0040 made 40, a ten-digit national
 * number 0… made 40…, then '+' (NULL for NULL; '+' alone for no digits, which no entry holds). Only
 * operators and functions, no CASE / COALESCE / NULLIF: under row-level security Postgres uses an
 * expression of an outer row as an index condition only if it can show it leaks nothing, and it does
 * not try for those node types — the lookup then became a scan of the tenant's whole list.
 */
export function phoneKeySql(expr: string): string {
  return `('+' || regexp_replace(regexp_replace(regexp_replace(${expr}, '[^0-9]', '', 'g'), '^0040', '40'), '^0([0-9]{9})$', '40\\1'))`;
}

const hashed = (key: string) => `'sha256:' || encode(sha256(convert_to(${key}, 'UTF8')), 'hex')`;

/** The phone is on the current tenant's list, plain or hashed (two probes of the unique index). */
export function phoneListedSql(expr: string): string {
  const k = phoneKeySql(expr);
  return `EXISTS (SELECT 1 FROM do_not_contact dnc_p WHERE dnc_p.type = 'PHONE' AND dnc_p.value IN (${k}, ${hashed(k)}))`;
}

/** The address, or its domain, is on the current tenant's list, plain or hashed (one probe per form). */
export function emailListedSql(expr: string): string {
  const a = `lower(btrim(${expr}))`;
  const dom = `lower(split_part(btrim(${expr}), '@', 2))`;
  return `(EXISTS (SELECT 1 FROM do_not_contact dnc_e WHERE dnc_e.type = 'EMAIL' AND dnc_e.value IN (${a}, ${hashed(a)}))
        OR EXISTS (SELECT 1 FROM do_not_contact dnc_d WHERE dnc_d.type = 'DOMAIN' AND dnc_d.value IN (${dom}, ${hashed(dom)})))`;
}

/**
 * For many rows at once (a CTE `source` with an id, a phone and an address column): the ids whose
 * phone, address or domain is listed, plain or hashed. Each row's keys are computed once and joined with
 * the list, instead of one lookup per row.
 */
export function dncHitsSql(source: string, id: string, phone: string, email: string): string {
  const pk = phoneKeySql(`s.${phone}`);
  // Plain and hashed forms as rows of their own, so the join with the list is on (type, value) alone
  // and every form is computed once per row (a lateral list of forms made the planner hash per pair).
  return `WITH keyed AS MATERIALIZED (
            SELECT s.${id} AS id, 'PHONE'::dnc_type_enum AS type, ${pk} AS v FROM ${source} s WHERE s.${phone} IS NOT NULL
            UNION ALL SELECT s.${id}, 'EMAIL'::dnc_type_enum, lower(btrim(s.${email})) FROM ${source} s WHERE s.${email} IS NOT NULL
            UNION ALL SELECT s.${id}, 'DOMAIN'::dnc_type_enum, lower(split_part(btrim(s.${email}), '@', 2)) FROM ${source} s WHERE s.${email} IS NOT NULL
          ), forms AS (
            SELECT id, type, v FROM keyed
            UNION ALL SELECT id, type, ${hashed("v")} FROM keyed
          )
          SELECT DISTINCT f.id FROM forms f JOIN do_not_contact d ON d.type = f.type AND d.value = f.v`;
}
