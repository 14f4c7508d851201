/**
 * A tenant with one user per role, for integration tests that sign in (tRPC callers, HTTP, e2e), written
 * through the owner connection with the shared factories (./factories.ts).
 */
import pg from "pg";
import { hashPassword } from "../../server/auth/password.server";
import type { Role, SessionUser } from "../../server/auth/roles";
import { insertTenant, insertUser, withOwner } from "./factories";

export interface TenantFixture {
  tenantId: string;
  tenantName: string;
  users: Record<"ADMIN" | "MANAGER" | "SALES_REP", SessionUser & { password: string }>;
}

export const TEST_PASSWORD = "parola-de-test-123";

export async function createTenantFixture(adminUrl: string, slug: string): Promise<TenantFixture> {
  return withOwner(adminUrl, async (client) => {
    const name = `Ferma ${slug} SRL`;
    const { id: tenantId } = await insertTenant(client, { name, slug });
    const passwordHash = await hashPassword(TEST_PASSWORD);
    const users = {} as TenantFixture["users"];
    for (const role of ["ADMIN", "MANAGER", "SALES_REP"] as const satisfies readonly Role[]) {
      const email = `${role.toLowerCase()}@${slug}.test`;
      const id = await insertUser(client, tenantId, role, { email, name: `${role} ${slug}`, passwordHash });
      users[role] = { id, tenantId, tenantName: name, role, name: `${role} ${slug}`, email, locale: "ro", sessionId: "none", password: TEST_PASSWORD };
    }
    return { tenantId, tenantName: name, users };
  });
}

export async function adminQuery<T extends pg.QueryResultRow>(adminUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
