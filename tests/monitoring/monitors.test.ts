/**
 * Each monitor with the simulators forcing its condition (runbook §7.1): the alert appears once however
 * often the monitor runs, the automatic action happens, and the alert is resolved when the condition
 * clears. The monitors run through their registered job definitions (jobs/monitoring/), against real
 * Postgres, Redis, pg-boss and the provider simulators over HTTP, on a manual clock.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OUTREACH_DLQ } from "../../jobs/queues";
import { CAMPAIGN_STATUS, type CreateCampaignRequest } from "../../server/providers/instantly/schemas";
import { insertCampaign, insertLead, insertMessage } from "../support/factories";
import { DEFAULT_ACCOUNTS, MONDAY_10_00, allAlerts, openAlerts, startMonitorWorld, type MonitorWorld } from "./support";

let w: MonitorWorld;
const MIN = 60_000;

beforeAll(async () => {
  w = await startMonitorWorld("monitors");
}, 120_000);
afterAll(async () => {
  await w?.close();
});

const jobs = () => import("../../jobs/monitoring/monitors");

describe("phone health (phone:offline, phone:banned)", () => {
  it("moves phones through the lifecycle from TimelinesAI's account status, alerts once, refreshes the health fields", async () => {
    w.clock.set(MONDAY_10_00);
    const { phoneHealthMonitor } = await jobs();
    const [n1, n2, n3] = DEFAULT_ACCOUNTS.slice(0, 3) as [string, string, string];
    const [p1, p2, p3] = [await w.addPhone(w.a.tenantId, n1), await w.addPhone(w.a.tenantId, n2), await w.addPhone(w.a.tenantId, n3)];
    await w.sims.control.post(`/timelinesai/accounts/${encodeURIComponent(n1)}/status`, { status: "Disconnected" });
    await w.sims.control.post(`/timelinesai/accounts/${encodeURIComponent(n2)}/status`, { status: "Banned" });

    for (let i = 0; i < 3; i++) {
      await w.run(phoneHealthMonitor);
      w.clock.advance(MIN);
    }
    const phones = await w.admin.query<{ id: string; status: string; last_health_check_at: Date }>(
      `SELECT id, status, last_health_check_at FROM wa_phone_numbers WHERE id = ANY($1) ORDER BY label`,
      [[p1, p2, p3]],
    );
    expect(Object.fromEntries(phones.rows.map((p) => [p.id, p.status]))).toEqual({ [p1]: "OFFLINE", [p2]: "BANNED", [p3]: "ACTIVE" });
    // Refreshed by the last run (the clock moved a minute after it).
    for (const p of phones.rows) expect(p.last_health_check_at.getTime()).toBe(new Date(MONDAY_10_00).getTime() + 2 * MIN);
    expect((await w.store.readMirror(p1))?.status).toBe("OFFLINE");
    expect((await w.store.readMirror(p2))?.status).toBe("BANNED");

    // Three runs, one alert each, never re-raised while the status stays.
    const offline = await allAlerts(w, w.a.tenantId, "phone:offline");
    const banned = await allAlerts(w, w.a.tenantId, "phone:banned");
    expect(offline).toHaveLength(1);
    expect(banned).toHaveLength(1);
    expect([offline[0]!.occurrences, banned[0]!.occurrences]).toEqual([1, 1]);
    expect(await openAlerts(w, w.b.tenantId)).toEqual([]);

    // Reconnected in TimelinesAI: back to ACTIVE, the offline alert resolved by the monitor.
    await w.sims.control.post(`/timelinesai/accounts/${encodeURIComponent(n1)}/status`, { status: "Active" });
    await w.run(phoneHealthMonitor);
    expect((await w.admin.query(`SELECT status FROM wa_phone_numbers WHERE id = $1`, [p1])).rows[0]).toEqual({ status: "ACTIVE" });
    expect((await allAlerts(w, w.a.tenantId, "phone:offline"))[0]).toMatchObject({ resolved_at: expect.any(Date) });
    expect((await w.store.readMirror(p1))?.status).toBe("ACTIVE");
    // The ban stays: lifting one is an ADMIN's decision, never a connection event's.
    expect((await w.admin.query(`SELECT status FROM wa_phone_numbers WHERE id = $1`, [p2])).rows[0]).toEqual({ status: "BANNED" });
  });
});

describe("provider down (timelinesai:down)", () => {
  it("raises the alert once after three failed probes, backs off, and resolves it when TimelinesAI answers again", async () => {
    const { phoneHealthMonitor } = await jobs();
    w.clock.set(new Date(new Date(MONDAY_10_00).getTime() + 60 * MIN));
    const probesBefore = (await w.sims.control.requests({ provider: "timelinesai", method: "GET" })).filter((r) => r.path.includes("whatsapp_accounts")).length;
    await w.sims.control.fault({ provider: "timelinesai", path: "/whatsapp_accounts", kind: "status", status: 503 });

    // 30 minutes of 5xx, the monitor ticking every minute.
    const outcomes: string[] = [];
    for (let minute = 0; minute <= 30; minute++) {
      await w.run(phoneHealthMonitor);
      const run = await w.admin.query<{ outcome: string }>(`SELECT outcome FROM monitor_runs WHERE monitor = 'monitor.phone.health'`);
      outcomes.push(run.rows[0]!.outcome);
      w.clock.advance(MIN);
    }
    // Probes at minutes 0, 1, 3, 7, 15 and 30 (back-off 1, 2, 4, 8, 15 min); every other tick skips.
    expect(outcomes.flatMap((o, minute) => (o === "FAILED" ? [minute] : []))).toEqual([0, 1, 3, 7, 15, 30]);
    const health = await w.admin.query(`SELECT status, consecutive_failures FROM provider_health WHERE provider = 'timelinesai'`);
    expect(health.rows[0]).toEqual({ status: "DOWN", consecutive_failures: 6 });
    const probes = (await w.sims.control.requests({ provider: "timelinesai", method: "GET" })).filter((r) => r.path.includes("whatsapp_accounts")).length - probesBefore;
    // Each probe is one call with the client's own retries (3 for a 5xx): 6 probes, not 31.
    expect(probes).toBe(6 * 4);

    for (const tenant of [w.a, w.b]) {
      const down = await allAlerts(w, tenant.tenantId, "timelinesai:down");
      expect(down).toHaveLength(1);
      // Raised at the third failure, then seen at the 4th, 5th and 6th.
      expect(down[0]!.occurrences).toBe(4);
    }
    const [alert] = await openAlerts(w, w.a.tenantId, "timelinesai:down");
    expect(alert).toMatchObject({ severity: "CRITICAL", dedupe_key: "timelinesai:down" });

    await w.sims.control.scenario({ faults: [] });
    w.clock.advance(15 * MIN);
    await w.run(phoneHealthMonitor);
    expect((await w.admin.query(`SELECT status, consecutive_failures FROM provider_health`)).rows[0]).toEqual({ status: "UP", consecutive_failures: 0 });
    for (const tenant of [w.a, w.b]) {
      const [down] = await allAlerts(w, tenant.tenantId, "timelinesai:down");
      expect(down).toMatchObject({ resolved_at: expect.any(Date), resolution_note: expect.stringContaining("TimelinesAI răspunde din nou") });
    }
  });
});

describe("deliverability (bounce:high)", () => {
  const campaign = (name: string): CreateCampaignRequest => ({
    name,
    campaign_schedule: { schedules: [{ name: "Program", timing: { from: "08:00", to: "18:00" }, days: { "1": true, "2": true, "3": true, "4": true, "5": true }, timezone: "Europe/Bucharest" }] },
    // Two steps, the second days later, so a campaign without trouble is still ACTIVE when checked.
    sequences: [
      {
        steps: [
          { type: "email", delay: 3, delay_unit: "days", variants: [{ subject: "Semințe", body: "<p>Bună ziua</p>" }] },
          { type: "email", delay: 0, variants: [{ subject: "Revenire", body: "<p>Revin</p>" }] },
        ],
      },
    ],
    email_list: ["vanzari@cerniq-agro.ro"],
  });

  it("pauses a campaign over the tenant's threshold at Instantly and in our data, alerts once, leaves a clean one running", async () => {
    const { deliverabilityMonitor } = await jobs();
    const leads = (tag: string) => Array.from({ length: 25 }, (_, i) => ({ email: `fermier${i}.${tag}@agro-test.ro` }));
    await w.sims.control.scenario({ email: { bounceRate: 1, campaignSendDelayMs: { min: 0, max: 0 }, deliveryDelayMs: { min: 0, max: 0 } } });
    const storm = await w.instantly.createCampaign(campaign("Furtună de respingeri"));
    await w.instantly.addLeads({ campaign_id: storm.id, leads: leads("a") });
    await w.instantly.activateCampaign(storm.id);
    await w.sims.control.advance(30 * MIN);
    await w.sims.control.scenario({ email: { bounceRate: 0 } });
    const clean = await w.instantly.createCampaign(campaign("Campanie curată"));
    await w.instantly.addLeads({ campaign_id: clean.id, leads: leads("b") });
    await w.instantly.activateCampaign(clean.id);
    await w.sims.control.advance(30 * MIN);
    for (const c of [storm, clean]) {
      await insertCampaign(w.admin, { tenantId: w.a.tenantId, instantlyCampaignId: c.id, name: c.name, status: "ACTIVE", instantlyStatus: 1 });
    }

    await w.run(deliverabilityMonitor);
    await w.run(deliverabilityMonitor);

    expect((await w.instantly.getCampaign(storm.id)).status).toBe(CAMPAIGN_STATUS.PAUSED);
    expect((await w.instantly.getCampaign(clean.id)).status).toBe(CAMPAIGN_STATUS.ACTIVE);
    const rows = await w.admin.query<{ instantly_campaign_id: string; status: string; sent_count: number; bounced_count: number; bounce_rate: string; paused_reason: string | null }>(
      `SELECT instantly_campaign_id, status, sent_count, bounced_count, bounce_rate::text, paused_reason FROM email_campaigns WHERE tenant_id = $1`,
      [w.a.tenantId],
    );
    const byId = Object.fromEntries(rows.rows.map((r) => [r.instantly_campaign_id, r]));
    expect(byId[storm.id]).toMatchObject({ status: "PAUSED", sent_count: 25, bounced_count: 25, bounce_rate: "1.0000" });
    expect(byId[storm.id]!.paused_reason).toContain("peste pragul de 3,00 %");
    expect(byId[clean.id]).toMatchObject({ status: "ACTIVE", sent_count: 25, bounced_count: 0 });
    const alerts = await allAlerts(w, w.a.tenantId, "bounce:high");
    expect(alerts).toHaveLength(1);
    expect((await openAlerts(w, w.a.tenantId, "bounce:high"))[0]).toMatchObject({ severity: "HIGH", dedupe_key: `bounce:high:campaign:${storm.id}` });
    const pauses = (await w.sims.control.requests({ provider: "instantly", method: "POST" })).filter((r) => r.path.endsWith(`/campaigns/${storm.id}/pause`));
    expect(pauses).toHaveLength(1);
    const audit = await w.admin.query(`SELECT action, after->>'actor' AS actor FROM audit_log WHERE tenant_id = $1 AND entity_type = 'email_campaign'`, [w.a.tenantId]);
    expect(audit.rows).toEqual([{ action: "email_campaign.auto_paused", actor: "monitor.email.deliverability" }]);
  });

  it("alerts on the tenant's own bounce rate over the last 7 days and resolves it when the rate is back under", async () => {
    const { deliverabilityMonitor } = await jobs();
    const lead = await insertLead(w.admin, w.b.tenantId, { journey: { currentState: "CONTACTED_EMAIL" } });
    const log = async (status: string, n: number) => {
      const createdAt = new Date(w.clock().getTime() - 3600_000);
      for (let i = 0; i < n; i++) await insertMessage(w.admin, { tenantId: w.b.tenantId, ...lead, channel: "EMAIL_WARM", direction: "OUTBOUND", status, createdAt });
    };
    await log("DELIVERED", 27);
    await log("BOUNCED", 3);
    await w.run(deliverabilityMonitor);
    await w.run(deliverabilityMonitor);
    const [alert] = await openAlerts(w, w.b.tenantId, "bounce:high");
    expect(alert).toMatchObject({ dedupe_key: "bounce:high:tenant", occurrences: 2 });
    expect(alert!.message).toContain("3 respinse din 30 emailuri (10,00 %");

    await log("DELIVERED", 100);
    await w.run(deliverabilityMonitor);
    expect(await openAlerts(w, w.b.tenantId, "bounce:high")).toEqual([]);
  });
});

describe("quota usage (quota:exhausted)", () => {
  it("alerts once when every sendable phone used its day before noon, not in the afternoon, and resolves it the next day", async () => {
    const { quotaUsageMonitor } = await jobs();
    w.clock.set(MONDAY_10_00);
    const phones = [await w.addPhone(w.b.tenantId, DEFAULT_ACCOUNTS[5]!, { limit: 3 }), await w.addPhone(w.b.tenantId, DEFAULT_ACCOUNTS[6]!, { limit: 3 })];
    // A paused phone does not count: the pool is what may send.
    await w.addPhone(w.b.tenantId, DEFAULT_ACCOUNTS[7]!, { limit: 3, status: "PAUSED" });
    await w.store.setUsage({ tenantId: w.b.tenantId, phoneId: phones[0]!, usageDate: "2026-03-02" }, 3, "set");
    await w.run(quotaUsageMonitor);
    expect(await openAlerts(w, w.b.tenantId, "quota:exhausted")).toEqual([]);

    await w.store.setUsage({ tenantId: w.b.tenantId, phoneId: phones[1]!, usageDate: "2026-03-02" }, 3, "set");
    await w.run(quotaUsageMonitor);
    w.clock.advance(5 * MIN);
    await w.run(quotaUsageMonitor);
    const [alert] = await openAlerts(w, w.b.tenantId, "quota:exhausted");
    expect(alert).toMatchObject({ severity: "MEDIUM", dedupe_key: "quota:exhausted:2026-03-02", occurrences: 2 });
    expect(alert!.message).toContain("6 din 6");

    // Tuesday: a new day, a new quota; full again but at 13:00, which is a normal busy day.
    w.clock.set("2026-03-03T11:00:00.000Z");
    for (const phoneId of phones) await w.store.setUsage({ tenantId: w.b.tenantId, phoneId, usageDate: "2026-03-03" }, 3, "set");
    await w.run(quotaUsageMonitor);
    expect(await openAlerts(w, w.b.tenantId, "quota:exhausted")).toEqual([]);
    expect(await allAlerts(w, w.b.tenantId, "quota:exhausted")).toHaveLength(1);
  });
});

describe("dead letters (dlq:overflow)", () => {
  it("alerts once over 100 dead letters of a tenant and resolves at or under the threshold", async () => {
    const { deadLetterMonitor } = await jobs();
    w.clock.set(MONDAY_10_00);
    const letter = (tenantId: string) => ({ data: { queue: "wa.send", code: "TIMELINESAI_REJECTED", reason: "4xx", payload: { tenantId, leadId: randomUUID() } } });
    await w.boss.insert(OUTREACH_DLQ, Array.from({ length: 101 }, () => letter(w.a.tenantId)));
    await w.boss.insert(OUTREACH_DLQ, Array.from({ length: 100 }, () => letter(w.b.tenantId)));
    await w.run(deadLetterMonitor);
    await w.run(deadLetterMonitor);
    const [alert] = await openAlerts(w, w.a.tenantId, "dlq:overflow");
    expect(alert).toMatchObject({ severity: "HIGH", occurrences: 2, title: "101 joburi în coada de erori" });
    expect(await openAlerts(w, w.b.tenantId, "dlq:overflow")).toEqual([]);

    const [job] = await w.boss.findJobs(OUTREACH_DLQ, { data: { payload: { tenantId: w.a.tenantId } } });
    await w.boss.deleteJob(OUTREACH_DLQ, job!.id);
    await w.run(deadLetterMonitor);
    expect(await openAlerts(w, w.a.tenantId, "dlq:overflow")).toEqual([]);
  });
});

describe("notifications", () => {
  it("sends every new alert once to the Slack webhook and by email to the tenant's managers and admins", async () => {
    const { alertNotifyJob } = await import("../../jobs/monitoring/alerts");
    const { raiseAlert } = await import("../../server/alerts/alerts.server");
    const { withTenant } = await import("../../server/db/client.server");
    w.clock.set(new Date(new Date(MONDAY_10_00).getTime() + 2 * 3600_000));
    // A LOW alert stays in the app (threshold MEDIUM).
    await withTenant(w.a.tenantId, (tx) =>
      raiseAlert(tx, { tenantId: w.a.tenantId, type: "quota:exhausted", severity: "LOW", title: "Test scăzut", message: "doar în aplicație", dedupeKey: "test:low" }, w.clock()),
    );
    const pending = await w.admin.query<{ tenant_id: string; severity: string }>(`SELECT tenant_id, severity FROM alerts WHERE resolved_at IS NULL AND notified_at IS NULL`);
    const loud = pending.rows.filter((r) => r.severity !== "LOW");
    // At least the ban of the phone-health test and the tenant bounce rate's … whatever is still open.
    expect(loud.length).toBeGreaterThanOrEqual(2);
    const emailsBefore = (await w.sims.control.messages({ provider: "resend" })).length;

    await w.run(alertNotifyJob);
    await w.run(alertNotifyJob);

    expect(w.slack.received).toHaveLength(loud.length);
    const first = w.slack.received[0]!.body as { text: string; blocks: unknown[] };
    expect(first.text).toMatch(/^\[(HIGH|CRITICAL|MEDIUM)\] /);
    const emails = (await w.sims.control.messages({ provider: "resend" })).slice(emailsBefore);
    // Each tenant has one manager and one admin.
    expect(emails).toHaveLength(loud.length * 2);
    const recipientsOf = (tenantId: string) => (tenantId === w.a.tenantId ? [w.a.users.MANAGER.email, w.a.users.ADMIN.email] : [w.b.users.MANAGER.email, w.b.users.ADMIN.email]);
    expect(new Set(emails.map((e) => e.to))).toEqual(new Set(loud.flatMap((l) => recipientsOf(l.tenant_id))));
    expect((await w.admin.query(`SELECT count(*)::int AS n FROM alerts WHERE resolved_at IS NULL AND notified_at IS NULL`)).rows[0]).toEqual({ n: 0 });
  });
});
