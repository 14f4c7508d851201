/**
 * The total under the leads list: exact when counting is cheap, a labelled estimate otherwise.
 *
 * Counting a million rows costs hundreds of milliseconds on every page view; a rep needs "1.234" to be
 * exact and "≈ 480.000" to be the right size. One EXPLAIN (no rows read, about a millisecond) of the
 * capped count gives both the planner's row estimate and its cost:
 *   - estimate above ESTIMATE_ONLY_ABOVE, or the capped count itself expensive (its plan must visit
 *     many rows that do not match: e.g. a county with "needs review", two filters on two tables):
 *     answer the estimate, labelled as one;
 *   - else count, but at most COUNT_CAP + 1 rows (`LIMIT` inside the count): exact up to the cap, and
 *     past it the estimate when that is higher, else "more than COUNT_CAP".
 * Row-level security keeps the planner from using column statistics for non-leakproof operators, so
 * estimates involving enum equality or LIKE are defaults; the list's own conditions avoid both
 * (state_code, search ids). Measured in `npm run bench:ui` (count step).
 */
import { Prisma } from "../../generated/prisma/client";
import type { TenantTx } from "../../db/client.server";

export const COUNT_CAP = 2_000;
/** Above this planner estimate the count is skipped altogether. */
export const ESTIMATE_ONLY_ABOVE = 10 * COUNT_CAP;
/**
 * Planner cost units above which the capped count is not run. An index range of the cap's rows costs a
 * few hundred; joining tens of thousands of rows of two tables, tens of thousands.
 */
export const COUNT_COST_LIMIT = 10_000;

export interface ListTotal {
  value: number;
  /** exact: counted; estimate: the planner's (the UI shows "≈"); atLeast: counted past the cap (the UI shows "peste"). */
  precision: "exact" | "estimate" | "atLeast";
}

interface PlanNode {
  "Node Type": string;
  "Plan Rows": number;
  "Total Cost": number;
  Plans?: PlanNode[];
}

/** The planner's view of a capped count: its cost, and the rows it expects before the cap. */
async function explainCount(tx: TenantTx, capped: Prisma.Sql): Promise<{ cost: number; rows: number }> {
  const result = await tx.$queryRaw<Array<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>>`EXPLAIN (FORMAT JSON) ${capped}`;
  const top = result[0]?.["QUERY PLAN"]?.[0]?.Plan;
  if (!top) return { cost: Number.POSITIVE_INFINITY, rows: 0 };
  // Aggregate → Limit → the filtered set, whose row estimate is not cut by the LIMIT.
  let node: PlanNode | undefined = top;
  while (node && node["Node Type"] !== "Limit") node = node.Plans?.[0];
  const uncapped = node?.Plans?.[0] ?? top;
  return { cost: top["Total Cost"], rows: Math.round(uncapped["Plan Rows"]) };
}

/** The planner's row estimate for `SELECT 1 <fromWhere>`. */
export async function plannerEstimate(tx: TenantTx, fromWhere: Prisma.Sql): Promise<number> {
  const rows = await tx.$queryRaw<Array<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>>`EXPLAIN (FORMAT JSON) SELECT 1 ${fromWhere}`;
  return Math.round(rows[0]?.["QUERY PLAN"]?.[0]?.Plan["Plan Rows"] ?? 0);
}

/** An estimate shown to people: two significant digits, so it does not pretend to be exact. */
export function roundEstimate(n: number): number {
  if (n < 100) return n;
  const magnitude = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / magnitude) * magnitude;
}

export async function countLeads(tx: TenantTx, fromWhere: Prisma.Sql): Promise<ListTotal> {
  const capped = Prisma.sql`SELECT count(*)::int AS n FROM (SELECT 1 ${fromWhere} LIMIT ${COUNT_CAP + 1}) capped`;
  const plan = await explainCount(tx, capped);
  if (plan.rows > ESTIMATE_ONLY_ABOVE || plan.cost > COUNT_COST_LIMIT) return { value: roundEstimate(plan.rows), precision: "estimate" };
  const rows = await tx.$queryRaw<Array<{ n: number }>>(capped);
  const counted = rows[0]?.n ?? 0;
  if (counted <= COUNT_CAP) return { value: counted, precision: "exact" };
  return plan.rows > COUNT_CAP ? { value: roundEstimate(plan.rows), precision: "estimate" } : { value: COUNT_CAP, precision: "atLeast" };
}
