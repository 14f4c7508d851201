/**
 * What the simulated business day's test and its worker processes say to each other over the fork
 * IPC channel, parsed on arrival. The test moves the clock (stepped-clock.ts: each worker confirms the
 * new instant before pg-boss sees it) and then wakes the workers' fetch loops; a worker reports that
 * it is ready, every quota decision its send path asked for (with the simulated instants just before
 * and after the check, so the decision lies between them) and every wa.send job it handled.
 */
import { z } from "zod";

export const toWorker = z.discriminatedUnion("type", [
  /** The simulated instant from now on; answered with "clock-set". */
  z.object({ type: z.literal("clock"), now: z.number().int() }),
  /** Jobs may have become due: fetch now instead of waiting out the polling interval. */
  z.object({ type: z.literal("wake") }),
]);
export type ToWorker = z.infer<typeof toWorker>;

export const quotaDecisionReport = z.object({
  type: z.literal("decision"),
  phoneId: z.string(),
  cost: z.union([z.literal(0), z.literal(1)]),
  allowed: z.boolean(),
  reason: z.string().nullable(),
  used: z.number().int(),
  usageDate: z.string(),
  /** Simulated epoch ms read just before and just after the check. */
  before: z.number().int(),
  after: z.number().int(),
});
export type QuotaDecisionReport = z.infer<typeof quotaDecisionReport>;

export const handledReport = z.object({
  type: z.literal("handled"),
  phoneId: z.string(),
  /** The send it is about: journey and sequence step. */
  send: z.string(),
  /** WaSendResult kind, and its code for RESCHEDULE/DONE. */
  kind: z.string(),
  code: z.string().nullable(),
  /** Simulated epoch ms the handler started at. */
  startedAt: z.number().int(),
  /** RESCHEDULE: the simulated instant the job was deferred to. */
  startAfter: z.number().int().nullable(),
  /** Real ms the handler took. */
  realMs: z.number(),
  /** Real epoch ms (shared by every process of the machine) the handler started and ended at. */
  realStart: z.number(),
  realEnd: z.number(),
});
export type HandledReport = z.infer<typeof handledReport>;

export const fromWorker = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready"), pid: z.number().int() }),
  z.object({ type: z.literal("clock-set"), now: z.number().int() }),
  quotaDecisionReport,
  handledReport,
  /** On the way out: CPU the process used, for the run's summary. */
  z.object({ type: z.literal("stopped"), cpuMs: z.number() }),
]);
export type FromWorker = z.infer<typeof fromWorker>;
