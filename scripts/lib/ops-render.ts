/** Plain-text renderings of the runbook reports for `npm run ops` (the operations page shows the same data). */
import type { BounceReport } from "../../server/operations/bounce-report.server";
import type { EveningCheck, MorningCheck } from "../../server/operations/reports.server";

const pct = (r: number) => `${(r * 100).toFixed(2)} %`;
const ago = (d: Date | null, now: Date) => (d ? `${Math.round((now.getTime() - d.getTime()) / 60_000)} min ago` : "never");

export function renderMorning(r: MorningCheck): string {
  const h = r.health;
  const lines = [
    `=== MORNING CHECK · ${r.tenantName} · ${r.usageDate} (${r.at.toISOString()}) ===`,
    `Overall: ${h.level}${h.problems.length ? ` — ${h.problems.join(", ")}` : ""}`,
    ``,
    `1. Phones not ACTIVE (${r.notActive.length} of ${r.phones.length}):`,
    ...(r.notActive.length ? r.notActive.map((p) => `   ${p.label} ${p.phoneNumber}: ${p.status}${p.enabled ? "" : " (disabled)"}${p.lastError ? ` — ${p.lastError}` : ""}`) : ["   none"]),
    `2. Quota reset: yesterday (${r.quotaReset.yesterday}) ${r.quotaReset.yesterdayRows} phone rows in history; today ${r.quotaReset.todayUsed} new contacts so far`,
    `3. Pending reviews: ${r.reviews.pending}`,
    `4. Queues (this tenant):`,
    ...(h.queues.length ? h.queues.map((q) => `   ${q.queue.padEnd(34)} queued ${q.queued}, deferred ${q.deferred}, active ${q.active}, failed 24h ${q.failed24h}, done 1h ${q.completedLastHour}`) : ["   nothing queued"]),
    `5. SLA breaches since last evening: ${r.reviews.breachedOvernight}`,
    `6. TimelinesAI / Redis per phone:`,
    ...r.phones.map((p) => `   ${p.label.padEnd(16)} db ${p.status.padEnd(11)} redis ${(p.mirrorStatus ?? "MISSING").padEnd(11)} ${p.used ?? "—"}/${p.limit}  checked ${ago(p.lastHealthCheckAt, r.at)}`),
    `Quota store: ${h.quotaStore}; providers: ${h.providers.map((p) => `${p.provider} ${p.status}`).join(", ") || "not probed yet"}; open alerts: ${h.alerts.open} (${h.alerts.unacknowledged} unacknowledged)`,
  ];
  return lines.join("\n");
}

export function renderEvening(r: EveningCheck): string {
  const t = r.today;
  return [
    `=== EVENING CHECK · ${r.tenantName} · ${r.day} (${r.at.toISOString()}) ===`,
    `1. Today: ${t.contacted} leads contacted (${t.newContacts} new WhatsApp contacts), ${t.replied} replies, ${t.converted} converted, ${t.reviewsResolved} reviews resolved, ${t.bounced} bounced, ${t.failed} failed`,
    `2. Dead letters waiting: ${r.deadLetters}${r.failedJobsToday.length ? `; failed jobs (24 h): ${r.failedJobsToday.map((f) => `${f.queue} ${f.failed}`).join(", ")}` : "; no failed jobs in 24 h"}`,
    `3. Archive: ${r.archive.rowsWaiting} log rows older than ${r.archive.olderThanDays} days; last archive run ${r.archive.lastRun ? `${r.archive.lastRun.finishedAt?.toISOString() ?? "running"} (${r.archive.lastRun.outcome})` : "never (weekly, Sunday 02:00; or npm run ops -- archive)"}`,
    `4. Backups: not managed by the app — verify the database backup job of your platform (docs/runbook.md §1.2).`,
  ].join("\n");
}

export function renderBounces(tenantName: string, r: BounceReport): string {
  return [
    `=== BOUNCES · ${tenantName} · last ${r.hours} h · threshold ${pct(r.threshold)} ===`,
    `All email: ${r.totals.bounced} bounced of ${r.totals.sent} sent (${pct(r.totals.rate)})`,
    `Campaigns:`,
    ...(r.campaigns.length
      ? r.campaigns.map((c) => `   ${c.name} [${c.status}] ${c.bounced}/${c.sent} = ${pct(c.bounceRate)}${c.pausedReason ? ` — ${c.pausedReason}` : ""}`)
      : ["   none"]),
    `Bounced addresses:`,
    ...(r.bounced.length ? r.bounced.map((b) => `   ${b.recipient} ×${b.count} (${b.reason})`) : ["   none"]),
    `Next (runbook §4.1): invalid data → fix the addresses or mark the leads DEAD; reputation → pause cold email 24 h; then resume the campaign at Instantly.`,
  ].join("\n");
}
