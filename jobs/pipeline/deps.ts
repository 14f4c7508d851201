/**
 * What the pipeline jobs run with: the process-wide quota guardian, the TimelinesAI client from the
 * provider factory (live or simulator by configuration), the real sequences/templates/lead-state
 * domains and the system clock. Built on first use; tests and the benchmark replace parts with
 * `configurePipelineDeps` (an injected clock, a guardian on their own Redis database).
 */
import { pipelinePorts } from "../../server/pipeline/adapters.server";
import type { DispatchOptions } from "../../server/pipeline/dispatch.server";
import type { PipelinePorts } from "../../server/pipeline/ports";
import type { EmailSendDeps } from "../../server/pipeline/email-send.server";
import type { TimelinesPort } from "../../server/pipeline/whatsapp-send.server";
import { createProviderClients } from "../../server/providers/factory.server";
import { getQuotaGuardian } from "../../server/quota/index.server";
import type { QuotaGuardian } from "../../server/quota/guardian.server";
import { systemClock, type Clock } from "../../server/quota/window";
import { getRedis } from "../../server/redis.server";

export interface PipelineDeps {
  guardian: QuotaGuardian;
  timelinesai: TimelinesPort;
  instantly: EmailSendDeps["instantly"];
  resend: EmailSendDeps["resend"];
  ports: PipelinePorts;
  clock: Clock;
  dispatchOptions?: Partial<DispatchOptions>;
  afterProviderAccepted?: (messageUid: string) => Promise<void> | void;
}

let overrides: Partial<PipelineDeps> = {};
let built: PipelineDeps | undefined;

export function pipelineDeps(): PipelineDeps {
  if (!built) {
    const o = overrides;
    const clients = o.timelinesai && o.instantly && o.resend ? undefined : createProviderClients({ redis: getRedis() });
    built = {
      guardian: o.guardian ?? getQuotaGuardian(),
      timelinesai: o.timelinesai ?? clients!.timelinesai,
      instantly: o.instantly ?? clients!.instantly,
      resend: o.resend ?? clients!.resend,
      ports: o.ports ?? pipelinePorts,
      clock: o.clock ?? systemClock,
      ...(o.dispatchOptions ? { dispatchOptions: o.dispatchOptions } : {}),
      ...(o.afterProviderAccepted ? { afterProviderAccepted: o.afterProviderAccepted } : {}),
    };
  }
  return built;
}

export function configurePipelineDeps(next: Partial<PipelineDeps>): void {
  overrides = next;
  built = undefined;
}
