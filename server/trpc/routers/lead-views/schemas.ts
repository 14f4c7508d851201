/** Input and output schemas of the saved-view procedures (one file per procedure beside this one). */
import { z } from "zod";
import { leadListFilters } from "../../../leads/list/filters";

export const viewOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  shared: z.boolean(),
  filters: leadListFilters.nullable(),
  owner: z.object({ id: z.uuid(), name: z.string() }),
  mine: z.boolean(),
  canEdit: z.boolean(),
  updatedAt: z.date(),
});

export const viewIdInput = z.object({ viewId: z.uuid() });
