/**
 * The server-side cases `npm run bench:ui` times (bench/ui.ts). A case is one procedure call through the
 * real tRPC router (zod in and out, the tenant transaction, the SQL), as a signed-in user, on the
 * million-lead seed; the bench reports its p50/p95/max over BENCH_ITERATIONS calls against `targetMs`.
 *
 * EXTENSION POINT: another page's data (the lead page, "a lead with 200 messages") is measured by adding
 * a function of the same shape as `leadsListCases` and listing it in UI_CASE_GROUPS below. Its setup
 * (e.g. giving one lead 200 messages) runs once, before timing, on `ctx.admin`.
 */
import type pg from "pg";
import type { SessionUser } from "../../server/auth/roles";
import type { AppRouter, appRouter } from "../../server/trpc/router.server";
import type { inferRouterInputs } from "@trpc/server";

export type Caller = ReturnType<typeof appRouter.createCaller>;

export interface BenchContext {
  tenantId: string;
  rep: SessionUser;
  manager: SessionUser;
  /** A caller signed in as `user` (the procedures' tiers and RLS apply as for the page). */
  callerFor: (user: SessionUser) => Caller;
  /** Owner connection to the bench database, for setup and sampling (RLS does not apply). */
  admin: pg.Client;
}

export interface UiCase {
  name: string;
  targetMs: number;
  run: () => Promise<unknown>;
}

type ListInput = inferRouterInputs<AppRouter>["leads"]["list"];

/** The common views of the leads list (issue 10), as a rep and as a manager open them. */
export async function leadsListCases(ctx: BenchContext): Promise<UiCase[]> {
  const rep = ctx.callerFor(ctx.rep);
  const manager = ctx.callerFor(ctx.manager);
  // A real lead's phone, typed the way reps type it (national format with spaces).
  const sample = await ctx.admin.query<{ phone: string; county: string }>(
    `SELECT telefon_principal AS phone, judet AS county FROM gold_companies
      WHERE tenant_id = $1 AND telefon_principal IS NOT NULL ORDER BY id LIMIT 1 OFFSET 123456`,
    [ctx.tenantId],
  );
  const phone = sample.rows[0]?.phone ?? "+40722000000";
  const typed = `0${phone.slice(3, 6)} ${phone.slice(6, 9)} ${phone.slice(9)}`;
  const list = (caller: Caller, input: ListInput) => () => caller.leads.list(input);
  return [
    { name: "my leads (rep's default)", targetMs: 100, run: list(rep, { assigned: "me" }) },
    { name: "state filter (A răspuns)", targetMs: 100, run: list(manager, { states: ["WARM_REPLY"] }) },
    { name: "two states (contacted WA + e-mail)", targetMs: 100, run: list(manager, { states: ["CONTACTED_WA", "CONTACTED_EMAIL"] }) },
    { name: "county + state (Iași, Necontactat)", targetMs: 100, run: list(manager, { county: "Iași", states: ["COLD"] }) },
    { name: "search name fragment, distinctive ('recolta voluntari')", targetMs: 100, run: list(manager, { search: "recolta voluntari" }) },
    { name: "search name fragment, common surname ('popescu')", targetMs: 100, run: list(manager, { search: "popescu" }) },
    { name: `search by phone ('${typed}')`, targetMs: 100, run: list(manager, { search: typed }) },
    { name: "sort by last contact", targetMs: 100, run: list(manager, { sort: "lastContact" }) },
    { name: "needs review", targetMs: 100, run: list(manager, { needsReview: true }) },
    { name: "page 50", targetMs: 100, run: list(manager, { page: 50 }) },
  ];
}

/** Every group of cases the bench runs. Add a group here to measure another page's data. */
export const UI_CASE_GROUPS: Array<(ctx: BenchContext) => Promise<UiCase[]>> = [leadsListCases];
