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

const HOUR_MS = 3600_000;
/** Bucharest's UTC offset (minutes) per UTC hour: its clock changes only on the hour (01:00 UTC). */
const offsetByHour = new Map<number, number>();
function bucharestOffsetMinutes(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    // luxon's zone lookup costs an Intl formatToParts per call: a fifth of the simulator's CPU per
    // send when it ran for every timestamp (issue #14's bench profile).
    offset = DateTime.fromMillis(hour * HOUR_MS, { zone: "Europe/Bucharest" }).offset;
    if (offsetByHour.size >= 10_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/** TimelinesAI's timestamp style, "2024-01-08 10:35:18 +0200", in the workspace's (Romanian) zone. */
export function timelinesAt(ms: number): string {
  const offset = bucharestOffsetMinutes(ms);
  const local = new Date(ms + offset * 60_000).toISOString();
  const abs = Math.abs(offset);
  const zone = `${offset < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
  return `${local.slice(0, 10)} ${local.slice(11, 19)} ${zone}`;
}

export const between = (rng: Rng, range: { min: number; max: number }): number => rng.int(Math.round(range.min), Math.round(range.max));
