import { listEnrollments } from "../../../sequences/sequences.server";
import { repProcedure } from "../../init.server";
import { enrollmentsInput, enrollmentsOutput } from "./schemas";
import { rest } from "../../rest";

export const enrollmentsProcedure = repProcedure
  .meta(rest("GET", "/enrollments", "Enrollments by sequence, lead or status, paged"))
  .input(enrollmentsInput)
  .output(enrollmentsOutput)
  .query(({ ctx, input }) =>
    ctx.db(async (tx) => {
      const rows = await listEnrollments(tx, input);
      const more = rows.length > input.limit;
      const page = more ? rows.slice(0, input.limit) : rows;
      return { items: page.map(({ lead, ...e }) => ({ ...e, leadName: lead.denumire })), nextCursor: more ? (page[page.length - 1]?.id ?? null) : null };
    }),
  );
