/**
 * Shared setup for the template, lead-state and sequence integration tests: a database per file, two
 * tenants with users, leads with journeys written through the owner connection (as the seed does),
 * and tRPC callers.
 */
import pg from "pg";
import type { SessionUser } from "../../server/auth/roles";
import type { CurrentState } from "../../server/generated/prisma/enums";
import { createTestDatabase, useDatabase as pointAppAtDatabase, type TestDatabase } from "../support/db";
import { createTenantFixture, type TenantFixture } from "../support/fixtures";

export interface World {
  db: TestDatabase;
  a: TenantFixture;
  b: TenantFixture;
  close: () => Promise<void>;
}

export async function createWorld(prefix: string): Promise<World> {
  const db = await createTestDatabase(prefix);
  await pointAppAtDatabase(db);
  const a = await createTenantFixture(db.adminUrl, `${prefix}-a`);
  const b = await createTenantFixture(db.adminUrl, `${prefix}-b`);
  return {
    db,
    a,
    b,
    close: async () => {
      const { disconnectPrisma } = await import("../../server/db/client.server");
      await disconnectPrisma();
      await db.drop();
    },
  };
}

export interface LeadSpec {
  denumire?: string;
  contact?: string | null;
  judet?: string | null;
  localitate?: string | null;
  phone?: string | null;
  email?: string | null;
  state?: CurrentState;
  previousState?: CurrentState | null;
  emailOptedOut?: boolean;
  whatsappOptedOut?: boolean;
  /** false: the company has no journey row yet. */
  journey?: boolean;
}

let counter = 0;

export async function insertLead(adminUrl: string, tenantId: string, spec: LeadSpec = {}): Promise<{ leadId: string; journeyId: string | null }> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    counter += 1;
    const company = await client.query<{ id: string }>(
      `INSERT INTO gold_companies (tenant_id, denumire, judet, localitate, telefon_principal, email_principal, contact_principal_nume)
       VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
      [
        tenantId,
        spec.denumire ?? `Ferma ${counter} SRL`,
        spec.judet === undefined ? "Iași" : spec.judet,
        spec.localitate === undefined ? "Pașcani" : spec.localitate,
        spec.phone === undefined ? `+4074${String(1000000 + counter).slice(-7)}` : spec.phone,
        spec.email === undefined ? `office${counter}@ferma${counter}.ro` : spec.email,
        spec.contact === undefined ? "Ion Popescu" : spec.contact,
      ],
    );
    const leadId = company.rows[0]!.id;
    if (spec.journey === false) return { leadId, journeyId: null };
    const journey = await client.query<{ id: string }>(
      `INSERT INTO gold_lead_journey (tenant_id, lead_id, current_state, previous_state, email_opted_out, whatsapp_opted_out)
       VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
      [tenantId, leadId, spec.state ?? "COLD", spec.previousState ?? null, spec.emailOptedOut ?? false, spec.whatsappOptedOut ?? false],
    );
    return { leadId, journeyId: journey.rows[0]!.id };
  } finally {
    await client.end();
  }
}

export async function callerFor(user: SessionUser) {
  const { appRouter } = await import("../../server/trpc/router.server");
  const { createCallerFactory } = await import("../../server/trpc/init.server");
  return createCallerFactory(appRouter)({ user, requestId: "test", ip: null, boss: null });
}

/** The tRPC code and domain code of a rejected call ("no error" if it resolved). */
export async function failureOf(promise: Promise<unknown>): Promise<{ code: string; domainCode: string | null; details: unknown }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!error) return { code: "no error", domainCode: null, details: null };
  const e = error as { code?: string; cause?: { code?: string; details?: unknown } };
  return { code: e.code ?? String(error), domainCode: e.cause?.code ?? null, details: e.cause?.details ?? null };
}
