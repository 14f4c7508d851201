import { z } from "zod";
import { listSequences } from "../../../sequences/sequences.server";
import { sequenceFigures } from "../../../sequences/overview.server";
import { repProcedure } from "../../init.server";
import { sequenceCard } from "./schemas";

/** The sequence cards: the list with each sequence's enrollment counts and per-step reply rates. */
export const overviewProcedure = repProcedure
  .input(z.object({ includeArchived: z.boolean().default(false) }).default({ includeArchived: false }))
  .output(z.array(sequenceCard))
  .query(({ ctx, input }) =>
    ctx.db(async (tx) => {
      const list = await listSequences(tx, input);
      const figures = await sequenceFigures(tx, list.map((s) => s.id));
      return list.map((s) => {
        const f = figures.get(s.id);
        return {
          ...s,
          figures: {
            enrolled: f?.enrolled ?? 0,
            active: f?.active ?? 0,
            paused: f?.paused ?? 0,
            completed: f?.completed ?? 0,
            stopped: f?.stopped ?? 0,
            replied: f?.replied ?? 0,
            converted: f?.converted ?? 0,
          },
          stepFigures: f?.steps ?? [],
        };
      });
    }),
  );
