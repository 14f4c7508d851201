/**
 * The runbook as commands (`npm run ops -- <command>`; docs/runbook.md maps every runbook section to
 * one). Each command calls the same use case the operations page's buttons call, so both are equally
 * safe: commands that change something accept --dry-run (show what would happen, write nothing), are
 * idempotent (a second run finds nothing left to do) and are audited in the tenant's audit log as
 * "ops:<command> (<user>@<host>)". Reports are audited too (who looked, when).
 *
 * Kept apart from scripts/ops.ts (which only finds the services and calls `runOps`) so tests run every
 * command in-process against their own database.
 */
import { hostname, userInfo } from "node:os";
import { parseArgs } from "node:util";
import type { PgBoss } from "pg-boss";
import type { Actor } from "../../server/audit/actor";
import type { QuotaStore } from "../../server/quota/store.server";
import { waSendQueue } from "../../jobs/queues";

export interface OpsIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface OpsRuntime {
  boss: PgBoss;
  clock?: () => Date;
  /** The quota store; the process's own (REDIS_URL) unless a test gives its own. */
  store?: QuotaStore;
}

export const USAGE = `npm run ops -- <command> [options]

Daily checks (runbook §1)
  morning-check [--tenant <slug|id>]            phones, quota reset, reviews, queues, SLA overnight, TimelinesAI
  evening-check [--tenant <slug|id>]            the day's figures, failed jobs, archive status
Phones (runbook §2)
  phone offline <phone> --reason <text>         mark a phone OFFLINE (alert phone:offline)
  phone reconnected <phone>                     back to ACTIVE after the QR scan (§2.1 step 4)
  phone banned <phone> --reason <text>          BANNED: leads reassigned, queued sends cancelled (§2.2)
  phone add --tenant <t> --label <l> --number <+40…> --account <jid> [--limit 200] [--status ACTIVE]
Quota (runbook §3)
  quota show [--tenant <t>]                     today's counters next to the log (leak check)
  quota resync [--tenant <t>]                   rebuild counters and mirrors from the log
  quota adjust <phone> --used <n> --reason <t>  emergency adjustment (§3.1 step 4)
Email deliverability (runbook §4)
  bounce report [--tenant <t>] [--hours 24]     campaigns' bounce rates and the addresses that bounced
Review queue (runbook §5)
  review reassign --tenant <t> --to <email> [--priority URGENT] [--limit 10]
Recovery (runbook §6)
  recover [--tenant <t>]                        rebuild Redis from the log, re-create pending follow-ups
Maintenance (runbook §8)
  archive [--tenant <t>] [--older-than-days 90] move old communication log rows to the archive

Common: --dry-run (change nothing, show the plan), --json (machine-readable output).
<phone> is a phone's id, its number (+40…) or its label.`;

const OPTIONS = {
  tenant: { type: "string" },
  reason: { type: "string" },
  label: { type: "string" },
  number: { type: "string" },
  account: { type: "string" },
  limit: { type: "string" },
  status: { type: "string" },
  used: { type: "string" },
  hours: { type: "string" },
  to: { type: "string" },
  priority: { type: "string" },
  "older-than-days": { type: "string" },
  "dry-run": { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean" },
} as const;

class UsageError extends Error {}

function int(value: string | undefined, name: string, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be a whole number, not "${value}"`);
  return n;
}

function required(value: string | undefined, name: string): string {
  if (!value || value.trim() === "") throw new UsageError(`--${name} is required`);
  return value.trim();
}

/** Runs one command; resolves with the process exit code (0 done, 1 failed, 2 usage). */
export async function runOps(argv: string[], runtime: OpsRuntime, io: OpsIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, sub, target] = positionals;
  if (!command || values.help || command === "help") {
    io.out(`${USAGE}\n`);
    return command || values.help ? 0 : 2;
  }
  const { withTenant, activeTenantIds } = await import("../../server/db/client.server");
  const { recordAudit } = await import("../../server/audit/audit.server");
  const { getQuotaStore } = await import("../../server/quota/index.server");
  const { pgBossPendingSends } = await import("../../server/phones/pending-sends.server");
  const { DomainError } = await import("../../server/errors");
  const { systemClock } = await import("../../server/clock");

  const clock = runtime.clock ?? systemClock;
  const dryRun = values["dry-run"] === true;
  const name = [command, sub].filter(Boolean).join(" ");
  const actor: Actor = { type: "SYSTEM", name: `ops:${name} (${safeUser()}@${hostname()})` };
  const store = runtime.store ?? getQuotaStore();
  const deps = { clock, boss: runtime.boss, redis: store.redis, store, pendingSends: pgBossPendingSends(runtime.boss) };
  const print = (human: string, data: unknown) => io.out(values.json ? `${JSON.stringify(data, null, 2)}\n` : `${human}\n`);

  /** Every active tenant with its slug and name (RLS: read inside each tenant). */
  const allTenants = async () =>
    Promise.all(
      (await activeTenantIds()).map((id) => withTenant(id, async (tx) => ({ id, ...(await tx.tenant.findUniqueOrThrow({ where: { id }, select: { slug: true, name: true } })) }))),
    );
  const tenantsFor = async (wanted: string | undefined) => {
    const all = await allTenants();
    if (!wanted) return all;
    const hit = all.filter((t) => t.id === wanted || t.slug === wanted);
    if (hit.length === 0) throw new UsageError(`no active tenant "${wanted}" (known: ${all.map((t) => t.slug).join(", ")})`);
    return hit;
  };
  /** A phone by id, number or label, in whichever tenant has it (exactly one). */
  const findPhone = async (ref: string | undefined, wantedTenant?: string) => {
    const key = required(ref, "phone (the argument)");
    const hits: Array<{ tenantId: string; tenantSlug: string; phone: { id: string; label: string; phoneNumber: string; status: string; dailyQuotaLimit: number } }> = [];
    for (const t of await tenantsFor(wantedTenant)) {
      const phones = await withTenant(t.id, (tx) =>
        tx.waPhoneNumber.findMany({
          where: { OR: [...(/^[0-9a-f-]{36}$/i.test(key) ? [{ id: key }] : []), { phoneNumber: key }, { label: key }] },
          select: { id: true, label: true, phoneNumber: true, status: true, dailyQuotaLimit: true },
        }),
      );
      for (const phone of phones) hits.push({ tenantId: t.id, tenantSlug: t.slug, phone });
    }
    if (hits.length === 0) throw new UsageError(`no phone "${key}"`);
    if (hits.length > 1) throw new UsageError(`"${key}" names ${hits.length} phones (${hits.map((h) => `${h.tenantSlug}/${h.phone.label}`).join(", ")}); use the phone's id or --tenant`);
    return hits[0]!;
  };
  const auditReport = (tenantId: string, action: string, after: object) =>
    withTenant(tenantId, (tx) => recordAudit(tx, { tenantId, actor, action, entityType: "operations", entityId: null, after }));

  try {
    switch (command) {
      case "morning-check":
      case "evening-check": {
        const { morningCheck, eveningCheck } = await import("../../server/operations/reports.server");
        const { renderMorning, renderEvening } = await import("./ops-render");
        const reports = [];
        for (const t of await tenantsFor(values.tenant)) {
          if (command === "morning-check") {
            const r = await morningCheck(deps, t.id);
            reports.push(r);
            if (!values.json) io.out(`${renderMorning(r)}\n`);
          } else {
            const r = await eveningCheck(deps, t.id);
            reports.push(r);
            if (!values.json) io.out(`${renderEvening(r)}\n`);
          }
          await auditReport(t.id, `ops.${command.replace("-", "_")}`, { command });
        }
        if (values.json) io.out(`${JSON.stringify(reports, null, 2)}\n`);
        return 0;
      }

      case "phone": {
        const { changePhoneStatus, addPhone } = await import("../../server/phones/lifecycle.server");
        const { checkPhoneTransition, UNASSIGN_ON_BAN_STATES } = await import("../../server/phones/status");
        if (sub === "add") {
          const tenant = (await tenantsFor(required(values.tenant, "tenant")))[0]!;
          const input = {
            tenantId: tenant.id,
            actor,
            label: required(values.label, "label"),
            phoneNumber: required(values.number, "number"),
            timelinesaiAccountId: values.account ?? `${required(values.number, "number").replace(/^\+/, "")}@s.whatsapp.net`,
            dailyQuotaLimit: values.limit === undefined ? null : int(values.limit, "limit"),
            status: (values.status ?? "ACTIVE") as "ACTIVE" | "PAUSED" | "QUARANTINE",
            notes: "added with npm run ops",
          };
          if (!["ACTIVE", "PAUSED", "QUARANTINE"].includes(input.status)) throw new UsageError("--status must be ACTIVE, PAUSED or QUARANTINE");
          const existing = await withTenant(tenant.id, (tx) => tx.waPhoneNumber.findFirst({ where: { OR: [{ phoneNumber: input.phoneNumber }, { timelinesaiAccountId: input.timelinesaiAccountId }] }, select: { id: true, label: true } }));
          if (existing) {
            print(`${input.phoneNumber} is already phone "${existing.label}" (${existing.id}): nothing to do.`, { added: false, phoneId: existing.id });
            return 0;
          }
          if (dryRun) {
            print(`[dry run] would add ${input.label} ${input.phoneNumber} (${input.timelinesaiAccountId}) to ${tenant.slug} as ${input.status}, limit ${input.dailyQuotaLimit ?? "the tenant's default"}, and write its Redis mirror.`, { dryRun: true, ...input, actor: undefined });
            return 0;
          }
          const phone = await addPhone({ store, pendingSends: deps.pendingSends, clock }, (fn) => withTenant(tenant.id, fn), input);
          print(`Added ${phone.label} ${phone.phoneNumber} (${phone.id}) to ${tenant.slug}: ${phone.status}, limit ${phone.dailyQuotaLimit}/day, Redis mirror written.`, { added: true, phoneId: phone.id });
          return 0;
        }
        const to = sub === "offline" ? "OFFLINE" : sub === "banned" ? "BANNED" : sub === "reconnected" ? "ACTIVE" : null;
        if (!to) throw new UsageError(`unknown phone command "${sub ?? ""}" (offline, reconnected, banned, add)`);
        const { tenantId, tenantSlug, phone } = await findPhone(target, values.tenant);
        const reason = to === "ACTIVE" ? (values.reason ?? "reconnected in TimelinesAI") : required(values.reason, "reason");
        const check = checkPhoneTransition(phone.status as never, to);
        if (!check.ok) throw new DomainError("CONFLICT", check.code, check.message);
        if (check.noop) {
          print(`${tenantSlug}/${phone.label} is already ${to}: nothing to do.`, { changed: false, phoneId: phone.id, status: to });
          return 0;
        }
        if (dryRun) {
          const leads = to === "BANNED" ? await withTenant(tenantId, (tx) => tx.goldLeadJourney.count({ where: { assignedPhoneId: phone.id, currentState: { in: [...UNASSIGN_ON_BAN_STATES] } } })) : 0;
          const queued = to === "BANNED" ? (await runtime.boss.findJobs(waSendQueue(tenantId), { key: phone.id, queued: true }).catch(() => [])).length : 0;
          print(
            `[dry run] would move ${tenantSlug}/${phone.label} ${phone.status} → ${to} ("${reason}")` +
              (to === "BANNED" ? `, take ${leads} COLD/CONTACTED_WA leads off it and cancel ${queued} queued sends` : "") +
              (to === "OFFLINE" || to === "BANNED" ? `, and raise ${to === "BANNED" ? "phone:banned" : "phone:offline"}.` : "."),
            { dryRun: true, phoneId: phone.id, from: phone.status, to, unassignLeads: leads, cancelSends: queued },
          );
          return 0;
        }
        const r = await changePhoneStatus({ store, pendingSends: deps.pendingSends, clock }, (fn) => withTenant(tenantId, fn), { tenantId, actor, phoneId: phone.id, to, reason });
        print(
          `${tenantSlug}/${phone.label}: ${r.from} → ${r.phone.status}` +
            (to === "BANNED" ? `; ${r.unassignedLeads} leads reassigned, ${r.cancelledSends ?? "?"} queued sends cancelled` : "") +
            (r.alertRaised ? "; alert raised." : "."),
          { changed: r.changed, phoneId: phone.id, from: r.from, to: r.phone.status, unassignedLeads: r.unassignedLeads, cancelledSends: r.cancelledSends, alertRaised: r.alertRaised },
        );
        return 0;
      }

      case "quota": {
        const { quotaReport } = await import("../../server/operations/quota-report.server");
        if (sub === "show" || (sub === "resync" && dryRun)) {
          const out = [];
          for (const t of await tenantsFor(values.tenant)) {
            const r = await quotaReport(deps, t.id);
            out.push({ tenant: t.slug, ...r });
            if (!values.json) {
              io.out(`${t.name} (${t.slug}) — ${r.usageDate}${sub === "resync" ? " [dry run: resync raises every counter below its log count]" : ""}\n`);
              for (const p of r.phones) {
                const flag = p.used === null ? "  ← not in Redis" : p.aheadOfLog !== null && p.aheadOfLog < 0 ? "  ← below the log (resync raises it)" : p.aheadOfLog ? `  ← ${p.aheadOfLog} ahead of the log (in flight, or a leak)` : "";
                io.out(`  ${p.label.padEnd(16)} ${p.status.padEnd(11)} ${String(p.used ?? "—").padStart(4)}/${p.limit}  log ${p.logged}${flag}\n`);
              }
            }
            await auditReport(t.id, "ops.quota_show", { dryRun });
          }
          if (values.json) io.out(`${JSON.stringify(out, null, 2)}\n`);
          return 0;
        }
        if (sub === "resync") {
          const { resyncTenants } = await import("../../server/quota/resync.server");
          const { healQuotaStore } = await import("../../server/quota/heal.server");
          const tenants = await tenantsFor(values.tenant);
          const results = values.tenant
            ? await resyncTenants({ store, clock }, tenants.map((t) => t.id), actor)
            : (await healQuotaStore({ store, clock }, tenants.map((t) => t.id), actor, "operator")).tenants;
          const lines = results.map((r) => {
            const raised = r.phones.filter((p) => p.after !== p.before);
            return `${tenants.find((t) => t.id === r.tenantId)?.slug ?? r.tenantId} ${r.usageDate}: ${r.phones.length} phones mirrored, ${raised.length} counters raised to the log` + raised.map((p) => `\n  ${p.phoneId} ${p.before} -> ${p.after}`).join("");
          });
          print(lines.join("\n"), results);
          return 0;
        }
        if (sub === "adjust") {
          const { adjustQuota } = await import("../../server/phones/lifecycle.server");
          const { tenantId, tenantSlug, phone } = await findPhone(target, values.tenant);
          const used = int(values.used, "used");
          const reason = required(values.reason, "reason");
          if (dryRun) {
            const r = (await quotaReport(deps, tenantId)).phones.find((p) => p.phoneId === phone.id);
            print(`[dry run] would set ${tenantSlug}/${phone.label}'s count for today from ${r?.used ?? 0} to ${used} (limit ${phone.dailyQuotaLimit}), reason "${reason}".`, { dryRun: true, phoneId: phone.id, before: r?.used ?? 0, after: used });
            return 0;
          }
          const r = await adjustQuota({ store, pendingSends: deps.pendingSends, clock }, (fn) => withTenant(tenantId, fn), { tenantId, actor, phoneId: phone.id, used, reason });
          print(`${tenantSlug}/${phone.label} ${r.usageDate}: ${r.before} -> ${r.after} (limit ${r.limit}).`, r);
          return 0;
        }
        throw new UsageError(`unknown quota command "${sub ?? ""}" (show, resync, adjust)`);
      }

      case "bounce": {
        if (sub !== "report") throw new UsageError(`unknown bounce command "${sub ?? ""}" (report)`);
        const { bounceReport } = await import("../../server/operations/bounce-report.server");
        const { renderBounces } = await import("./ops-render");
        const out = [];
        for (const t of await tenantsFor(values.tenant)) {
          const r = await bounceReport({ clock }, t.id, { hours: int(values.hours, "hours", 24) });
          out.push({ tenant: t.slug, ...r });
          if (!values.json) io.out(`${renderBounces(t.name, r)}\n`);
          await auditReport(t.id, "ops.bounce_report", { hours: r.hours });
        }
        if (values.json) io.out(`${JSON.stringify(out, null, 2)}\n`);
        return 0;
      }

      case "review": {
        if (sub !== "reassign") throw new UsageError(`unknown review command "${sub ?? ""}" (reassign)`);
        const { reassignReviews } = await import("../../server/operations/review-reassign.server");
        const tenant = (await tenantsFor(required(values.tenant, "tenant")))[0]!;
        const priority = (values.priority ?? "URGENT").toUpperCase();
        if (!["URGENT", "HIGH", "MEDIUM", "LOW"].includes(priority)) throw new UsageError("--priority must be URGENT, HIGH, MEDIUM or LOW");
        const r = await reassignReviews({ clock }, tenant.id, { assignee: required(values.to, "to"), priority: priority as "URGENT", limit: int(values.limit, "limit", 10), dryRun, actor });
        print(
          `${dryRun ? "[dry run] would assign" : r.items.length ? "Assigned" : "Nothing to assign:"} ${r.items.length} pending ${priority} item(s) to ${r.assignee.name} <${r.assignee.email}>` +
            r.items.map((i) => `\n  ${i.id} due ${i.slaDueAt.toISOString()}${i.overdue ? " (past SLA)" : ""}`).join(""),
          r,
        );
        return 0;
      }

      case "recover": {
        const { recoverTenant } = await import("../../server/operations/recovery.server");
        const { healQuotaStore } = await import("../../server/quota/heal.server");
        const tenants = await tenantsFor(values.tenant);
        const plans = [];
        // All tenants: Redis is rebuilt once for every tenant below, which also rewrites the quota
        // store's sentinel; one tenant: its own resync inside recoverTenant.
        for (const t of tenants) plans.push({ tenant: t.slug, ...(await recoverTenant({ store, clock }, t.id, { dryRun, actor, resync: Boolean(values.tenant) })) });
        if (!dryRun && !values.tenant) {
          const heal = await healQuotaStore({ store, clock }, tenants.map((t) => t.id), actor, "operator");
          for (const p of plans) {
            const r = heal.tenants.find((x) => x.tenantId === p.tenantId);
            p.phones = r?.phones.length ?? 0;
            p.countersRaised = r?.phones.filter((x) => x.after !== x.before).length ?? 0;
          }
        }
        print(
          plans
            .map((p) => `${dryRun ? "[dry run] " : ""}${p.tenant}: ${p.lostLeases} leads whose queued send was lost ${dryRun ? "would be" : "are"} due again, ${p.missingNextAction} follow-up dates restored from their enrollment${dryRun ? "; Redis would be rebuilt from the log" : `; ${p.phones} phones mirrored, ${p.countersRaised} counters raised to the log`}.`)
            .join("\n"),
          plans,
        );
        return 0;
      }

      case "archive": {
        const { archiveCommunicationLog } = await import("../../server/operations/archive.server");
        const plans = [];
        for (const t of await tenantsFor(values.tenant)) {
          const r = await archiveCommunicationLog(t.id, { now: clock(), olderThanDays: int(values["older-than-days"], "older-than-days", 90), dryRun, actor });
          plans.push({ tenant: t.slug, ...r });
        }
        print(
          plans
            .map((p) =>
              dryRun
                ? `[dry run] ${p.tenant}: ${p.olderThanCutoff - p.heldByReviews} rows older than ${p.cutoff.toISOString().slice(0, 10)} would move to the archive (${p.heldByReviews} stay: a review item points at them); ${p.inArchive} already archived.`
                : `${p.tenant}: ${p.archived} rows archived (older than ${p.cutoff.toISOString().slice(0, 10)}), ${p.heldByReviews} kept for their review items; ${p.inArchive} in the archive now.`,
            )
            .join("\n"),
          plans,
        );
        return 0;
      }

      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof DomainError) {
      io.err(`refused (${error.code}): ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}
