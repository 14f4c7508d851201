import { DateTime } from "luxon";
import type { SimClock } from "./clock";
import type { SimProvider } from "./faults";
import type { Reply, SimRequest } from "./http";
import type { SimLogs } from "./logs";
import type { Rng } from "./rng";
import type { Scenario } from "./scenario";
import type { WebhookDispatcher } from "./webhooks";

/** What every provider simulator gets from the launcher: shared time, logs and webhook sender, its own RNG. */
export interface SimContext {
  clock: SimClock;
  rng: Rng;
  scenario: () => Scenario;
  webhooks: WebhookDispatcher;
  logs: SimLogs;
}

export interface ProviderSimulator {
  readonly name: SimProvider;
  /** The provider's API (auth, validation, state). `req.path` is relative to the provider's base URL. */
  handle(req: SimRequest): Promise<Reply>;
  /** An error in the provider's own envelope, used for injected faults and unknown paths. */
  errorReply(status: number, message: string): Reply;
  /** Test controls outside the real API, under /__control/<provider>/…; undefined = no such control. */
  control(req: SimRequest): Promise<Reply | undefined>;
  /** A JSON summary for GET /__control/state. */
  snapshot(): unknown;
}

export const isoAt = (ms: number): string => new Date(ms).toISOString();

/** TimelinesAI's timestamp style, "2024-01-08 10:35:18 +0200", in the workspace's (Romanian) zone. */
export const timelinesAt = (ms: number): string =>
  DateTime.fromMillis(ms, { zone: "Europe/Bucharest" }).toFormat("yyyy-MM-dd HH:mm:ss ZZZ");

export const between = (rng: Rng, range: { min: number; max: number }): number => rng.int(Math.round(range.min), Math.round(range.max));
