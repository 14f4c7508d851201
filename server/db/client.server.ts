import { PrismaClient, type Prisma } from "../generated/prisma/client";
import { getEnv } from "../config/env.server";
import { PrismaPgSerialTransactions } from "./serial-transactions.server";

/** A Prisma transaction whose row-level security is bound to one tenant. */
export type TenantTx = Prisma.TransactionClient;

let client: PrismaClient | undefined;

/**
 * The app's Prisma client. It connects as the app role (DATABASE_URL), which row-level security
 * applies to: outside `withTenant` every tenant-owned table reads as empty.
 */
export function getPrisma(): PrismaClient {
  if (!client) {
    const env = getEnv();
    client = new PrismaClient({
      // A transaction's statements go to its connection one at a time (serial-transactions.server.ts).
      adapter: new PrismaPgSerialTransactions({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_SIZE }),
    });
  }
  return client;
}

export async function disconnectPrisma(): Promise<void> {
  if (client) {
    const c = client;
    client = undefined;
    await c.$disconnect();
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TenantTxOptions {
  /** Milliseconds the transaction may run; long batch jobs raise it. */
  timeoutMs?: number;
  isolationLevel?: Prisma.TransactionIsolationLevel;
}

/**
 * Runs `fn` in one transaction with `app.tenant_id` set locally (SET LOCAL semantics via
 * set_config(..., true)), so the setting can never leak to another request through the pool.
 * Every request and job that touches tenant data goes through here.
 */
export async function withTenant<T>(tenantId: string, fn: (tx: TenantTx) => Promise<T>, options: TenantTxOptions = {}): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error(`withTenant: not a tenant id: ${tenantId}`);
  return getPrisma().$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
      return fn(tx);
    },
    { timeout: options.timeoutMs ?? 15_000, maxWait: 10_000, isolationLevel: options.isolationLevel },
  );
}

/** Ids of all active tenants, for scheduled jobs that run per tenant (a narrow SECURITY DEFINER hole). */
export async function activeTenantIds(): Promise<string[]> {
  const rows = await getPrisma().$queryRaw<Array<{ id: string }>>`SELECT system_active_tenant_ids() AS id`;
  return rows.map((r) => r.id);
}
