/**
 * `tsx scripts/stats-recompute.ts [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--days N] [--tenant <uuid>]`
 * (npm run stats:recompute): recompute the daily statistics and the analytics breakdowns from the log
 * now, in this process, in chunks of at most a month (the same use case as the statistics job and the
 * settings page). Without dates: the last 60 days up to today in each tenant's zone. Prints one line per
 * tenant and chunk. For an operator after a data correction or a restore (runbook §1, §6).
 */
import { parseArgs } from "node:util";
import { systemClock } from "../server/clock";
import { activeTenantIds, disconnectPrisma, withTenant } from "../server/db/client.server";
import { addDays, localDay } from "../server/stats/day";
import { MAX_RECOMPUTE_DAYS, recomputeTenantStatistics } from "../server/stats/recompute.server";
import { loadDotEnv } from "./lib/env-file";
import { PROJECT_ROOT } from "./lib/layout";

loadDotEnv(PROJECT_ROOT);
const { values } = parseArgs({ options: { tenant: { type: "string" }, from: { type: "string" }, to: { type: "string" }, days: { type: "string" } } });

try {
  const tenants = values.tenant ? [values.tenant] : await activeTenantIds();
  for (const tenantId of tenants) {
    const zone = await withTenant(tenantId, async (tx) => (await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { timezone: true } })).timezone);
    const to = values.to ?? localDay(zone, systemClock());
    const from = values.from ?? addDays(to, -(Number(values.days ?? 60) - 1));
    for (let start = from; start <= to; start = addDays(start, MAX_RECOMPUTE_DAYS)) {
      const end = addDays(start, MAX_RECOMPUTE_DAYS - 1) < to ? addDays(start, MAX_RECOMPUTE_DAYS - 1) : to;
      const r = await recomputeTenantStatistics(tenantId, { kind: "range", from: start, to: end }, { clock: systemClock });
      process.stdout.write(`${tenantId} ${r.from} … ${r.to}: ${r.days} days, ${r.sent} sent, ${r.replies} replies (${r.durationMs} ms)\n`);
    }
  }
} finally {
  await disconnectPrisma();
}
