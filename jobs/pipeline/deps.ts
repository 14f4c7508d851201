/**
 * What the pipeline jobs run with: the process-wide quota guardian, the TimelinesAI client from the
 * provider factory (live or simulator by configuration), the real sequences/templates/lead-state
 * domains and the system clock. Built on first use; tests and the benchmark replace parts with
 * `configurePipelineDeps` (an injected clock or time source, a guardian on their own Redis database).
 */
import { pipelinePorts } from "../../server/pipeline/adapters.server";
import type { DispatchOptions } from "../../server/pipeline/dispatch/dispatch.server";
import type { PipelinePorts } from "../../server/pipeline/ports";
import type { EmailSendDeps } from "../../server/pipeline/send/email-send.server";
import type { TimelinesPort } from "../../server/pipeline/send/whatsapp-send.server";
import { createProviderClients } from "../../server/providers/factory.server";
import { getQuotaGuardian } from "../../server/quota/index.server";
import type { QuotaGuardian } from "../../server/quota/guardian.server";
import { systemTime, type Clock, type TimeSource } from "../../server/clock";
import { getRedis } from "../../server/redis.server";
import type { LeaseTimes } from "../../server/pipeline/rules/lease";

export interface PipelineDeps {
  guardian: QuotaGuardian;
  timelinesai: TimelinesPort;
  instantly: EmailSendDeps["instantly"];
  resend: EmailSendDeps["resend"];
  ports: PipelinePorts;
  /** Always `time.now`: what the send and dispatch code read. */
  clock: Clock;
  /** The clock and how its instants map to pg-boss's startAfter (identity for the system clock). */
  time: TimeSource;
  dispatchOptions?: Partial<DispatchOptions>;
  afterProviderAccepted?: (messageUid: string) => Promise<void> | void;
  /** The WhatsApp send attempts' lease times (server/pipeline/rules/lease.ts); the default fits the client's 30 s timeout. */
  lease?: LeaseTimes;
}

/**
 * Either a time source, or a bare clock whose instants go to pg-boss as they are (the shifted clocks
 * of the older tests); never both, so `clock` and `time.now` cannot disagree.
 */
export type PipelineOverrides = Partial<Omit<PipelineDeps, "clock" | "time">> & ({ time?: TimeSource; clock?: never } | { clock?: Clock; time?: never });

let overrides: PipelineOverrides = {};
let built: PipelineDeps | undefined;

export function pipelineDeps(): PipelineDeps {
  if (!built) {
    const o = overrides;
    const clients = o.timelinesai && o.instantly && o.resend ? undefined : createProviderClients({ redis: getRedis() });
    const time: TimeSource = o.time ?? (o.clock ? { now: o.clock, realInstant: systemTime.realInstant } : systemTime);
    built = {
      guardian: o.guardian ?? getQuotaGuardian(),
      timelinesai: o.timelinesai ?? clients!.timelinesai,
      instantly: o.instantly ?? clients!.instantly,
      resend: o.resend ?? clients!.resend,
      ports: o.ports ?? pipelinePorts,
      clock: time.now,
      time,
      ...(o.dispatchOptions ? { dispatchOptions: o.dispatchOptions } : {}),
      ...(o.afterProviderAccepted ? { afterProviderAccepted: o.afterProviderAccepted } : {}),
      ...(o.lease ? { lease: o.lease } : {}),
    };
  }
  return built;
}

export function configurePipelineDeps(next: PipelineOverrides): void {
  overrides = next;
  built = undefined;
}
