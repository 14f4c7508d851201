/** Input and output schemas of the CSV import procedures (one file per procedure beside this one). */
import { z } from "zod";
import { CSV_DELIMITERS } from "../../../leads/import/csv";
import { IMPORT_FIELDS, importMapping, MAX_IMPORT_CHARS } from "../../../leads/import/fields";
import { IMPORT_ISSUES } from "../../../leads/import/validate";

export const delimiter = z.enum(CSV_DELIMITERS);

export const uploadInput = z.object({
  fileName: z.string().trim().min(1).max(255),
  content: z.string().min(1).max(MAX_IMPORT_CHARS),
});

const mappingOutput = z.partialRecord(z.enum(IMPORT_FIELDS), z.number().int());

export const uploadOutput = z.object({
  importId: z.uuid(),
  fileName: z.string(),
  delimiter,
  headers: z.array(z.string()),
  sample: z.array(z.array(z.string())),
  rowCount: z.number().int(),
  suggested: mappingOutput,
});

export const validateInput = z.object({ importId: z.uuid(), mapping: importMapping, delimiter: delimiter.optional() });

export const reportOutput = z.object({
  rows: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  ragged: z.number().int(),
  counts: z.record(z.enum(IMPORT_ISSUES), z.number().int()),
  issues: z.array(
    z.object({
      row: z.number().int(),
      field: z.enum(IMPORT_FIELDS),
      code: z.enum(IMPORT_ISSUES),
      value: z.string(),
      firstRow: z.number().int().optional(),
    }),
  ),
});

export const startInput = z.object({ importId: z.uuid() });
export const startOutput = z.object({ operationId: z.uuid(), total: z.number().int() });
