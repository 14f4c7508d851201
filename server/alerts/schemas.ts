/** What the alerts procedures answer (isomorphic: the UI types come from here through the router). */
import { z } from "zod";
import { ALERT_SEVERITIES, ALERT_STATUSES } from "./catalog";

export const alertView = z.object({
  id: z.uuid(),
  type: z.string(),
  severity: z.enum(ALERT_SEVERITIES),
  status: z.enum(ALERT_STATUSES),
  title: z.string(),
  message: z.string(),
  phoneId: z.uuid().nullable(),
  occurrences: z.number().int(),
  createdAt: z.date(),
  lastSeenAt: z.date(),
  /** Runbook §7.1: respond by this time (createdAt + the type's response time). */
  respondBy: z.date(),
  responseMinutes: z.number().int(),
  runbook: z.string(),
  acknowledgedAt: z.date().nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: z.date().nullable(),
  resolvedBy: z.string().nullable(),
  resolutionNote: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
});
export type AlertView = z.output<typeof alertView>;

export const alertListInput = z.object({
  /** OPEN = not resolved (acknowledged or not); RESOLVED = history. */
  status: z.enum(["OPEN", "RESOLVED", "ALL"]).default("OPEN"),
  severity: z.enum(ALERT_SEVERITIES).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  /** Id of the last alert of the previous page. */
  cursor: z.uuid().optional(),
});

export const alertListOutput = z.object({ items: z.array(alertView), nextCursor: z.uuid().nullable() });

export const alertCountsOutput = z.object({
  /** Not resolved. */
  open: z.number().int(),
  /** Not resolved and nobody has acknowledged them yet: what the bell counts. */
  unacknowledged: z.number().int(),
  bySeverity: z.object({ LOW: z.number().int(), MEDIUM: z.number().int(), HIGH: z.number().int(), CRITICAL: z.number().int() }),
  /** The most severe unacknowledged alert, for the bell's colour. */
  worst: z.enum(ALERT_SEVERITIES).nullable(),
});
export type AlertCounts = z.output<typeof alertCountsOutput>;

export const alertActionInput = z.object({ alertId: z.uuid(), note: z.string().trim().max(500).optional() });
export const alertActionOutput = z.object({ alertId: z.uuid(), status: z.enum(ALERT_STATUSES), changed: z.boolean() });
