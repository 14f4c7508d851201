/**
 * The pipeline's tRPC views through a real caller, a real pg-boss and two tenants: explanation,
 * dead-letter list/retry/discard (ADMIN, audited, tenant-scoped) and the refusals.
 */
import { TRPCError } from "@trpc/server";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../../server/auth/roles";
import { createTestDatabase, useDatabase, type TestDatabase } from "../support/db";
import { insertLead } from "../support/factories";
import { adminQuery, createTenantFixture, type TenantFixture } from "../support/fixtures";

let db: TestDatabase;
let a: TenantFixture;
let b: TenantFixture;
let boss: PgBoss;
const leads: Record<"a" | "b", { leadId: string; journeyId: string }> = {} as never;

function lead(tenantId: string) {
  return insertLead(db.adminUrl, tenantId, {
    company: { denumire: "Ferma Test SRL" },
    journey: { nextActionReason: "outside sending window", lastDispatchOutcome: { eligible: false, reason: "OUTSIDE_WINDOW" } },
  });
}

async function caller(user: SessionUser, withBoss = true) {
  const { appRouter } = await import("../../server/trpc/router.server");
  const { createCallerFactory } = await import("../../server/trpc/init.server");
  return createCallerFactory(appRouter)({ user, requestId: "pipeline-router", ip: null, boss: withBoss ? boss : null });
}

async function codeOf(p: Promise<unknown>) {
  const e = await p.then(() => null, (x: unknown) => x);
  return e instanceof TRPCError ? e.code : `no TRPCError: ${String(e)}`;
}

beforeAll(async () => {
  db = await createTestDatabase("pipeline_router");
  await useDatabase(db);
  a = await createTenantFixture(db.adminUrl, "alfa");
  b = await createTenantFixture(db.adminUrl, "beta");
  leads.a = await lead(a.tenantId);
  leads.b = await lead(b.tenantId);
  const { startBoss } = await import("../../jobs/boss.server");
  const { ensureQueues } = await import("../../jobs/runtime");
  const { jobRegistry } = await import("../../jobs/registry");
  boss = await startBoss();
  await ensureQueues(boss, jobRegistry);
});

afterAll(async () => {
  const { stopBoss } = await import("../../jobs/boss.server");
  const { disconnectPrisma } = await import("../../server/db/client.server");
  await stopBoss();
  await disconnectPrisma();
  await db.drop();
});

describe("pipeline router", () => {
  it("explains a lead of the caller's tenant and hides the other tenant's", async () => {
    const explanation = await (await caller(a.users.SALES_REP)).pipeline.explainLead({ leadId: leads.a.leadId });
    expect(explanation.journeyId).toBe(leads.a.journeyId);
    expect(explanation.nextActionReason).toBe("outside sending window");
    expect(explanation.lastDecision).toEqual({ eligible: false, reason: "OUTSIDE_WINDOW" });
    expect(await codeOf((await caller(a.users.SALES_REP)).pipeline.explainLead({ leadId: leads.b.leadId }))).toBe("NOT_FOUND");
  });

  it("lists, discards and retries only the tenant's own dead letters, audited, for admins only", async () => {
    const { EMAIL_WARM_QUEUE, OUTREACH_DLQ } = await import("../../jobs/queues");
    const entry = (tenantId: string, l: { leadId: string; journeyId: string }) => ({
      queue: EMAIL_WARM_QUEUE,
      code: "TEMPLATE_VARIABLE_MISSING",
      reason: "required variable companyName is missing",
      payload: { tenantId, leadId: l.leadId, journeyId: l.journeyId },
    });
    const ownA1 = await boss.send(OUTREACH_DLQ, entry(a.tenantId, leads.a));
    const ownA2 = await boss.send(OUTREACH_DLQ, entry(a.tenantId, leads.a));
    const ofB = await boss.send(OUTREACH_DLQ, entry(b.tenantId, leads.b));

    const adminA = await caller(a.users.ADMIN);
    const list = await adminA.pipeline.deadLetters();
    expect(list.map((d) => d.id).sort()).toEqual([ownA1, ownA2].sort());
    expect(list[0]).toMatchObject({ code: "TEMPLATE_VARIABLE_MISSING", leadId: leads.a.leadId });

    expect(await codeOf(adminA.pipeline.discardDeadLetter({ id: ofB! }))).toBe("NOT_FOUND");
    expect(await codeOf((await caller(a.users.MANAGER)).pipeline.deadLetters())).toBe("FORBIDDEN");
    expect(await codeOf((await caller(a.users.ADMIN, false)).pipeline.deadLetters())).toBe("SERVICE_UNAVAILABLE");

    await adminA.pipeline.discardDeadLetter({ id: ownA1! });
    const retried = await adminA.pipeline.retryDeadLetter({ id: ownA2! });
    expect(retried.jobId).toBeTruthy();
    expect(await adminA.pipeline.deadLetters()).toEqual([]);
    const requeued = await boss.getJobById(EMAIL_WARM_QUEUE, retried.jobId);
    expect(requeued?.data).toMatchObject({ tenantId: a.tenantId, journeyId: leads.a.journeyId });

    const audit = await adminQuery<{ action: string }>(db.adminUrl, "SELECT action FROM audit_log WHERE tenant_id = $1 AND entity_type = 'dead_letter' ORDER BY created_at", [a.tenantId]);
    expect(audit.map((r) => r.action)).toEqual(["dead_letter.discard", "dead_letter.retry"]);
    // B's entry is untouched.
    expect((await (await caller(b.users.ADMIN)).pipeline.deadLetters()).map((d) => d.id)).toEqual([ofB]);
  });
});
