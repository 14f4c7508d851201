/**
 * One source for the review and reply settings (issue 11): what an admin saves through the settings
 * procedure is what the review queue and the reply worker use for the very next item or reply, with
 * no restart. The review items are opened by the queue's own use case (openReview with the settings
 * loadReviewSettings reads) and by the real reply path (simulator → webhook → normalization → reply
 * worker, its clock fixed), as in tests/replies/acting.test.ts.
 *
 * The worker's tenant has an always-open sending window and SLAs around the clock, so a due time is
 * the item's start plus the priority's minutes.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "../../server/auth/roles";
import type { ReviewPriority } from "../../server/review/sla";
import type { TenantSettingsInput } from "../../server/settings/tenant-settings";
import { insertUser } from "../support/factories";
import { eventually, startReplyWorld, type ReplyLead, type ReplyWorld } from "../replies/support";

vi.setConfig({ testTimeout: 180_000 });

let w: ReplyWorld;
let admin: SessionUser;
/** Tuesday 10 November 2026, 10:00 in Bucharest: the reply worker's clock. */
const NOW = new Date("2026-11-10T08:00:00Z");
const MINUTE = 60_000;
const POSITIVE = "Da, suntem interesați. Când putem discuta la telefon?";

beforeAll(async () => {
  w = await startReplyWorld("settings_one_source");
  const { configureReplyDeps } = await import("../../jobs/replies/deps");
  configureReplyDeps({ clock: () => NOW });
  await w.startReplyWorkers();
  const email = `admin.${w.tenant.tenantId.slice(0, 6)}@agroverde.test`;
  const id = await insertUser(w.admin, w.tenant.tenantId, "ADMIN", { name: "Alina Admin", email });
  admin = { id, tenantId: w.tenant.tenantId, tenantName: "AgroVerde Test SRL", role: "ADMIN", name: "Alina Admin", email, locale: "ro", sessionId: "none" };
}, 120_000);

afterAll(async () => {
  await w?.close();
});

async function adminCaller() {
  const { appRouter } = await import("../../server/trpc/router.server");
  const { createCallerFactory } = await import("../../server/trpc/init.server");
  return createCallerFactory(appRouter)({ user: admin, requestId: "test", ip: null, boss: w.boss });
}

/** Saves the settings page's form with these changes, as the page does (the whole form). */
async function save(changes: Partial<TenantSettingsInput>) {
  const caller = await adminCaller();
  const current = await caller.settings.get();
  const { updatedAt: _, ...form } = current;
  return caller.settings.update({ ...form, ...changes });
}

/** A review item opened by the queue's own use case, with the settings it loads at that moment. */
async function openItem(lead: ReplyLead, priority: ReviewPriority): Promise<Date> {
  const { withTenant } = await import("../../server/db/client.server");
  const { loadReviewSettings } = await import("../../server/review/settings.server");
  const { openReview } = await import("../../server/review/open.server");
  const { pgBossTransactionalQueue } = await import("../../jobs/transactional-queue");
  const opened = await withTenant(w.tenant.tenantId, async (tx) =>
    openReview(tx, pgBossTransactionalQueue(w.boss), {
      tenantId: w.tenant.tenantId,
      journeyId: lead.journeyId,
      leadId: lead.leadId,
      kind: "TRIAGE",
      reason: "MANUAL_FLAG",
      priority,
      triggerMessageId: null,
      analysis: null,
      answerId: null,
      draftedAnswer: null,
      now: NOW,
      settings: await loadReviewSettings(tx, w.tenant.tenantId),
      leadName: "Ferma Popescu",
    }),
  );
  const row = await w.one<{ sla_due_at: Date }>(`SELECT sla_due_at FROM human_review_queue WHERE id = $1`, [opened.reviewId]);
  expect(row.sla_due_at).toEqual(opened.dueAt);
  return row.sla_due_at;
}

const heldItem = (lead: ReplyLead) =>
  eventually(
    () =>
      w
        .rows<{ kind: string; priority: string; reason: string | null; sla_due_at: Date; ai_analysis: { why: string } }>(
          `SELECT kind, priority, reason, sla_due_at, ai_analysis FROM human_review_queue WHERE journey_id = $1 ORDER BY created_at DESC`,
          [lead.journeyId],
        )
        .then((r) => r[0]),
    "the reply's review item",
  );

const autoAnswers = (lead: ReplyLead) => w.rows(`SELECT id FROM reply_answers WHERE journey_id = $1 AND mode = 'AUTO'`, [lead.journeyId]).then((r) => r.length);

describe("settings saved on the settings page are the ones the review queue and the reply path use", () => {
  it("the SLA per priority: a new item's due time follows each save at once", async () => {
    const lead = await w.lead();
    await save({ slaUrgentMinutes: 30, slaHighMinutes: 90, slaMediumMinutes: 600, slaLowMinutes: 2000 });
    const first: Record<ReviewPriority, number> = { URGENT: 30, HIGH: 90, MEDIUM: 600, LOW: 2000 };
    for (const [priority, minutes] of Object.entries(first) as Array<[ReviewPriority, number]>) {
      expect(await openItem(lead, priority)).toEqual(new Date(NOW.getTime() + minutes * MINUTE));
    }
    await save({ slaUrgentMinutes: 45, slaHighMinutes: 180, slaMediumMinutes: 720, slaLowMinutes: 2880 });
    const second: Record<ReviewPriority, number> = { URGENT: 45, HIGH: 180, MEDIUM: 720, LOW: 2880 };
    for (const [priority, minutes] of Object.entries(second) as Array<[ReviewPriority, number]>) {
      expect(await openItem(lead, priority)).toEqual(new Date(NOW.getTime() + minutes * MINUTE));
    }
  });

  it("auto-answer off: a positive reply is not answered automatically, a person gets it (HIGH, the saved SLA)", async () => {
    await save({ autoAnswerMode: "OFF", slaHighMinutes: 120 });
    const lead = await w.lead();
    await w.leadWrites(lead, POSITIVE);
    const item = await heldItem(lead);
    expect(item).toMatchObject({ kind: "TRIAGE", priority: "HIGH", reason: "MANUAL_FLAG" });
    expect(item.ai_analysis.why).toContain("Răspunsurile automate sunt oprite");
    expect(item.sla_due_at).toEqual(new Date(NOW.getTime() + 120 * MINUTE));
    expect(await autoAnswers(lead)).toBe(0);
  });

  it("auto-answer on with the caps saved on the settings page: the tenant's cap, then the lead's cap, each from the last save", async () => {
    // The tenant may send one automatic answer today: the first positive reply gets it, the next waits.
    await save({ autoAnswerMode: "AUTO", autoAnswerCaps: { perLeadPerDay: 5, perTenantPerDay: 1 } });
    const first = await w.lead();
    await w.leadWrites(first, POSITIVE);
    await eventually(() => autoAnswers(first).then((n) => n === 1), "the first automatic answer");
    const second = await w.lead();
    await w.leadWrites(second, POSITIVE);
    const held = await heldItem(second);
    expect(held).toMatchObject({ kind: "APPROVAL", priority: "HIGH" });
    expect(held.ai_analysis.why).toContain("Limita zilnică de răspunsuri automate a organizației");
    expect(await autoAnswers(second)).toBe(0);

    // Raised for the tenant, one per lead: a new lead is answered, the first lead (answered once today) waits.
    await save({ autoAnswerCaps: { perLeadPerDay: 1, perTenantPerDay: 10 } });
    const third = await w.lead();
    await w.leadWrites(third, POSITIVE);
    await eventually(() => autoAnswers(third).then((n) => n === 1), "the third lead's automatic answer");
    await w.leadWrites(first, "Mă interesează, trimiteți-mi detalii pe email vă rog.");
    const capped = await heldItem(first);
    expect(capped).toMatchObject({ kind: "APPROVAL", priority: "HIGH" });
    expect(capped.ai_analysis.why).toContain("pentru acest lead");
    expect(await autoAnswers(first)).toBe(1);

    // The review page's reply settings write the same column: the settings page reads it back.
    const { withTenant } = await import("../../server/db/client.server");
    const { updateReplySettings } = await import("../../server/review/preferences.server");
    await withTenant(w.tenant.tenantId, (tx) =>
      updateReplySettings(tx, { tenantId: w.tenant.tenantId, actor: { type: "USER", userId: admin.id, role: "ADMIN", ip: null }, changes: { autoAnswerDailyCap: 3, autoAnswerMode: "APPROVAL" } }),
    );
    expect(await (await adminCaller()).settings.get()).toMatchObject({ autoAnswerMode: "APPROVAL", autoAnswerCaps: { perLeadPerDay: 3, perTenantPerDay: 10 } });
  });

  it("the review page's reply settings (managers) keep the settings page's rules for the same columns", async () => {
    const { appRouter } = await import("../../server/trpc/router.server");
    const { createCallerFactory } = await import("../../server/trpc/init.server");
    const manager = createCallerFactory(appRouter)({ user: w.tenant.users.manager, requestId: "test", ip: null, boss: w.boss });
    const current = await (await adminCaller()).settings.get();
    const refused = async (changes: Record<string, unknown>) => {
      const error = await manager.reviews.updateSettings(changes as never).then(
        () => null,
        (e: unknown) => e as { code?: string; cause?: { code?: string } },
      );
      return { code: error?.code ?? "no error", domainCode: error?.cause?.code ?? null };
    };
    // Below the settings page's minimum, a threshold outside its range, a cap above its maximum.
    expect((await refused({ slaUrgentMinutes: 2 })).code).toBe("BAD_REQUEST");
    expect((await refused({ sentimentAutoThreshold: -20 })).code).toBe("BAD_REQUEST");
    expect((await refused({ autoAnswerDailyCap: 21 })).code).toBe("BAD_REQUEST");
    // A more urgent priority may not wait longer than a less urgent one, checked against the saved values.
    expect(await refused({ slaHighMinutes: current.slaUrgentMinutes - 1 })).toEqual({ code: "BAD_REQUEST", domainCode: "SLA_ORDER" });
    // What passes is what the settings page then shows, and saves again unchanged.
    await manager.reviews.updateSettings({ slaHighMinutes: current.slaUrgentMinutes + 5 });
    const after = await (await adminCaller()).settings.get();
    expect(after.slaHighMinutes).toBe(current.slaUrgentMinutes + 5);
    expect((await save({})).changed).toEqual([]);
  });
});
