/** Add, remove and import entries (audited in server/dnc/dnc.server.ts). */
import { z } from "zod";
import { addDoNotContact, importDoNotContact, removeDoNotContact } from "../../../dnc/dnc.server";
import { managerProcedure } from "../../init.server";
import { addInput, importInput, importOutput } from "./schemas";

export const addDncProcedure = managerProcedure
  .input(addInput)
  .output(z.object({ id: z.uuid(), created: z.boolean(), value: z.string() }))
  .mutation(({ ctx, input }) =>
    ctx.db((tx) => addDoNotContact(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, type: input.type, value: input.value, reason: input.reason ?? null, source: "manual", now: ctx.clock() })),
  );

export const removeDncProcedure = managerProcedure
  .input(z.object({ id: z.uuid(), reason: z.string().trim().min(1).max(500) }))
  .output(z.object({ removed: z.literal(true) }))
  .mutation(({ ctx, input }) => ctx.db((tx) => removeDoNotContact(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, id: input.id, reason: input.reason })));

export const importDncProcedure = managerProcedure
  .input(importInput)
  .output(importOutput)
  .mutation(({ ctx, input }) =>
    ctx.db((tx) => importDoNotContact(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, rows: input.rows, fileName: input.fileName, now: ctx.clock() }), { timeoutMs: 60_000 }),
  );
