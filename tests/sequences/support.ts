/**
 * Shared setup for the template, lead-state and sequence integration tests: a database per file, two
 * tenants with users, leads with journeys written through the owner connection (as the seed does),
 * and tRPC callers.
 */
import type { SessionUser } from "../../server/auth/roles";
import type { CurrentState } from "../../server/generated/prisma/enums";
import { createTestDatabase, useDatabase as pointAppAtDatabase, type TestDatabase } from "../support/db";
import { insertLead as insertLeadRows } from "../support/factories";
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

/** A lead with this folder's defaults (a reachable company in Pașcani, a COLD journey), through the shared factories. */
export async function insertLead(adminUrl: string, tenantId: string, spec: LeadSpec = {}): Promise<{ leadId: string; journeyId: string | null }> {
  counter += 1;
  return insertLeadRows(adminUrl, tenantId, {
    company: {
      denumire: spec.denumire ?? `Ferma ${counter} SRL`,
      judet: spec.judet === undefined ? "Iași" : spec.judet,
      localitate: spec.localitate === undefined ? "Pașcani" : spec.localitate,
      telefonPrincipal: spec.phone === undefined ? `+4074${String(1000000 + counter).slice(-7)}` : spec.phone,
      emailPrincipal: spec.email === undefined ? `office${counter}@ferma${counter}.ro` : spec.email,
      contactPrincipalNume: spec.contact === undefined ? "Ion Popescu" : spec.contact,
    },
    journey:
      spec.journey === false
        ? false
        : { currentState: spec.state ?? "COLD", previousState: spec.previousState ?? null, emailOptedOut: spec.emailOptedOut ?? false, whatsappOptedOut: spec.whatsappOptedOut ?? false },
  });
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
