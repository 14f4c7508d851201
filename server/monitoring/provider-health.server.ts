/**
 * Provider health (runbook §7.1 `timelinesai:down`, CRITICAL, immediate): every monitor call to the
 * provider goes through `probeProvider`, which counts consecutive failures, backs off between probes
 * (rules.ts probeBackoffMs: 1, 2, 4, 8, then every 15 minutes) and, from the third failure in a row,
 * raises the alert in every active tenant (the account is shared). The first success resolves it.
 *
 * State lives in provider_health (Postgres), not in the process: any worker on any host may run the
 * next probe, and a restart neither forgets an outage nor probes it every minute again.
 */
import { raiseAlert, resolveAlertByKey } from "../alerts/alerts.server";
import { getPrisma, withTenant } from "../db/client.server";
import { errorFields, logEvent } from "../observability/logger.server";
import type { Clock } from "../clock";
import { PROVIDER_DOWN_AFTER_FAILURES, probeBackoffMs, providerState, type ProviderState } from "./rules";

export type MonitoredProvider = "timelinesai";

export type ProbeResult<T> =
  | { kind: "SKIPPED"; state: ProviderState; nextProbeAt: Date }
  | { kind: "OK"; value: T; recovered: boolean }
  | { kind: "FAILED"; state: ProviderState; failures: number; error: string; nextProbeAt: Date; alerted: boolean };

export interface ProbeDeps {
  clock: Clock;
  /** Tenants to alert (all active ones in production). */
  tenants: () => Promise<string[]>;
}

const ALERT_KEY = "timelinesai:down";

export async function probeProvider<T>(deps: ProbeDeps, provider: MonitoredProvider, call: () => Promise<T>): Promise<ProbeResult<T>> {
  const db = getPrisma();
  const now = deps.clock();
  const row = await db.providerHealth.upsert({ where: { provider }, create: { provider }, update: {} });
  if (row.nextProbeAt && row.nextProbeAt.getTime() > now.getTime()) {
    return { kind: "SKIPPED", state: providerState(row.consecutiveFailures), nextProbeAt: row.nextProbeAt };
  }

  let value: T;
  try {
    value = await call();
  } catch (error) {
    const failures = row.consecutiveFailures + 1;
    const state = providerState(failures);
    const message = errorFields(error).message.slice(0, 500);
    const nextProbeAt = new Date(now.getTime() + probeBackoffMs(failures));
    await db.providerHealth.update({
      where: { provider },
      data: { consecutiveFailures: failures, status: state, firstFailureAt: row.firstFailureAt ?? now, lastFailureAt: now, lastError: message, nextProbeAt },
    });
    logEvent("warn", { worker: "monitor.provider", action: "provider.probe_failed", metadata: { provider, failures, state, nextProbeAt: nextProbeAt.toISOString(), error: message } });
    let alerted = false;
    if (failures >= PROVIDER_DOWN_AFTER_FAILURES) {
      const since = row.firstFailureAt ?? now;
      for (const tenantId of await deps.tenants()) {
        const r = await withTenant(tenantId, (tx) =>
          raiseAlert(
            tx,
            {
              tenantId,
              type: "timelinesai:down",
              title: "TimelinesAI nu răspunde",
              message: `${failures} verificări eșuate la rând din ${since.toISOString()}; ultima eroare: ${message}. Mesajele WhatsApp așteaptă; verificați starea furnizorului.`,
              dedupeKey: ALERT_KEY,
              metadata: { provider, failures, since: since.toISOString(), lastError: message },
            },
            now,
          ),
        );
        alerted ||= r.raised;
      }
    }
    return { kind: "FAILED", state, failures, error: message, nextProbeAt, alerted };
  }

  const recovered = row.consecutiveFailures >= PROVIDER_DOWN_AFTER_FAILURES;
  if (row.consecutiveFailures > 0 || row.status !== "UP" || !row.lastSuccessAt) {
    await db.providerHealth.update({ where: { provider }, data: { consecutiveFailures: 0, status: "UP", firstFailureAt: null, nextProbeAt: null, lastSuccessAt: now } });
  } else {
    await db.providerHealth.update({ where: { provider }, data: { lastSuccessAt: now } });
  }
  if (recovered) {
    const minutes = row.firstFailureAt ? Math.round((now.getTime() - row.firstFailureAt.getTime()) / 60_000) : null;
    for (const tenantId of await deps.tenants()) {
      await withTenant(tenantId, (tx) => resolveAlertByKey(tx, { tenantId, dedupeKey: ALERT_KEY, note: `TimelinesAI răspunde din nou${minutes !== null ? ` după ${minutes} min` : ""}` }, now));
    }
    logEvent("info", { worker: "monitor.provider", action: "provider.recovered", metadata: { provider, downMinutes: minutes } });
  }
  return { kind: "OK", value, recovered };
}

export interface ProviderHealthView {
  provider: string;
  status: ProviderState;
  consecutiveFailures: number;
  firstFailureAt: Date | null;
  lastFailureAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  nextProbeAt: Date | null;
}

export async function providerHealthViews(): Promise<ProviderHealthView[]> {
  const rows = await getPrisma().providerHealth.findMany({ orderBy: { provider: "asc" } });
  return rows.map((r) => ({
    provider: r.provider,
    status: providerState(r.consecutiveFailures),
    consecutiveFailures: r.consecutiveFailures,
    firstFailureAt: r.firstFailureAt,
    lastFailureAt: r.lastFailureAt,
    lastSuccessAt: r.lastSuccessAt,
    lastError: r.lastError,
    nextProbeAt: r.nextProbeAt,
  }));
}
