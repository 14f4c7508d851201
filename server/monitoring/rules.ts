/**
 * The monitors' decisions as pure functions: when a provider counts as down and how long to wait
 * before probing it again, when a bounce rate is too high, when the phone pool ran out too early, when
 * the dead-letter queue overflows. The monitors (server/monitoring/*.server.ts) gather the figures and
 * act; everything that decides is here and unit-tested.
 */

// ─── Provider down (runbook §7.1 timelinesai:down) ────────────────────────────────────────────

/** Consecutive failed probes before the provider counts as down and the alert is raised. */
export const PROVIDER_DOWN_AFTER_FAILURES = 3;
const PROBE_BACKOFF_BASE_MS = 60_000;
const PROBE_BACKOFF_MAX_MS = 15 * 60_000;

export type ProviderState = "UP" | "DEGRADED" | "DOWN";

export function providerState(consecutiveFailures: number): ProviderState {
  if (consecutiveFailures <= 0) return "UP";
  return consecutiveFailures >= PROVIDER_DOWN_AFTER_FAILURES ? "DOWN" : "DEGRADED";
}

/**
 * How long to wait before the next probe after `consecutiveFailures` failures in a row: nothing while
 * healthy, then 1, 2, 4, 8 minutes, capped at 15. An outage of hours costs a probe every 15 minutes,
 * not one a minute, and the alert is raised once (deduplicated) however long it lasts.
 */
export function probeBackoffMs(consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) return 0;
  return Math.min(PROBE_BACKOFF_MAX_MS, PROBE_BACKOFF_BASE_MS * 2 ** (consecutiveFailures - 1));
}

// ─── Bounce rate (seeds: bounce threshold 3 %, runbook §4.1) ──────────────────────────────────

/**
 * Fewer sends than this say nothing about a list (1 bounce in 10 sends is 10 %); below it the rate is
 * shown but never pauses a campaign.
 */
export const BOUNCE_MIN_SAMPLE = 20;

export interface BounceVerdict {
  rate: number;
  enoughData: boolean;
  /** Over the threshold with enough data: pause and alert. */
  over: boolean;
}

export function bounceVerdict(figures: { sent: number; bounced: number }, threshold: number, minSample = BOUNCE_MIN_SAMPLE): BounceVerdict {
  const rate = figures.sent > 0 ? figures.bounced / figures.sent : 0;
  const enoughData = figures.sent >= minSample;
  return { rate, enoughData, over: enoughData && rate > threshold };
}

// ─── Quota exhausted early (runbook §3.1) ─────────────────────────────────────────────────────

/** Local hour from which running out of new contacts is the normal end of a busy day. */
export const AFTERNOON_HOUR = 12;

export interface PoolUsage {
  /** Phones that may send now (ACTIVE and enabled). */
  sendable: number;
  /** Of those, phones whose new-contact count reached their limit. */
  exhausted: number;
}

/**
 * The pool ran out before the afternoon: every phone that may send has used its whole day, and it is
 * still morning on a sending day. A pool with no sendable phone at all is the phone alerts' business.
 */
export function quotaExhaustedEarly(pool: PoolUsage, local: { hour: number; sendingDay: boolean }): boolean {
  return local.sendingDay && local.hour < AFTERNOON_HOUR && pool.sendable > 0 && pool.exhausted >= pool.sendable;
}

// ─── Dead letters (seeds: workers overview §6.2 DLQ_CONFIG.alertThreshold) ────────────────────

export const DLQ_ALERT_THRESHOLD = 100;

export function dlqOverflow(count: number, threshold = DLQ_ALERT_THRESHOLD): boolean {
  return count > threshold;
}

// ─── Dispatch stalled (pipeline health) ───────────────────────────────────────────────────────

/** Dispatch runs every 5 minutes; three missed slots while the window is open means it is not running. */
export const DISPATCH_STALE_MS = 15 * 60_000;

export function dispatchStalled(lastRunAt: Date | null, now: Date, windowOpen: boolean): boolean {
  if (!windowOpen) return false;
  return lastRunAt === null || now.getTime() - lastRunAt.getTime() > DISPATCH_STALE_MS;
}

/** Formats a fraction as the UI and alert texts show it: 0.0312 → "3,12 %". */
export function percent(rate: number): string {
  return `${(rate * 100).toFixed(2).replace(".", ",")} %`;
}
