/**
 * The server-side cases `npm run bench:ui` times (bench/ui.ts). A case is one procedure call through the
 * real tRPC router (zod in and out, the tenant transaction, the SQL), as a signed-in user, on the
 * million-lead seed; the bench reports its p50/p95/max over BENCH_ITERATIONS calls against `targetMs`.
 *
 * Another page's data is measured by adding a function of the same shape as `leadsListCases` and listing
 * it in UI_CASE_GROUPS below; its setup runs once, before timing, on `ctx.admin` (see leadPageCases).
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

/** Messages the lead page's case gives its lead (issue 10: "a lead with 200 messages"). */
export const LEAD_PAGE_MESSAGES = 200;

/**
 * The lead page's data for a lead with 200 messages: what the page asks on opening, in parallel as the
 * page does — leads.get, the timeline's first window of 30 (app/components/lead/timeline.tsx) and the
 * last 20 state changes (lead-summary.tsx) — as the lead's rep when rep1 owns it. bench:ui-lead measures
 * the same three on a synthetic lead with a fuller history (decisions, notes, audit).
 *
 * Setup: the seeded lead with the most messages is topped up to 200 with copies of its own messages,
 * each copy moved back a whole number of weeks (same channels, statuses, texts and phone as the seed
 * wrote), so the timeline's window has a realistic mix to read. Runs once: a rerun finds 200.
 */
export async function leadPageCases(ctx: BenchContext): Promise<UiCase[]> {
  const top = await ctx.admin.query<{ lead_id: string; n: number }>(
    `SELECT lead_id, count(*)::int AS n FROM gold_communication_log WHERE tenant_id = $1
      GROUP BY lead_id ORDER BY count(*) DESC, lead_id LIMIT 1`,
    [ctx.tenantId],
  );
  const lead = top.rows[0];
  if (!lead) throw new Error("the bench seed has no messages");
  if (lead.n < LEAD_PAGE_MESSAGES) {
    await ctx.admin.query(
      `INSERT INTO gold_communication_log (tenant_id, journey_id, lead_id, channel, direction, status, recipient, subject,
              content_preview, content_hash, quota_cost, phone_id, sequence_id, sequence_step, template_id, template_version_id,
              sentiment_score, intent, analysis, metadata, sent_at, delivered_at, read_at, opened_at, replied_at, bounced_at,
              failed_at, created_at, updated_at)
       SELECT m.tenant_id, m.journey_id, m.lead_id, m.channel, m.direction, m.status, m.recipient, m.subject,
              m.content_preview, m.content_hash, m.quota_cost, m.phone_id, m.sequence_id, m.sequence_step, m.template_id,
              m.template_version_id, m.sentiment_score, m.intent, m.analysis, m.metadata,
              m.sent_at - w.back, m.delivered_at - w.back, m.read_at - w.back, m.opened_at - w.back, m.replied_at - w.back,
              m.bounced_at - w.back, m.failed_at - w.back, m.created_at - w.back, m.updated_at - w.back
         FROM (SELECT * FROM gold_communication_log WHERE lead_id = $1 ORDER BY created_at, id) m
        CROSS JOIN LATERAL (SELECT g * interval '7 days' AS back, g FROM generate_series(1, $2::int) g) w
        ORDER BY w.g, m.created_at
        LIMIT $2::int`,
      [lead.lead_id, LEAD_PAGE_MESSAGES - lead.n],
    );
  }
  const owner = await ctx.admin.query<{ assigned_to_user: string | null }>(`SELECT assigned_to_user FROM gold_lead_journey WHERE lead_id = $1`, [lead.lead_id]);
  const viewer = owner.rows[0]?.assigned_to_user === ctx.rep.id ? ctx.rep : ctx.manager;
  const caller = ctx.callerFor(viewer);
  const leadId = lead.lead_id;
  return [
    {
      name: `lead page, a lead with ${LEAD_PAGE_MESSAGES} messages (leads.get + timeline window + history)`,
      targetMs: 100,
      run: () => Promise.all([caller.leads.get({ leadId }), caller.leads.timeline({ leadId, limit: 30 }), caller.leads.history({ leadId, limit: 20 })]),
    },
  ];
}

/** Every group of cases the bench runs. Add a group here to measure another page's data. */
export const UI_CASE_GROUPS: Array<(ctx: BenchContext) => Promise<UiCase[]>> = [leadsListCases, leadPageCases];
