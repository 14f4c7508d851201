/**
 * The leads list (issue 10, seeds F2.18): one page of a tenant's leads, filtered, searched and sorted,
 * with the columns a rep works from and a total that stays cheap at a million leads.
 *
 * Three statements on the caller's tenant transaction: the page's journey ids (one index range, see
 * query.server.ts), the details of those ≤ 100 leads (last reply, sequence, phone, owner), and the
 * total (count.server.ts). A search first asks lead_search_ids() for the matching companies.
 */
import { DateTime } from "luxon";
import type { TenantTx } from "../../db/client.server";
import { DomainError } from "../../errors";
import type { LeadState } from "../../lead-state/transitions";
import { countLeads, roundEstimate, type ListTotal } from "./count.server";
import { MAX_LIST_OFFSET, MIN_SEARCH_LENGTH, type LeadListFilters, type LeadListQuery } from "./filters";
import { fromWhere, pageQuery, type ListScope, type SearchScope } from "./query.server";
import { searchTerm } from "./search-term";

/**
 * A search matching at most this many companies filters the list on their ids (found through the
 * trigram index by lead_search_ids). A broader one (a common surname, "agro") matches at least one lead
 * in a thousand, so the page is found faster by reading the filtered leads in the sort's order and
 * keeping those whose company matches (broadSearchPage): about 20 / share rows for a page of 20.
 */
export const SEARCH_IDS_CAP = 1_000;
/** The broad search reads the ordered leads in batches, starting with this many and doubling. */
const BROAD_FIRST_BATCH = 500;
const BROAD_MAX_BATCH = 20_000;

export interface LeadListItem {
  leadId: string;
  journeyId: string;
  company: { name: string; cui: string | null; county: string | null; locality: string | null };
  state: LeadState;
  channel: string | null;
  assignedUser: { id: string; name: string } | null;
  phone: { id: string; label: string; number: string } | null;
  lastContactAt: Date | null;
  nextActionAt: Date | null;
  nextActionReason: string | null;
  /** journey.sentiment_score: the latest analysed reply's score (-100..100); 0 until one is analysed. */
  sentimentScore: number;
  replyCount: number;
  lastReply: { at: Date; channel: string; preview: string | null; sentiment: number | null; intent: string | null } | null;
  sequence: { id: string; name: string; step: number; steps: number } | null;
  needsReview: boolean;
  reviewPriority: string | null;
  optedOut: { whatsapp: boolean; email: boolean };
  humanControlled: boolean;
}

export interface LeadListPage {
  items: LeadListItem[];
  page: number;
  pageSize: number;
  total: ListTotal;
}

async function tenantTimeZone(tx: TenantTx, tenantId: string): Promise<string> {
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { timezone: true } });
  return tenant.timezone;
}

/** [from, to) instants of a range of calendar days in the tenant's zone (both days included). */
function dayRange(zone: string, from: string | undefined, to: string | undefined): { from: Date | null; to: Date | null } {
  const start = (day: string) => DateTime.fromISO(day, { zone }).startOf("day");
  return { from: from ? start(from).toJSDate() : null, to: to ? start(to).plus({ days: 1 }).toJSDate() : null };
}

async function searchScope(tx: TenantTx, search: string | undefined): Promise<SearchScope> {
  if (search === undefined) return null;
  const { fragment } = searchTerm(search);
  if (fragment.length < MIN_SEARCH_LENGTH) throw new DomainError("BAD_INPUT", "SEARCH_TOO_SHORT", `search needs at least ${MIN_SEARCH_LENGTH} characters`);
  const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT id::text FROM lead_search_ids(${fragment}, ${SEARCH_IDS_CAP + 1}) AS id`;
  return rows.length <= SEARCH_IDS_CAP ? { kind: "ids", ids: rows.map((r) => r.id) } : { kind: "pattern", fragment };
}

export interface ListLeadsInput {
  tenantId: string;
  userId: string;
  query: LeadListQuery;
}

/** The filtered set's scope (also what a bulk operation on "the whole filtered set" acts on). */
export async function listScope(tx: TenantTx, input: { tenantId: string; userId: string; filters: LeadListFilters }): Promise<ListScope> {
  const f = input.filters;
  const needsZone = f.lastContactFrom || f.lastContactTo || f.lastReplyFrom || f.lastReplyTo;
  const zone = needsZone ? await tenantTimeZone(tx, input.tenantId) : "UTC";
  return {
    tenantId: input.tenantId,
    userId: input.userId,
    filters: f,
    search: await searchScope(tx, f.search),
    lastContact: dayRange(zone, f.lastContactFrom, f.lastContactTo),
    lastReply: dayRange(zone, f.lastReplyFrom, f.lastReplyTo),
  };
}

export async function listLeads(tx: TenantTx, input: ListLeadsInput): Promise<LeadListPage> {
  const { query } = input;
  const offset = (query.page - 1) * query.pageSize;
  if (offset > MAX_LIST_OFFSET) throw new DomainError("BAD_INPUT", "PAGE_TOO_DEEP", `pages start at most ${MAX_LIST_OFFSET} rows in; narrow the filters`);
  const { sort: _s, dir: _d, page: _p, pageSize: _ps, ...filters } = query;
  const scope = await listScope(tx, { tenantId: input.tenantId, userId: input.userId, filters });
  if (scope.search?.kind === "pattern") {
    const { ids, total } = await broadSearchPage(tx, { ...scope, search: null }, scope.search.fragment, query, offset);
    return { items: await leadDetails(tx, ids), page: query.page, pageSize: query.pageSize, total };
  }
  const pageRows = await tx.$queryRaw<Array<{ id: string }>>(pageQuery(scope, query, query.pageSize, offset));
  const items = await leadDetails(tx, pageRows.map((r) => r.id));
  const total = await countLeads(tx, fromWhere(scope));
  return { items, page: query.page, pageSize: query.pageSize, total };
}

/**
 * A page of a broad search: the leads matching the other filters are read in the sort's order, a batch
 * at a time (doubling), and those whose company's search text contains the term are kept until the
 * page is full. The total is exact when every filtered lead was read, else estimated from the share of
 * matches among the leads read times the filtered set's total (labelled "≈").
 */
async function broadSearchPage(
  tx: TenantTx,
  base: ListScope,
  fragment: string,
  query: LeadListQuery,
  offset: number,
): Promise<{ ids: string[]; total: ListTotal }> {
  const wanted = offset + query.pageSize;
  const matched: string[] = [];
  let read = 0;
  let batch = BROAD_FIRST_BATCH;
  let exhausted = false;
  while (matched.length < wanted) {
    const rows = await tx.$queryRaw<Array<{ id: string }>>(pageQuery(base, query, batch, read));
    if (rows.length > 0) {
      const hits = await tx.$queryRaw<Array<{ id: string }>>`
        SELECT j.id::text AS id FROM gold_lead_journey j JOIN gold_companies c ON c.tenant_id = j.tenant_id AND c.id = j.lead_id
         WHERE j.id = ANY(${rows.map((r) => r.id)}::uuid[]) AND c.search_text LIKE lead_search_pattern(${fragment})`;
      const hit = new Set(hits.map((h) => h.id));
      for (const r of rows) if (hit.has(r.id)) matched.push(r.id);
    }
    read += rows.length;
    if (rows.length < batch) {
      exhausted = true;
      break;
    }
    batch = Math.min(batch * 2, BROAD_MAX_BATCH);
  }
  const ids = matched.slice(offset, wanted);
  if (exhausted) return { ids, total: { value: matched.length, precision: "exact" } };
  const filtered = await countLeads(tx, fromWhere(base));
  return { ids, total: { value: roundEstimate(Math.max(matched.length, Math.round((matched.length / read) * filtered.value))), precision: "estimate" } };
}

interface DetailRow {
  journey_id: string;
  lead_id: string;
  denumire: string;
  cui: string | null;
  judet: string | null;
  localitate: string | null;
  current_state: LeadState;
  last_channel_used: string | null;
  assigned_to_user: string | null;
  assigned_name: string | null;
  assigned_phone_id: string | null;
  phone_label: string | null;
  phone_number: string | null;
  last_contact_at: Date | null;
  next_action_at: Date | null;
  next_action_reason: string | null;
  sentiment_score: number;
  reply_count: number;
  requires_human_review: boolean;
  human_review_priority: string | null;
  whatsapp_opted_out: boolean;
  email_opted_out: boolean;
  is_human_controlled: boolean;
  current_sequence_id: string | null;
  sequence_name: string | null;
  sequence_step: number;
  sequence_steps: number | null;
  reply_at: Date | null;
  reply_channel: string | null;
  reply_preview: string | null;
  reply_sentiment: number | null;
  reply_intent: string | null;
}

/** The columns of the listed leads, in the order of `journeyIds`. */
export async function leadDetails(tx: TenantTx, journeyIds: readonly string[]): Promise<LeadListItem[]> {
  if (journeyIds.length === 0) return [];
  const rows = await tx.$queryRaw<DetailRow[]>`
    SELECT j.id::text AS journey_id, j.lead_id::text AS lead_id, c.denumire, c.cui, c.judet, c.localitate,
           j.current_state::text AS current_state, j.last_channel_used::text AS last_channel_used,
           j.assigned_to_user::text AS assigned_to_user, u.name AS assigned_name,
           j.assigned_phone_id::text AS assigned_phone_id, p.label AS phone_label, p.phone_number,
           j.last_contact_at, j.next_action_at, j.next_action_reason, j.sentiment_score, j.reply_count,
           j.requires_human_review, j.human_review_priority::text AS human_review_priority,
           j.whatsapp_opted_out, j.email_opted_out, j.is_human_controlled,
           j.current_sequence_id::text AS current_sequence_id, s.name AS sequence_name, j.sequence_step,
           (SELECT count(*)::int FROM outreach_sequence_steps st WHERE st.sequence_id = j.current_sequence_id) AS sequence_steps,
           r.created_at AS reply_at, r.channel::text AS reply_channel, r.content_preview AS reply_preview,
           r.sentiment_score AS reply_sentiment, r.intent AS reply_intent
      FROM gold_lead_journey j
      JOIN gold_companies c ON c.tenant_id = j.tenant_id AND c.id = j.lead_id
      LEFT JOIN users u ON u.tenant_id = j.tenant_id AND u.id = j.assigned_to_user
      LEFT JOIN wa_phone_numbers p ON p.tenant_id = j.tenant_id AND p.id = j.assigned_phone_id
      LEFT JOIN outreach_sequences s ON s.tenant_id = j.tenant_id AND s.id = j.current_sequence_id
      LEFT JOIN LATERAL (
        SELECT m.created_at, m.channel, m.content_preview, m.sentiment_score, m.intent
          FROM gold_communication_log m
         WHERE m.journey_id = j.id AND m.direction = 'INBOUND'
         ORDER BY m.created_at DESC
         LIMIT 1) r ON true
     WHERE j.id = ANY(${[...journeyIds]}::uuid[])`;
  const byId = new Map(rows.map((r) => [r.journey_id, r]));
  return journeyIds.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toItem(r)] : [];
  });
}

function toItem(r: DetailRow): LeadListItem {
  return {
    leadId: r.lead_id,
    journeyId: r.journey_id,
    company: { name: r.denumire, cui: r.cui, county: r.judet, locality: r.localitate },
    state: r.current_state,
    channel: r.last_channel_used,
    assignedUser: r.assigned_to_user ? { id: r.assigned_to_user, name: r.assigned_name ?? "" } : null,
    phone: r.assigned_phone_id ? { id: r.assigned_phone_id, label: r.phone_label ?? "", number: r.phone_number ?? "" } : null,
    lastContactAt: r.last_contact_at,
    nextActionAt: r.next_action_at,
    nextActionReason: r.next_action_reason,
    sentimentScore: r.sentiment_score,
    replyCount: r.reply_count,
    lastReply: r.reply_at
      ? { at: r.reply_at, channel: r.reply_channel ?? "", preview: r.reply_preview, sentiment: r.reply_sentiment, intent: r.reply_intent }
      : null,
    sequence: r.current_sequence_id ? { id: r.current_sequence_id, name: r.sequence_name ?? "", step: r.sequence_step, steps: r.sequence_steps ?? 0 } : null,
    needsReview: r.requires_human_review,
    reviewPriority: r.human_review_priority,
    optedOut: { whatsapp: r.whatsapp_opted_out, email: r.email_opted_out },
    humanControlled: r.is_human_controlled,
  };
}
