/**
 * The leads list's SQL, built from the filters as Prisma.Sql fragments (values always bound, never
 * spliced). One lead = one journey (gold_lead_journey) and its company: a company without a journey is
 * not in outreach (dispatch and every send path read journeys) and is not listed.
 *
 * Performance at a million leads (docs/decisions/0009-leads-list.md, numbers in `npm run bench:ui`):
 * - Every sort key has an index (tenant_id, key, id) and the id breaks ties, so a page is a range of
 *   one index, whatever the offset's row count before it. "My leads", a state filter and "needs
 *   review" have their own (tenant_id, filter, next_action_at, id) index for the default sort.
 * - Under row-level security only leakproof operators become index conditions: uuid, text, integer,
 *   boolean and timestamp comparisons are; enum equality and LIKE are not. States are therefore
 *   filtered on the generated smallint state_code, and the search goes through lead_search_ids() (a
 *   SECURITY DEFINER function pinned to the transaction's tenant) to reach the trigram index.
 * - The company table is joined only when a filter or the sort needs it.
 */
import { Prisma } from "../../generated/prisma/client";
import type { LeadListFilters, LeadListQuery } from "./filters";
import { LIST_SORTS, sortDirection } from "./filters";
import { stateCodes } from "./state-codes";

/** How the search narrows the list: the matching company ids when few, else a LIKE on every row read. */
export type SearchScope = { kind: "ids"; ids: string[] } | { kind: "pattern"; fragment: string } | null;

export interface ListScope {
  tenantId: string;
  /** The caller, for `assigned: "me"`. */
  userId: string;
  filters: LeadListFilters;
  search: SearchScope;
  /** Day filters as instants: [from, to) in the tenant's time zone. */
  lastContact: { from: Date | null; to: Date | null };
  lastReply: { from: Date | null; to: Date | null };
}

/** Whether the company row is needed for the WHERE clause. */
function needsCompany(scope: ListScope): boolean {
  return scope.filters.county !== undefined || scope.search !== null;
}

/**
 * `stateCode` narrows a multi-state filter to one of its states (pageQuery's per-state branches). One
 * state is an equality, so its rows are one ordered range of the (tenant_id, state_code, next_action_at,
 * id) index; `= ANY(…)` over several is not ordered, and Postgres would rather walk the sort's index.
 */
function conditions(scope: ListScope, stateCode?: number): Prisma.Sql[] {
  const f = scope.filters;
  // RLS binds the tenant already; the explicit condition is the leading column of every index used.
  const where: Prisma.Sql[] = [Prisma.sql`j.tenant_id = ${scope.tenantId}::uuid`];
  const codes = stateCode !== undefined ? [stateCode] : stateCodes(f.states ?? []);
  if (codes.length === 1) where.push(Prisma.sql`j.state_code = ${codes[0]}::smallint`);
  else if (codes.length > 1) where.push(Prisma.sql`j.state_code = ANY(${codes}::smallint[])`);
  if (f.channel) where.push(Prisma.sql`j.last_channel_used = ${f.channel}::channel_enum`);
  if (f.assigned === "me") where.push(Prisma.sql`j.assigned_to_user = ${scope.userId}::uuid`);
  else if (f.assigned === "none") where.push(Prisma.sql`j.assigned_to_user IS NULL`);
  else if (f.assigned) where.push(Prisma.sql`j.assigned_to_user = ${f.assigned}::uuid`);
  if (f.phoneId) where.push(Prisma.sql`j.assigned_phone_id = ${f.phoneId}::uuid`);
  if (f.sequenceId) where.push(Prisma.sql`j.current_sequence_id = ${f.sequenceId}::uuid`);
  if (f.replied !== undefined) where.push(f.replied ? Prisma.sql`j.reply_count > 0` : Prisma.sql`j.reply_count = 0`);
  // Written out, not `= $1`: the review index holds only the leads waiting for review (partial).
  if (f.needsReview !== undefined) where.push(f.needsReview ? Prisma.sql`j.requires_human_review` : Prisma.sql`NOT j.requires_human_review`);
  if (f.optedOut !== undefined) {
    where.push(f.optedOut ? Prisma.sql`(j.whatsapp_opted_out OR j.email_opted_out)` : Prisma.sql`NOT j.whatsapp_opted_out AND NOT j.email_opted_out`);
  }
  if (scope.lastContact.from) where.push(Prisma.sql`j.last_contact_at >= ${scope.lastContact.from}`);
  if (scope.lastContact.to) where.push(Prisma.sql`j.last_contact_at < ${scope.lastContact.to}`);
  if (scope.lastReply.from) where.push(Prisma.sql`j.last_reply_at >= ${scope.lastReply.from}`);
  if (scope.lastReply.to) where.push(Prisma.sql`j.last_reply_at < ${scope.lastReply.to}`);
  if (f.county) where.push(Prisma.sql`c.judet = ${f.county}`);
  if (scope.search?.kind === "ids") where.push(Prisma.sql`c.id = ANY(${scope.search.ids}::uuid[])`);
  else if (scope.search?.kind === "pattern") where.push(Prisma.sql`c.search_text LIKE lead_search_pattern(${scope.search.fragment})`);
  return where;
}

/** `FROM … WHERE …` of the filtered set; with `company` the company is joined whatever the filters. */
export function fromWhere(scope: ListScope, options: { company?: boolean; stateCode?: number } = {}): Prisma.Sql {
  const join = options.company || needsCompany(scope) ? Prisma.sql`JOIN gold_companies c ON c.tenant_id = j.tenant_id AND c.id = j.lead_id` : Prisma.empty;
  return Prisma.sql`FROM gold_lead_journey j ${join} WHERE ${Prisma.join(conditions(scope, options.stateCode), " AND ")}`;
}

interface SortSpec {
  /** Column and tie-breaker, in the index's order. */
  key: Prisma.Sql;
  tieBreak: Prisma.Sql;
  company: boolean;
  /**
   * Where rows without a value go in the sort's own direction. Postgres puts NULLs last ascending and
   * first descending; a key sorted descending with NULLs last has an index built that way (last
   * contact: never-contacted leads after the most recent ones). The reverse direction mirrors it, so
   * one index serves both (read backwards): the flags must match the index exactly, or Postgres sorts.
   */
  nullsLastInOwnDirection: boolean;
}

const SORTS: Record<LeadListQuery["sort"], SortSpec> = {
  nextAction: { key: Prisma.sql`j.next_action_at`, tieBreak: Prisma.sql`j.id`, company: false, nullsLastInOwnDirection: true },
  lastContact: { key: Prisma.sql`j.last_contact_at`, tieBreak: Prisma.sql`j.id`, company: false, nullsLastInOwnDirection: true },
  name: { key: Prisma.sql`c.name_key`, tieBreak: Prisma.sql`c.id`, company: true, nullsLastInOwnDirection: true },
  // NOT NULL: the flag only has to match the ascending index read backwards (DESC NULLS FIRST).
  sentiment: { key: Prisma.sql`j.sentiment_score`, tieBreak: Prisma.sql`j.id`, company: false, nullsLastInOwnDirection: false },
};

function orderTerms(query: Pick<LeadListQuery, "sort" | "dir">): { dir: Prisma.Sql; nulls: Prisma.Sql } {
  const spec = SORTS[query.sort];
  const dir = sortDirection(query);
  const own = dir === LIST_SORTS[query.sort];
  const nullsLast = own ? spec.nullsLastInOwnDirection : !spec.nullsLastInOwnDirection;
  return { dir: dir === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`, nulls: nullsLast ? Prisma.sql`NULLS LAST` : Prisma.sql`NULLS FIRST` };
}

export function orderBy(query: Pick<LeadListQuery, "sort" | "dir">): { sql: Prisma.Sql; company: boolean } {
  const spec = SORTS[query.sort];
  const { dir, nulls } = orderTerms(query);
  return { sql: Prisma.sql`ORDER BY ${spec.key} ${dir} ${nulls}, ${spec.tieBreak} ${dir}`, company: spec.company };
}

/**
 * The page's journey ids, in order. Several states sorted by next action: one branch per state, each a
 * range of the state index read up to the page's end, merged and cut to the page (at most
 * states × (offset + limit) rows are sorted, instead of every lead in those states).
 */
export function pageQuery(scope: ListScope, query: Pick<LeadListQuery, "sort" | "dir">, limit: number, offset: number): Prisma.Sql {
  const order = orderBy(query);
  const codes = stateCodes(scope.filters.states ?? []);
  if (codes.length > 1 && query.sort === "nextAction") {
    const branches = codes.map(
      (code) => Prisma.sql`(SELECT j.id, j.next_action_at ${fromWhere(scope, { stateCode: code })} ${order.sql} LIMIT ${offset + limit})`,
    );
    const { dir, nulls } = orderTerms(query);
    return Prisma.sql`SELECT u.id::text AS id FROM (${Prisma.join(branches, " UNION ALL ")}) u
      ORDER BY u.next_action_at ${dir} ${nulls}, u.id ${dir} LIMIT ${limit} OFFSET ${offset}`;
  }
  return Prisma.sql`SELECT j.id::text AS id ${fromWhere(scope, { company: order.company })} ${order.sql} LIMIT ${limit} OFFSET ${offset}`;
}
