/**
 * `tsx scripts/quota-resync.ts [--tenant <uuid>]` (npm run quota:resync): rebuild Redis from the
 * database now, in this process (runbook §6.1 step 4, §6.2 steps 2–3). Prints one line per tenant.
 * Without --tenant every active tenant is rebuilt and the quota store's sentinel rewritten
 * (server/quota/heal.server.ts). Finds the project's local services as `npm start` does.
 * (`npm run ops -- quota resync` is the same with --dry-run and the other runbook commands.)
 */
import { parseArgs } from "node:util";
import { findLocalServices } from "./lib/local-env";

const { values } = parseArgs({ options: { tenant: { type: "string" } } });
const services = await findLocalServices({ start: true });
const { activeTenantIds, disconnectPrisma } = await import("../server/db/client.server");
const { getQuotaStore } = await import("../server/quota/index.server");
const { closeQuotaRedis } = await import("../server/quota/redis.server");
const { resyncTenants } = await import("../server/quota/resync.server");
const { healQuotaStore } = await import("../server/quota/heal.server");
const { systemClock } = await import("../server/clock");

try {
  const actor = { type: "SYSTEM" as const, name: "quota:resync command" };
  const deps = { store: getQuotaStore(), clock: systemClock };
  const results = values.tenant ? await resyncTenants(deps, [values.tenant], actor) : (await healQuotaStore(deps, await activeTenantIds(), actor, "operator")).tenants;
  for (const r of results) {
    const raised = r.phones.filter((p) => p.after !== p.before);
    process.stdout.write(`${r.tenantId} ${r.usageDate}: ${r.phones.length} phones mirrored, ${raised.length} counters raised to the log\n`);
    for (const p of raised) process.stdout.write(`  ${p.phoneId} ${p.before} -> ${p.after} (log ${p.fromLog})\n`);
  }
} finally {
  await closeQuotaRedis();
  await disconnectPrisma();
  services.stop();
}
