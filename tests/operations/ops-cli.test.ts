/**
 * `npm run ops` commands run in-process (runOps) against a database of their own with two tenants,
 * phones, leads, log rows and review items: each command does what the runbook section says, --dry-run
 * writes nothing, a second run finds nothing to do, refusals and usage errors have their exit codes,
 * and every run is in the tenant's audit log. The other tenant is never touched.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runOps } from "../../scripts/lib/ops-cli";
import { phoneStatusKey, quotaKey } from "../../server/quota/keys";
import { insertMessage, insertReview } from "../support/factories";
import { insertLead } from "../sequences/support";
import { startMonitorWorld, type MonitorWorld } from "../monitoring/support";

let w: MonitorWorld;
let phoneA: string;
let phoneB: string;

beforeAll(async () => {
  w = await startMonitorWorld("ops_cli", 11);
  phoneA = await w.addPhone(w.a.tenantId, "+40740000101");
  phoneB = await w.addPhone(w.b.tenantId, "+40740000202");
}, 120_000);
afterAll(async () => w?.close());

async function ops(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await runOps(argv, { boss: w.boss, clock: w.clock, store: w.store }, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}
const phoneStatus = async (id: string) => (await w.admin.query<{ status: string }>("SELECT status FROM wa_phone_numbers WHERE id = $1", [id])).rows[0]!.status;
const audits = async (tenantId: string, action: string) =>
  (await w.admin.query<{ actor_name: string | null; actor_type: string }>("SELECT after->>'actor' AS actor_name, actor_type FROM audit_log WHERE tenant_id = $1 AND action = $2", [tenantId, action])).rows;

describe("npm run ops", () => {
  it("prints the usage on help, and exits 2 on an unknown command or option", async () => {
    const help = await ops("help");
    expect(help.code).toBe(0);
    expect(help.out).toContain("morning-check");
    expect((await ops("frobnicate")).code).toBe(2);
    const bad = await ops("quota", "show", "--nope");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--nope");
  });

  it("morning and evening checks report per tenant and are audited", async () => {
    const morning = await ops("morning-check", "--tenant", w.a.tenantId);
    expect(morning.code).toBe(0);
    expect(morning.out).toContain("MORNING CHECK");
    expect(morning.out).toContain("Vânzări 101");
    expect(morning.out).not.toContain("Vânzări 202");
    const evening = await ops("evening-check", "--tenant", w.a.tenantId, "--json");
    expect(evening.code).toBe(0);
    expect(JSON.parse(evening.out)).toHaveLength(1);
    expect(await audits(w.a.tenantId, "ops.morning_check")).toHaveLength(1);
    expect(await audits(w.a.tenantId, "ops.evening_check")).toHaveLength(1);
    expect(await audits(w.b.tenantId, "ops.morning_check")).toHaveLength(0);
  });

  it("phone offline: the dry run changes nothing, the run moves the phone and raises the alert, a second run has nothing to do", async () => {
    const dry = await ops("phone", "offline", "Vânzări 101", "--reason", "QR expirat", "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.out).toContain("[dry run]");
    expect(await phoneStatus(phoneA)).toBe("ACTIVE");

    const run = await ops("phone", "offline", "Vânzări 101", "--reason", "QR expirat");
    expect(run.code, run.err).toBe(0);
    expect(await phoneStatus(phoneA)).toBe("OFFLINE");
    expect(await w.redis.hget(phoneStatusKey(phoneA), "status")).toBe("OFFLINE");
    const alerts = await w.admin.query("SELECT type FROM alerts WHERE tenant_id = $1 AND resolved_at IS NULL", [w.a.tenantId]);
    expect(alerts.rows.map((r) => r.type)).toContain("phone:offline");

    const again = await ops("phone", "offline", "+40740000101", "--reason", "QR expirat");
    expect(again.code).toBe(0);
    expect(again.out).toContain("nothing to do");

    const back = await ops("phone", "reconnected", phoneA);
    expect(back.code, back.err).toBe(0);
    expect(await phoneStatus(phoneA)).toBe("ACTIVE");
    expect(await phoneStatus(phoneB)).toBe("ACTIVE");
    const rows = await audits(w.a.tenantId, "phone.status_changed");
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.actor_type === "SYSTEM" && r.actor_name?.startsWith("ops:phone"))).toBe(true);
  });

  it("phone add is idempotent; a missing reason is a usage error", async () => {
    const args = ["phone", "add", "--tenant", w.a.tenantId, "--label", "Vânzări 303", "--number", "+40740000303", "--status", "QUARANTINE"];
    expect((await ops(...args, "--dry-run")).out).toContain("[dry run]");
    expect((await w.admin.query("SELECT 1 FROM wa_phone_numbers WHERE phone_number = '+40740000303'")).rowCount).toBe(0);
    const added = await ops(...args, "--json");
    expect(added.code, added.err).toBe(0);
    const { phoneId } = JSON.parse(added.out) as { phoneId: string };
    w.phones.push(phoneId);
    expect(await phoneStatus(phoneId)).toBe("QUARANTINE");
    expect((await ops(...args)).out).toContain("nothing to do");
    expect((await ops("phone", "banned", "Vânzări 303")).code).toBe(2);
  });

  it("quota adjust and resync: the dry run writes nothing, resync raises a counter to the log", async () => {
    const { leadId, journeyId } = await insertLead(w.db.adminUrl, w.a.tenantId, { state: "CONTACTED_WA" });
    const day = "2026-03-02";
    for (let i = 0; i < 3; i += 1) {
      await insertMessage(w.admin, {
        tenantId: w.a.tenantId, journeyId: journeyId!, leadId, channel: "WHATSAPP", direction: "OUTBOUND", status: "SENT",
        quotaCost: i === 0 ? 1 : 0, phoneId: phoneA, createdAt: new Date(w.clock().getTime() - 60_000 * (i + 1)), metadata: { usageDate: day },
      });
    }
    const dryAdjust = await ops("quota", "adjust", "Vânzări 101", "--used", "150", "--reason", "test", "--dry-run");
    expect(dryAdjust.code, dryAdjust.err).toBe(0);
    expect(await w.redis.get(quotaKey(w.a.tenantId, phoneA, day))).toBeNull();

    const resync = await ops("quota", "resync", "--tenant", w.a.tenantId);
    expect(resync.code, resync.err).toBe(0);
    // One new-contact unit in today's log (the other rows are follow-ups).
    expect(Number(await w.redis.get(quotaKey(w.a.tenantId, phoneA, day)))).toBe(1);
    expect((await ops("quota", "resync", "--tenant", w.a.tenantId)).out).toContain("0 counters raised");

    const adjust = await ops("quota", "adjust", "Vânzări 101", "--used", "150", "--reason", "test");
    expect(adjust.code, adjust.err).toBe(0);
    expect(Number(await w.redis.get(quotaKey(w.a.tenantId, phoneA, day)))).toBe(150);
    const show = await ops("quota", "show", "--tenant", w.a.tenantId);
    expect(show.out).toMatch(/150\/200\s+log 1/);
  });

  it("archive moves log rows older than 90 days, keeps those a review item points at, and finds nothing on a second run", async () => {
    const { leadId, journeyId } = await insertLead(w.db.adminUrl, w.a.tenantId, { state: "CONTACTED_WA" });
    const old = new Date(w.clock().getTime() - 100 * 86_400_000);
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push(await insertMessage(w.admin, { tenantId: w.a.tenantId, journeyId: journeyId!, leadId, channel: "WHATSAPP", direction: "INBOUND", status: "DELIVERED", createdAt: old }));
    }
    // A review item (LOW, so the reassignment below does not take it) still shows the first row.
    await insertReview(w.admin, { tenantId: w.a.tenantId, journeyId: journeyId!, leadId, reason: "KEYWORD_TRIGGER", priority: "LOW", slaDueAt: old, triggerMessageId: ids[0] });
    const dry = await ops("archive", "--tenant", w.a.tenantId, "--dry-run");
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain("2 rows older than");
    expect((await w.admin.query("SELECT 1 FROM gold_communication_log_archive")).rowCount).toBe(0);

    const run = await ops("archive", "--tenant", w.a.tenantId);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain("2 rows archived");
    const left = await w.admin.query<{ id: string }>("SELECT id FROM gold_communication_log WHERE id = ANY($1)", [ids]);
    expect(left.rows.map((r) => r.id)).toEqual([ids[0]]);
    expect((await w.admin.query("SELECT 1 FROM gold_communication_log_archive WHERE id = ANY($1)", [ids])).rowCount).toBe(2);
    expect((await ops("archive", "--tenant", w.a.tenantId)).out).toContain("0 rows archived");
  });

  it("review reassign gives pending URGENT items to one person; an unknown person is refused", async () => {
    const { leadId, journeyId } = await insertLead(w.db.adminUrl, w.a.tenantId, { state: "WARM_REPLY" });
    for (let i = 0; i < 2; i += 1) {
      await insertReview(w.admin, { tenantId: w.a.tenantId, journeyId: journeyId!, leadId, reason: "COMPLAINT", priority: "URGENT", slaDueAt: new Date(w.clock().getTime() - 3_600_000) });
    }
    const manager = w.a.users.MANAGER.email;
    const dry = await ops("review", "reassign", "--tenant", w.a.tenantId, "--to", manager, "--dry-run");
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain("[dry run] would assign 2");
    const run = await ops("review", "reassign", "--tenant", w.a.tenantId, "--to", manager);
    expect(run.code, run.err).toBe(0);
    const assigned = await w.admin.query("SELECT 1 FROM human_review_queue WHERE assigned_to_user = $1 AND status = 'ASSIGNED'", [w.a.users.MANAGER.id]);
    expect(assigned.rowCount).toBe(2);
    expect((await ops("review", "reassign", "--tenant", w.a.tenantId, "--to", manager)).out).toContain("Nothing to assign: 0");
    const nobody = await ops("review", "reassign", "--tenant", w.a.tenantId, "--to", "nimeni@example.ro");
    expect(nobody.code).toBe(1);
    expect(nobody.err).toContain("ASSIGNEE_NOT_FOUND");
  });

  it("recover rebuilds Redis for every tenant after it lost its data; the dry run writes nothing", async () => {
    await w.redis.del(phoneStatusKey(phoneA), phoneStatusKey(phoneB), quotaKey(w.a.tenantId, phoneA, "2026-03-02"));
    const dry = await ops("recover", "--dry-run");
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain("[dry run]");
    expect(await w.redis.exists(phoneStatusKey(phoneA))).toBe(0);

    const run = await ops("recover", "--json");
    expect(run.code, run.err).toBe(0);
    expect(await w.redis.hget(phoneStatusKey(phoneA), "status")).toBe("ACTIVE");
    expect(await w.redis.hget(phoneStatusKey(phoneB), "status")).toBe("ACTIVE");
    // The counter comes back from the log (1 new contact), not from the emergency adjustment.
    expect(Number(await w.redis.get(quotaKey(w.a.tenantId, phoneA, "2026-03-02")))).toBe(1);
    expect(await audits(w.a.tenantId, "operations.recover")).toHaveLength(1);
    expect(await audits(w.b.tenantId, "operations.recover")).toHaveLength(1);
  });

  it("bounce report lists the tenant's email figures", async () => {
    const r = await ops("bounce", "report", "--tenant", w.a.tenantId, "--hours", "48");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("BOUNCES");
    expect(r.out).toContain("last 48 h");
  });
});
