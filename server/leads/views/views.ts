/**
 * Saved views of the leads list (issue 11): a named filter set a rep or manager keeps, for themselves
 * or shared with the whole organisation, opened on the list and used to enroll leads into a sequence
 * (through the list's bulk enroll). The filters are the list's own schema (filters.ts), the one its
 * address parses, so a view opens exactly what was saved. Isomorphic: the page validates names with
 * the same rules.
 *
 * "assigned: me" stays "me": a shared "Lead-urile mele" view shows each person their own leads.
 */
import { z } from "zod";
import { leadListFilters, type LeadListFilters } from "../list/filters";

export const MAX_VIEW_NAME = 80;
/** Views one person may own; the list of views stays a short menu. */
export const MAX_VIEWS_PER_OWNER = 50;

export const viewName = z.string().trim().min(1).max(MAX_VIEW_NAME);

export const createViewInput = z.object({ name: viewName, filters: leadListFilters, shared: z.boolean().default(false) });
export type CreateViewInput = z.output<typeof createViewInput>;

/** Rename, share or stop sharing, or save the list's current filters into the view. */
export const updateViewInput = z
  .object({ viewId: z.uuid(), name: viewName.optional(), shared: z.boolean().optional(), filters: leadListFilters.optional() })
  .refine((v) => v.name !== undefined || v.shared !== undefined || v.filters !== undefined, { message: "NOTHING_TO_CHANGE" });
export type UpdateViewInput = z.output<typeof updateViewInput>;

export interface LeadListViewData {
  id: string;
  name: string;
  shared: boolean;
  /** The saved filters, or null when they no longer parse (the list's schema changed since): not usable. */
  filters: LeadListFilters | null;
  owner: { id: string; name: string };
  /** The caller saved it. */
  mine: boolean;
  /** The caller owns it (or is an admin): may rename, share and delete it. */
  canEdit: boolean;
  updatedAt: Date;
}

/** Stored JSON → filters, or null if they do not parse any more (never silently "all leads"). */
export function parseSavedFilters(raw: unknown): LeadListFilters | null {
  const parsed = leadListFilters.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
