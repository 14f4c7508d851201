/**
 * Minimal tenants/users for integration tests, written through the owner connection (as the seed does)
 * and built with the seed's factories.
 */
import pg from "pg";
import { hashPassword } from "../../server/auth/password.server";
import type { Role, SessionUser } from "../../server/auth/roles";

export interface TenantFixture {
  tenantId: string;
  tenantName: string;
  users: Record<"ADMIN" | "MANAGER" | "SALES_REP", SessionUser & { password: string }>;
}

export const TEST_PASSWORD = "parola-de-test-123";

export async function createTenantFixture(adminUrl: string, slug: string): Promise<TenantFixture> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const name = `Ferma ${slug} SRL`;
    const tenant = await client.query<{ id: string }>("INSERT INTO tenants (name, slug) VALUES ($1, $2) RETURNING id", [name, slug]);
    const tenantId = tenant.rows[0]!.id;
    const hash = await hashPassword(TEST_PASSWORD);
    const users = {} as TenantFixture["users"];
    for (const role of ["ADMIN", "MANAGER", "SALES_REP"] as const satisfies readonly Role[]) {
      const email = `${role.toLowerCase()}@${slug}.test`;
      const row = await client.query<{ id: string }>(
        "INSERT INTO users (tenant_id, email, name, password_hash, role) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        [tenantId, email, `${role} ${slug}`, hash, role],
      );
      users[role] = { id: row.rows[0]!.id, tenantId, tenantName: name, role, name: `${role} ${slug}`, email, locale: "ro", sessionId: "none", password: TEST_PASSWORD };
    }
    return { tenantId, tenantName: name, users };
  } finally {
    await client.end();
  }
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
