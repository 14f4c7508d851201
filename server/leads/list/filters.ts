/**
 * What the leads list can be asked (issue 10, seeds F2.18): filters, search, sort and page, as one zod
 * schema shared by the procedure (server/trpc/routers/leads/list.server.ts) and the page, which keeps
 * the same values in the URL (app/components/leads/list-params.ts). Isomorphic: no server imports.
 */
import { z } from "zod";
import { LEAD_STATES } from "../../lead-state/transitions";

/** Channels a lead can have been contacted on last (journey.last_channel_used). */
export const LIST_CHANNELS = ["WHATSAPP", "EMAIL_COLD", "EMAIL_WARM", "PHONE", "MANUAL"] as const;

/** Sort keys, each with the direction it has when first chosen (the page toggles it). */
export const LIST_SORTS = {
  nextAction: "asc",
  lastContact: "desc",
  name: "asc",
  sentiment: "desc",
} as const satisfies Record<string, "asc" | "desc">;
export type ListSort = keyof typeof LIST_SORTS;
export const LIST_SORT_KEYS = Object.keys(LIST_SORTS) as [ListSort, ...ListSort[]];

export const PAGE_SIZES = [20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/**
 * Offset pagination reads every row before the page; past this many rows the list asks for narrower
 * filters instead of making the database walk a million rows for a page nobody reads.
 */
export const MAX_LIST_OFFSET = 100_000;

/** A search shorter than this finds nothing through the trigram index (three letters make a trigram). */
export const MIN_SEARCH_LENGTH = 3;

const day = z.iso.date();

export const leadListFilters = z.object({
  states: z.array(z.enum(LEAD_STATES)).max(LEAD_STATES.length).optional(),
  channel: z.enum(LIST_CHANNELS).optional(),
  /** "me" = the caller (a rep's default view), "none" = unassigned, or a user id. Absent = everyone's. */
  assigned: z.union([z.literal("me"), z.literal("none"), z.uuid()]).optional(),
  phoneId: z.uuid().optional(),
  county: z.string().trim().min(1).max(100).optional(),
  sequenceId: z.uuid().optional(),
  replied: z.boolean().optional(),
  needsReview: z.boolean().optional(),
  optedOut: z.boolean().optional(),
  /** Calendar days in the tenant's time zone, both ends included. */
  lastContactFrom: day.optional(),
  lastContactTo: day.optional(),
  lastReplyFrom: day.optional(),
  lastReplyTo: day.optional(),
  /** Company name, CUI, phone or e-mail; case and diacritics do not matter. */
  search: z.string().trim().min(MIN_SEARCH_LENGTH).max(100).optional(),
});
export type LeadListFilters = z.infer<typeof leadListFilters>;

export const leadListInput = leadListFilters.extend({
  sort: z.enum(LIST_SORT_KEYS).default("nextAction"),
  dir: z.enum(["asc", "desc"]).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});
export type LeadListInput = z.input<typeof leadListInput>;
export type LeadListQuery = z.output<typeof leadListInput>;

/** The direction a query runs in: the one asked for, else the sort key's own. */
export function sortDirection(query: Pick<LeadListQuery, "sort" | "dir">): "asc" | "desc" {
  return query.dir ?? LIST_SORTS[query.sort];
}

/** True when no filter narrows the list (the count is then the tenant's whole lead count). */
export function hasFilters(filters: LeadListFilters): boolean {
  return Object.values(filters).some((v) => v !== undefined && !(Array.isArray(v) && v.length === 0));
}
