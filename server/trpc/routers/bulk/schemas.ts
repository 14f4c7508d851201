/** Input and output schemas of the bulk-operation procedures (one file per procedure beside this one). */
import { z } from "zod";
import { BulkOperationKind, BulkOperationStatus } from "../../../generated/prisma/enums";
import { bulkParams, bulkTarget } from "../../../leads/bulk/actions";

export const previewInput = z.object({ target: bulkTarget });
export const previewOutput = z.object({ count: z.number().int().min(0), overCap: z.boolean(), max: z.number().int() });

export const startInput = z.object({ params: bulkParams, target: bulkTarget, expectedCount: z.number().int().min(1) });
export const startOutput = z.object({ operationId: z.uuid(), total: z.number().int() });

export const operationOutput = z.object({
  id: z.uuid(),
  kind: z.enum(BulkOperationKind),
  status: z.enum(BulkOperationStatus),
  total: z.number().int(),
  processed: z.number().int(),
  result: z.record(z.string(), z.number().int()).nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
});
