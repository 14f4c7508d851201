/** Input and output schemas of the do-not-contact list's procedures. */
import { z } from "zod";
import { DncType } from "../../../generated/prisma/enums";
import { MAX_IMPORT_ROWS } from "../../../dnc/limits";

export const dncType = z.enum(DncType);

export const dncEntry = z.object({
  id: z.uuid(),
  type: dncType,
  value: z.string().nullable(),
  hashed: z.boolean(),
  reason: z.string().nullable(),
  source: z.string().nullable(),
  createdBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  createdAt: z.date(),
});

export const listInput = z.object({
  search: z.string().trim().max(200).optional(),
  type: dncType.optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
});

export const addInput = z.object({ type: dncType, value: z.string().trim().min(1).max(320), reason: z.string().trim().max(500).optional() });

export const importInput = z.object({
  fileName: z.string().trim().min(1).max(255),
  rows: z.array(z.object({ type: dncType, value: z.string().max(320), reason: z.string().max(500).nullable().optional() })).min(1).max(MAX_IMPORT_ROWS),
});

export const importOutput = z.object({
  added: z.number().int(),
  duplicates: z.number().int(),
  invalid: z.array(z.object({ row: z.number().int(), type: dncType, value: z.string() })),
});
