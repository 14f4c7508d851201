/**
 * The leads list's view in the page address: every filter, the search, the sort and the page, so a link
 * reproduces what its sender saw (the dashboard's cards link here the same way). Values that do not
 * parse are dropped, never an error: an old or hand-edited link still opens a list.
 *
 *   /outreach/leads?owner=all&state=WARM_REPLY,NEGOTIATION&county=Iași&q=popescu&sort=lastContact&dir=desc&page=2
 *
 * `owner` is "me" by default for a sales rep (their own leads) and "all" for everyone else.
 */
import type { Role } from "#server/auth/roles";
import { LEAD_STATES, type LeadState } from "#server/lead-state/transitions";
import { LIST_CHANNELS, LIST_SORTS, PAGE_SIZES, type LeadListFilters, type LeadListInput, type ListSort } from "#server/leads/list/filters";

export type TriState = "yes" | "no" | undefined;

export interface ListView {
  q: string;
  states: LeadState[];
  channel?: (typeof LIST_CHANNELS)[number];
  /** "me", "all", "none" or a user id. */
  owner: string;
  phone?: string;
  county?: string;
  sequence?: string;
  replied: TriState;
  review: TriState;
  optedOut: TriState;
  contactFrom?: string;
  contactTo?: string;
  replyFrom?: string;
  replyTo?: string;
  sort: ListSort;
  dir?: "asc" | "desc";
  page: number;
  size: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const defaultOwner = (role: Role | null | undefined) => (role === "SALES_REP" ? "me" : "all");

function tri(value: string | null): TriState {
  return value === "yes" || value === "no" ? value : undefined;
}

function day(value: string | null): string | undefined {
  return value && DAY.test(value) && !Number.isNaN(Date.parse(value)) ? value : undefined;
}

export function parseView(params: URLSearchParams, role: Role | null | undefined): ListView {
  const states = (params.get("state") ?? "")
    .split(",")
    .filter((s): s is LeadState => (LEAD_STATES as readonly string[]).includes(s));
  const channel = params.get("channel");
  const owner = params.get("owner") ?? defaultOwner(role);
  const sort = params.get("sort");
  const dir = params.get("dir");
  const page = Number(params.get("page"));
  const size = Number(params.get("size"));
  return {
    q: params.get("q") ?? "",
    states: [...new Set(states)],
    channel: (LIST_CHANNELS as readonly string[]).includes(channel ?? "") ? (channel as ListView["channel"]) : undefined,
    owner: owner === "me" || owner === "all" || owner === "none" || UUID.test(owner) ? owner : defaultOwner(role),
    phone: UUID.test(params.get("phone") ?? "") ? (params.get("phone") as string) : undefined,
    county: params.get("county") || undefined,
    sequence: UUID.test(params.get("sequence") ?? "") ? (params.get("sequence") as string) : undefined,
    replied: tri(params.get("replied")),
    review: tri(params.get("review")),
    optedOut: tri(params.get("optout")),
    contactFrom: day(params.get("contactFrom")),
    contactTo: day(params.get("contactTo")),
    replyFrom: day(params.get("replyFrom")),
    replyTo: day(params.get("replyTo")),
    sort: sort && sort in LIST_SORTS ? (sort as ListSort) : "nextAction",
    dir: dir === "asc" || dir === "desc" ? dir : undefined,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : PAGE_SIZES[0],
  };
}

/** The address of a view; defaults are left out so links stay short. */
export function viewParams(view: ListView, role: Role | null | undefined): URLSearchParams {
  const p = new URLSearchParams();
  if (view.q) p.set("q", view.q);
  if (view.states.length) p.set("state", view.states.join(","));
  if (view.channel) p.set("channel", view.channel);
  if (view.owner !== defaultOwner(role)) p.set("owner", view.owner);
  if (view.phone) p.set("phone", view.phone);
  if (view.county) p.set("county", view.county);
  if (view.sequence) p.set("sequence", view.sequence);
  if (view.replied) p.set("replied", view.replied);
  if (view.review) p.set("review", view.review);
  if (view.optedOut) p.set("optout", view.optedOut);
  if (view.contactFrom) p.set("contactFrom", view.contactFrom);
  if (view.contactTo) p.set("contactTo", view.contactTo);
  if (view.replyFrom) p.set("replyFrom", view.replyFrom);
  if (view.replyTo) p.set("replyTo", view.replyTo);
  if (view.sort !== "nextAction") p.set("sort", view.sort);
  if (view.dir) p.set("dir", view.dir);
  if (view.page > 1) p.set("page", String(view.page));
  if (view.size !== PAGE_SIZES[0]) p.set("size", String(view.size));
  return p;
}

const triBool = (v: TriState) => (v === undefined ? undefined : v === "yes");

/** The filters of a view, as leads.list (and a bulk action on the filtered set) takes them. */
export function viewFilters(view: ListView): Omit<LeadListInput, "sort" | "dir" | "page" | "pageSize"> {
  const search = view.q.trim();
  return {
    ...(view.states.length ? { states: view.states } : {}),
    ...(view.channel ? { channel: view.channel } : {}),
    ...(view.owner !== "all" ? { assigned: view.owner } : {}),
    ...(view.phone ? { phoneId: view.phone } : {}),
    ...(view.county ? { county: view.county } : {}),
    ...(view.sequence ? { sequenceId: view.sequence } : {}),
    ...(view.replied ? { replied: triBool(view.replied) } : {}),
    ...(view.review ? { needsReview: triBool(view.review) } : {}),
    ...(view.optedOut ? { optedOut: triBool(view.optedOut) } : {}),
    ...(view.contactFrom ? { lastContactFrom: view.contactFrom } : {}),
    ...(view.contactTo ? { lastContactTo: view.contactTo } : {}),
    ...(view.replyFrom ? { lastReplyFrom: view.replyFrom } : {}),
    ...(view.replyTo ? { lastReplyTo: view.replyTo } : {}),
    // Under three characters the search waits (the page says so) rather than matching everything.
    ...(search.length >= 3 ? { search } : {}),
  };
}

const boolTri = (v: boolean | undefined): TriState => (v === undefined ? undefined : v ? "yes" : "no");

/**
 * The view that shows saved filters (viewFilters' inverse), keeping the current sort and page size:
 * opening a saved view on the list. Everyone's leads when the filters name no owner.
 */
export function viewFromFilters(filters: LeadListFilters, current: Pick<ListView, "sort" | "dir" | "size">): ListView {
  return {
    q: filters.search ?? "",
    states: filters.states ?? [],
    channel: filters.channel,
    owner: filters.assigned ?? "all",
    phone: filters.phoneId,
    county: filters.county,
    sequence: filters.sequenceId,
    replied: boolTri(filters.replied),
    review: boolTri(filters.needsReview),
    optedOut: boolTri(filters.optedOut),
    contactFrom: filters.lastContactFrom,
    contactTo: filters.lastContactTo,
    replyFrom: filters.lastReplyFrom,
    replyTo: filters.lastReplyTo,
    sort: current.sort,
    dir: current.dir,
    page: 1,
    size: current.size,
  };
}

export function viewInput(view: ListView): LeadListInput {
  return { ...viewFilters(view), sort: view.sort, ...(view.dir ? { dir: view.dir } : {}), page: view.page, pageSize: view.size };
}

/** How many filters narrow the view (owner counts when it is not the role's default). */
export function activeFilterCount(view: ListView, role: Role | null | undefined): number {
  return [
    view.q.trim().length >= 3,
    view.states.length > 0,
    view.channel,
    view.owner !== defaultOwner(role),
    view.phone,
    view.county,
    view.sequence,
    view.replied,
    view.review,
    view.optedOut,
    view.contactFrom || view.contactTo,
    view.replyFrom || view.replyTo,
  ].filter(Boolean).length;
}

/** A view without filters or search, keeping sort and page size (the "clear filters" link). */
export function clearedView(view: ListView, role: Role | null | undefined): ListView {
  return { ...parseView(new URLSearchParams(), role), sort: view.sort, dir: view.dir, size: view.size };
}

/** The dashboard's links into the list (app/routes/outreach.dashboard.tsx). */
export function leadsHref(params: Record<string, string>): string {
  const search = new URLSearchParams(params).toString();
  return search ? `/outreach/leads?${search}` : "/outreach/leads";
}
