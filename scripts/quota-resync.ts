/**
 * `tsx scripts/quota-resync.ts [--tenant <uuid>]` (npm run quota:resync): rebuild Redis from the
 * database now, in this process (runbook §6.1 step 4, §6.2 steps 2–3). Prints one line per tenant.
 */
import { parseArgs } from "node:util";
import { activeTenantIds, disconnectPrisma } from "../server/db/client.server";
import { getQuotaStore } from "../server/quota/index.server";
import { closeQuotaRedis } from "../server/quota/redis.server";
import { resyncTenants } from "../server/quota/resync.server";
import { systemClock } from "../server/clock";

const { values } = parseArgs({ options: { tenant: { type: "string" } } });

try {
  const tenants = values.tenant ? [values.tenant] : await activeTenantIds();
  const results = await resyncTenants({ store: getQuotaStore(), clock: systemClock }, tenants, { type: "SYSTEM", name: "quota:resync command" });
  for (const r of results) {
    const raised = r.phones.filter((p) => p.after !== p.before);
    process.stdout.write(`${r.tenantId} ${r.usageDate}: ${r.phones.length} phones mirrored, ${raised.length} counters raised to the log\n`);
    for (const p of raised) process.stdout.write(`  ${p.phoneId} ${p.before} -> ${p.after} (log ${p.fromLog})\n`);
  }
} finally {
  await closeQuotaRedis();
  await disconnectPrisma();
}
