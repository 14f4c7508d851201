/**
 * One demo tenant: users, phones, templates, sequences, leads, and a past produced by running the
 * product's rules over the last HISTORY_DAYS days (history.ts). Statistics are then computed from
 * that past by the same function the nightly job uses (server/stats/daily-stats.server.ts).
 *
 * The past: leads arrive in daily imports before the sending window opens (about half of them, at
 * most MAX_IMPORT_PER_DAY a day, which the tenant's phones and dispatch carry; a bigger daily flow
 * would only pile up as due leads), and the rest in an import that has just landed at "now" and that
 * dispatch has not reached yet (the large benchmark seed is mostly that import).
 */
import { performance } from "node:perf_hooks";
import type pg from "pg";
import { DateTime } from "luxon";
import { calendarFor } from "../../server/quota/window";
import { draftFromTemplate } from "../../server/replies/answers/templates";
import type { ReplyIntent } from "../../server/replies/understanding";
import { quotaSettingsFromTenant } from "../../server/quota/settings";
import { recomputeBreakdowns } from "../../server/stats/breakdowns.server";
import { recomputeDailyStatsRange } from "../../server/stats/daily-stats.server";
import { addDays, localDay } from "../../server/stats/day";
import { goldImportSource, type LegalBasis } from "../../server/leads/provenance";
import { insertObjects, type ObjectColumn } from "./bulk";
import { SEQUENCES, TEMPLATES } from "./content";
import { companyRow, personName, romanianMobile, type CompanyFactoryRow } from "./factories";
import {
  DAY,
  HOUR,
  MINUTE,
  PastSimulation,
  type SimAudit,
  type SimDnc,
  type SimEnrollment,
  type SimHistoryRow,
  type SimLead,
  type SimMessage,
  type SimPhone,
  type SimReview,
  type SimSequence,
  type SimTemplate,
  type SimUser,
} from "./history";
import { Rng } from "./random";

export const DEMO_PASSWORD = "Cerniq!2026";

export const DEMO_TENANTS = [
  { name: "AgroVerde Distribuție SRL", slug: "agroverde", domain: "agroverde.ro", phones: 20 },
  { name: "Câmpia Fertilă Agro SRL", slug: "campiafertila", domain: "campiafertila.ro", phones: 5 },
] as const;

/** Days of simulated past before today. */
export const HISTORY_DAYS = 60;
/** At most this many leads imported a day during the past (see the module comment). */
const MAX_IMPORT_PER_DAY = 1500;
/** Share of the leads that arrive during the past; the rest is the import that has just landed. */
const HISTORY_SHARE = 0.5;

/**
 * The WhatsApp numbers of a demo tenant. The first tenant's are the sandbox TimelinesAI workspace's
 * accounts (server/simulators/launcher.ts DEFAULT_ACCOUNTS, checked by tests/seed), so in sandbox
 * mode its phones send through accounts the simulator knows.
 */
export function demoPhoneNumber(tenantIndex: number, n: number): string {
  return `+40740${tenantIndex === 0 ? "00" : String(tenantIndex).padStart(2, "0")}${String(100 + n).padStart(4, "0")}`;
}

/** A v4-shaped UUID from the seeded RNG, so re-seeding gives the same ids. */
function uuid(rng: Rng): string {
  const word = () => Math.floor(rng.next() * 0x1_0000_0000).toString(16).padStart(8, "0");
  const a = word();
  const b = word();
  const c = word();
  const d = word();
  const variant = ((parseInt(c[0]!, 16) & 0x3) | 0x8).toString(16);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

const at = (t: number | null | undefined): Date | null => (t === null || t === undefined ? null : new Date(t));
const e164 = (phone: string) => `+${phone.replace(/\D/g, "")}`;

export interface TenantSeedInput {
  tenant: (typeof DEMO_TENANTS)[number];
  /** Position among DEMO_TENANTS (phone numbers, chat ids); defaults to the tenant's own. */
  tenantIndex?: number;
  seed: number;
  leadCount: number;
  passwordHash: string;
  now: Date;
}

export interface TenantSeedSummary {
  tenantId: string;
  companies: number;
  contacted: number;
  phones: number;
  messages: number;
  reviews: number;
  statsDays: number;
  /** Leads that arrived during the simulated past (the rest arrived at "now"). */
  leadsInHistory: number;
}

/** SEED_PROFILE=1 prints how long each part of a tenant's seed took. */
const phase = (() => {
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  return (what: string) => {
    const t = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    if (process.env.SEED_PROFILE) process.stdout.write(`[seed]   ${what}: ${((t - last) / 1000).toFixed(1)} s (CPU of this process ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s)\n`);
    last = t;
    lastCpu = process.cpuUsage();
  };
})();

export async function buildTenantSeed(client: pg.ClientBase, input: TenantSeedInput): Promise<TenantSeedSummary> {
  const { tenant } = input;
  phase("start");
  const tenantIndex = input.tenantIndex ?? DEMO_TENANTS.findIndex((d) => d.slug === tenant.slug);
  const now = input.now.getTime();
  const rng = new Rng(input.seed);
  const id = () => uuid(rng);
  const tenantId = id();

  const t = (
    await client.query<{
      timezone: string; sending_days: number[]; sending_start_hour: number; sending_end_hour: number; wa_daily_quota: number; settings: unknown;
      jitter_min_seconds: number; jitter_max_seconds: number; sentiment_auto_threshold: number; dispatch_batch_size: number;
      sla_urgent_minutes: number; sla_high_minutes: number; sla_medium_minutes: number; sla_low_minutes: number;
    }>(
      `INSERT INTO tenants (id, name, slug, auto_answer_mode, settings) VALUES ($1, $2, $3, 'APPROVAL', $4)
       RETURNING timezone, sending_days, sending_start_hour, sending_end_hour, wa_daily_quota, settings, jitter_min_seconds, jitter_max_seconds,
                 sentiment_auto_threshold, dispatch_batch_size, sla_urgent_minutes, sla_high_minutes, sla_medium_minutes, sla_low_minutes`,
      [tenantId, tenant.name, tenant.slug, JSON.stringify({ companyDisplayName: tenant.name.replace(/ SRL$/, "") })],
    )
  ).rows[0]!;
  // The tenant's own window, built the way the send path builds it (holidays from settings, default RO).
  const quota = quotaSettingsFromTenant({ timezone: t.timezone, sendingDays: t.sending_days, sendingStartHour: t.sending_start_hour, sendingEndHour: t.sending_end_hour, waDailyQuota: t.wa_daily_quota, settings: t.settings });
  const calendar = calendarFor(quota.window);
  const zone = t.timezone;
  const today = localDay(zone, input.now);
  const firstDay = addDays(today, -HISTORY_DAYS);
  const historyStart = DateTime.fromISO(firstDay, { zone }).toMillis();
  const tenantCreated = historyStart - 21 * DAY;
  await client.query("UPDATE tenants SET created_at = $2, updated_at = $2 WHERE id = $1", [tenantId, at(tenantCreated)]);

  // ── Users: three per role ──────────────────────────────────────────────────────────────────────
  const users: Array<SimUser & { email: string; name: string; locale: string; createdAt: number }> = [];
  for (const [role, prefix] of [["ADMIN", "admin"], ["MANAGER", "manager"], ["SALES_REP", "rep"]] as const) {
    for (let n = 1; n <= 3; n++) {
      users.push({ id: id(), role, email: `${prefix}${n}@${tenant.domain}`, name: personName(rng).full, locale: n === 3 && role === "SALES_REP" ? "en" : "ro", createdAt: tenantCreated + users.length * 7 * MINUTE });
    }
  }
  await insertObjects(client, "users", [
    ["id", "uuid[]", (u) => u.id], ["tenant_id", "uuid[]", () => tenantId], ["email", "text[]", (u) => u.email], ["name", "text[]", (u) => u.name],
    ["password_hash", "text[]", () => input.passwordHash], ["role", "user_role_enum[]", (u) => u.role], ["locale", "text[]", (u) => u.locale],
    ["created_at", "timestamptz[]", (u) => at(u.createdAt)], ["updated_at", "timestamptz[]", (u) => at(u.createdAt)],
  ], users);
  const managers = users.filter((u) => u.role === "MANAGER");

  // ── Phones: connected before the past begins; a few left ACTIVE at some point (see below) ─────────
  interface PhonePlan { label: string; status: "ACTIVE" | "PAUSED" | "OFFLINE" | "QUARANTINE"; reason: string | null; createdAt: number; changedAt: number | null }
  const plans: PhonePlan[] = [];
  for (let n = 1; n <= tenant.phones; n++) {
    const label = `Vânzări ${String(n).padStart(2, "0")}`;
    const connected = tenantCreated + DAY + n * HOUR;
    if (tenant.phones >= 20 && n === 7) {
      // A new number, connected three days ago and paused for warm-up since: it never sent.
      const added = now - 3 * DAY - 5 * HOUR;
      plans.push({ label, status: "PAUSED", reason: "Pauză cerută de manager (încălzire număr nou)", createdAt: added, changedAt: added + 10 * MINUTE });
    } else if (tenant.phones >= 20 && n === 13) {
      plans.push({ label, status: "OFFLINE", reason: "Telefon deconectat de la WhatsApp Web", createdAt: connected, changedAt: now - 26 * HOUR });
    } else if (tenant.phones >= 20 && n === 18) {
      plans.push({ label, status: "QUARANTINE", reason: "Carantină după un avertisment WhatsApp: volum redus până la verificare", createdAt: connected, changedAt: now - 3 * DAY - 2 * HOUR });
    } else if (tenant.phones < 20 && n === 5) {
      plans.push({ label, status: "PAUSED", reason: "Pauză cerută de manager (reputație scăzută)", createdAt: connected, changedAt: now - 10 * DAY - 4 * HOUR });
    } else plans.push({ label, status: "ACTIVE", reason: null, createdAt: connected, changedAt: null });
  }
  const phones: Array<SimPhone & PhonePlan> = plans.map((p, i) => ({
    ...p,
    id: id(),
    number: demoPhoneNumber(tenantIndex, i + 1),
    reputation: rng.int(70, 100),
    activeFrom: p.status === "PAUSED" && p.changedAt !== null && p.changedAt - p.createdAt < HOUR ? Number.POSITIVE_INFINITY : p.createdAt,
    inactiveFrom: p.changedAt,
    queue: [],
    pendingNew: 0,
    wakeAt: null,
    lastSentAt: null,
    nextAllowedAt: 0,
    sentTotal: 0,
    usage: new Map(),
  }));

  // ── Templates, versions, sequences ──────────────────────────────────────────────────────────────
  const templates = new Map<string, SimTemplate>();
  const templateByKey = new Map<string, SimTemplate>();
  for (const tpl of TEMPLATES) {
    const template: SimTemplate = {
      id: id(),
      channel: tpl.channel,
      subject: tpl.subject ?? null,
      variables: tpl.variables,
      versions: tpl.versions.map((v, i) => ({ id: id(), versionNumber: i + 1, weight: v.weight, isActive: true, subject: v.subject ?? null, content: v.content })),
    };
    templates.set(template.id, template);
    templateByKey.set(tpl.key, template);
    await client.query(
      `INSERT INTO outreach_templates (id, tenant_id, name, channel, subject, content, variables, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8)`,
      [template.id, tenantId, tpl.name, tpl.channel, tpl.subject ?? null, tpl.versions[0]?.content ?? "", JSON.stringify(tpl.variables), at(tenantCreated + 2 * DAY)],
    );
    for (const v of template.versions) {
      await client.query(
        `INSERT INTO template_versions (id, tenant_id, template_id, version_number, subject, content, weight, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8)`,
        [v.id, tenantId, template.id, v.versionNumber, v.subject, v.content, v.weight, at(tenantCreated + 2 * DAY)],
      );
    }
  }
  const sequences: SimSequence[] = [];
  for (const s of SEQUENCES) {
    const sequence: SimSequence = {
      id: id(),
      name: s.name,
      isDefault: s.isDefault,
      steps: s.steps.map((step) => {
        const template = templateByKey.get(step.template)!;
        const fallback = step.fallback ? templateByKey.get(step.fallback)! : null;
        return {
          stepNumber: step.stepNumber,
          channel: step.channel,
          templateId: template.id,
          delayHours: step.delayHours,
          delayMinutes: 0,
          stopOnReply: true,
          respectBusinessHours: true,
          fallback: fallback ? { templateId: fallback.id, channel: fallback.channel } : null,
        };
      }),
    };
    sequences.push(sequence);
    await client.query(
      `INSERT INTO outreach_sequences (id, tenant_id, name, description, channel, is_default, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$7)`,
      [sequence.id, tenantId, s.name, s.description, s.steps[0]!.channel, s.isDefault, at(tenantCreated + 2 * DAY + HOUR)],
    );
    for (const [i, step] of sequence.steps.entries()) {
      await client.query(
        `INSERT INTO outreach_sequence_steps (tenant_id, sequence_id, step_number, name, channel, template_id, fallback_template_id, delay_hours, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9)`,
        [tenantId, sequence.id, step.stepNumber, s.steps[i]!.name, step.channel, step.templateId, step.fallback?.templateId ?? null, step.delayHours, at(tenantCreated + 2 * DAY + HOUR)],
      );
    }
  }
  const emailSequence = sequences.find((s) => !s.isDefault)!;

  // ── The do-not-contact list as it stood before the past began ─────────────────────────────────
  const dncBefore: SimDnc[] = [
    { type: "EMAIL", value: `contact@exemplu-${tenant.slug}.ro`, reason: "Cerere de dezabonare", source: "import", createdBy: null, at: tenantCreated + 3 * DAY },
    { type: "DOMAIN", value: "concurenta-agro.ro", reason: "Concurent", source: "manual", createdBy: managers[0]!.id, at: tenantCreated + 3 * DAY + HOUR },
    { type: "PHONE", value: romanianMobile(rng), reason: "A cerut să nu fie contactat", source: "manual", createdBy: managers[1]!.id, at: tenantCreated + 4 * DAY },
  ];
  const dncPhones = new Set(dncBefore.filter((d) => d.type === "PHONE").map((d) => d.value));
  const dncEmails = new Set(dncBefore.filter((d) => d.type === "EMAIL").map((d) => d.value));
  const dncDomains = new Set(dncBefore.filter((d) => d.type === "DOMAIN").map((d) => d.value));

  // ── Imports: the days of the past (sending days only: Etapa 1 delivers on working days) ────────
  const importDays: Array<{ at: number; weight: number }> = [];
  for (let day = firstDay; day <= today; day = addDays(day, 1)) {
    const opening = calendar.nextOpening(DateTime.fromISO(day, { zone }).toJSDate());
    if (localDay(zone, opening) !== day) continue;
    const importAt = opening.getTime() - rng.int(15, 90) * MINUTE;
    if (importAt <= now) importDays.push({ at: importAt, weight: 0.5 + rng.next() });
  }
  const historyLeads = Math.min(Math.round(input.leadCount * HISTORY_SHARE), importDays.length * MAX_IMPORT_PER_DAY);
  const totalWeight = importDays.reduce((s, d) => s + d.weight, 0);
  const perDay = importDays.map((d) => Math.floor((historyLeads * d.weight) / totalWeight));
  if (perDay.length > 0) perDay[perDay.length - 1]! += historyLeads - perDay.reduce((a, b) => a + b, 0);
  // The import that has just landed: after the last dispatch slot, so no run has seen it yet.
  const slotStart = Math.floor(now / (5 * MINUTE)) * 5 * MINUTE;
  const lastImportAt = now - rng.int(0, Math.max(0, now - slotStart - 1));

  const dncOf = (c: CompanyFactoryRow) => {
    const email = c.emailPrincipal?.trim().toLowerCase() ?? null;
    return {
      phone: c.telefonPrincipal !== null && dncPhones.has(e164(c.telefonPrincipal)),
      email: email !== null && dncEmails.has(email),
      domain: email !== null && dncDomains.has(email.slice(email.lastIndexOf("@") + 1)),
    };
  };

  const sim = new PastSimulation(
    {
      settings: {
        tenantId,
        calendar,
        timeZone: zone,
        start: historyStart,
        dailyQuota: t.wa_daily_quota,
        jitter: { jitterMinSeconds: t.jitter_min_seconds, jitterMaxSeconds: t.jitter_max_seconds },
        slaMinutes: { URGENT: t.sla_urgent_minutes, HIGH: t.sla_high_minutes, MEDIUM: t.sla_medium_minutes, LOW: t.sla_low_minutes },
        sentimentThreshold: t.sentiment_auto_threshold,
        dispatchBatchSize: t.dispatch_batch_size,
        now,
      },
      rng,
      uuid: id,
      phones,
      sequences,
      templates,
      users,
    },
    // WhatsApp chat ids, one per lead: distinct across tenants (the sandbox workspace holds both).
    1_000_000 * (tenantIndex + 1),
  );
  for (const d of dncBefore) sim.addDnc(d);

  const simLeads: SimLead[] = [];
  let index = 0;
  for (const [k, day] of importDays.entries()) {
    const batch: SimLead[] = [];
    // What the Gold stage writes on the leads of a run: its id and when it landed (legal basis: the default).
    const source = goldImportSource(goldRunId(k), new Date(day.at));
    for (let n = 0; n < perDay[k]!; n++) {
      const company = companyRow(rng, index);
      const importedAt = day.at + n * 20; // an import writes its rows in order
      const hasWhatsApp = company.telefonPrincipal !== null && company.hlrReachable === true;
      const lead = newLead(index++, id(), id(), company, importedAt, source, dncOf(company));
      // A manager puts the large farms without WhatsApp straight into the email sequence.
      if (!hasWhatsApp && company.emailStatus === "VALID" && company.suprafataAgricolaHa >= 300) lead.managerSequence = emailSequence;
      batch.push(lead);
      simLeads.push(lead);
      sim.markDeadWithoutReply(lead);
    }
    sim.addImport(batch);
  }
  phase(`leads of the past generated (${simLeads.length})`);
  const result = sim.simulate();
  phase("past simulated");

  // ── Rows ─────────────────────────────────────────────────────────────────────────────────────────
  await insertObjects(client, "wa_phone_numbers", [
    ["id", "uuid[]", (p) => p.id], ["tenant_id", "uuid[]", () => tenantId], ["label", "text[]", (p) => p.label], ["phone_number", "text[]", (p) => p.number],
    ["timelinesai_account_id", "text[]", (p) => `${p.number.slice(1)}@s.whatsapp.net`], ["status", "phone_status_enum[]", (p) => p.status],
    ["status_changed_at", "timestamptz[]", (p) => at(p.changedAt ?? p.createdAt)], ["paused_reason", "text[]", (p) => (p.status === "ACTIVE" ? null : p.reason)],
    ["reputation_score", "int[]", (p) => p.reputation], ["last_health_check_at", "timestamptz[]", () => at(now - rng.int(1, 30) * MINUTE)],
    ["last_connected_at", "timestamptz[]", (p) => at(p.createdAt)], ["last_disconnected_at", "timestamptz[]", (p) => (p.status === "OFFLINE" ? at(p.changedAt) : null)],
    ["last_error", "text[]", (p) => (p.status === "OFFLINE" ? p.reason : null)], ["last_error_at", "timestamptz[]", (p) => (p.status === "OFFLINE" ? at(p.changedAt) : null)],
    ["last_message_sent_at", "timestamptz[]", (p) => at(p.lastSentAt)], ["messages_sent_total", "int[]", (p) => p.sentTotal],
    ["quarantine_until", "timestamptz[]", (p) => (p.status === "QUARANTINE" ? at(p.changedAt! + 5 * DAY) : null)],
    ["created_at", "timestamptz[]", (p) => at(p.createdAt)], ["updated_at", "timestamptz[]", (p) => at(Math.max(p.changedAt ?? 0, p.lastSentAt ?? 0, p.createdAt))],
  ], phones);
  for (const p of phones.filter((x) => x.status !== "ACTIVE")) {
    const manager = rng.pick(managers);
    const byManager = p.status !== "OFFLINE";
    await client.query(
      `INSERT INTO audit_log (tenant_id, actor_type, actor_user_id, action, entity_type, entity_id, before, after, created_at)
       VALUES ($1, $2::actor_type_enum, $3, 'phone.status_changed', 'wa_phone_number', $4, $5, $6, $7)`,
      [tenantId, byManager ? "USER" : "WEBHOOK", byManager ? manager.id : null, p.id, { status: "ACTIVE" }, { status: p.status, reason: p.reason, unassignedLeads: 0 }, at(p.changedAt)],
    );
    if (p.status === "OFFLINE") {
      await client.query(
        `INSERT INTO alerts (tenant_id, severity, type, title, message, phone_id, dedupe_key, metadata, created_at, updated_at)
         VALUES ($1, 'HIGH', 'phone:offline', $2, $3, $4, $5, $6, $7, $7)`,
        [tenantId, `Telefonul ${p.label} este offline`, `${p.number}: reconectați contul în TimelinesAI. Runbook §2.1.`, p.id, `phone:offline:${p.id}`, { from: "ACTIVE", to: "OFFLINE", reason: p.reason }, at(p.changedAt)],
      );
    }
  }
  if (result.campaigns.length > 0) {
    await insertObjects(client, "email_campaigns", [
      ["tenant_id", "uuid[]", () => tenantId], ["instantly_campaign_id", "text[]", (c) => c.instantlyCampaignId], ["name", "text[]", (c) => c.name],
      ["sequence_id", "uuid[]", (c) => c.sequenceId], ["step_number", "int[]", (c) => c.stepNumber], ["status", "email_campaign_status_enum[]", () => "ACTIVE"],
      ["instantly_status", "int[]", () => 1], ["created_at", "timestamptz[]", (c) => at(c.createdAt)], ["updated_at", "timestamptz[]", (c) => at(c.createdAt)],
    ], result.campaigns);
  }

  phase("phones, campaigns written");
  // Leads: the simulated ones, then the import that has just landed, in batches (memory stays flat).
  const leadsInHistory = simLeads.length;
  for (let start = 0; start < simLeads.length; start += LEAD_BATCH) await insertLeads(client, tenantId, simLeads.slice(start, start + LEAD_BATCH));
  const lastImportSource = goldImportSource(goldRunId(importDays.length), new Date(lastImportAt));
  while (index < input.leadCount) {
    const batch: FreshLead[] = [];
    for (; index < input.leadCount && batch.length < LEAD_BATCH; index++) batch.push({ companyId: id(), journeyId: id(), company: companyRow(rng, index), importedAt: lastImportAt, source: lastImportSource });
    await insertFreshLeads(client, tenantId, batch);
  }

  phase("leads written");
  await insertObjects(client, "gold_communication_log", MESSAGE_COLUMNS(tenantId), result.messages);
  phase("messages written");
  await insertObjects(client, "lead_state_history", HISTORY_COLUMNS(tenantId), result.history);
  await insertObjects(client, "sequence_enrollments", ENROLLMENT_COLUMNS(tenantId), simLeads.flatMap((l) => l.enrollments.map((e) => ({ lead: l, e }))));
  const drafts = draftsForOpenApprovals(result.reviews, tenant.name, id);
  await insertObjects(client, "reply_answers", ANSWER_COLUMNS(tenantId), [...drafts.values()]);
  await insertObjects(client, "human_review_queue", REVIEW_COLUMNS(tenantId, drafts), result.reviews);
  await insertObjects(client, "do_not_contact", [
    ["tenant_id", "uuid[]", () => tenantId], ["type", "dnc_type_enum[]", (d: SimDnc) => d.type], ["value", "text[]", (d) => d.value], ["reason", "text[]", (d) => d.reason],
    ["source", "text[]", (d) => d.source], ["created_by", "uuid[]", (d) => d.createdBy], ["created_at", "timestamptz[]", (d) => at(d.at)],
  ], result.dnc);
  await insertObjects(client, "audit_log", [
    ["tenant_id", "uuid[]", () => tenantId], ["actor_type", "actor_type_enum[]", () => "USER"], ["actor_user_id", "uuid[]", (a: SimAudit) => a.actor],
    ["action", "text[]", (a) => a.action], ["entity_type", "text[]", (a) => a.entityType], ["entity_id", "text[]", (a) => a.entityId],
    ["before", "jsonb[]", (a) => a.before], ["after", "jsonb[]", (a) => a.after], ["created_at", "timestamptz[]", (a) => at(a.at)],
  ], result.audit);
  const usage = phones.flatMap((p) => [...p.usage.entries()].map(([date, u]) => ({ phone: p, date, ...u })));
  await insertObjects(client, "wa_quota_usage", [
    ["tenant_id", "uuid[]", () => tenantId], ["phone_id", "uuid[]", (u: (typeof usage)[number]) => u.phone.id], ["usage_date", "date[]", (u) => u.date],
    ["new_contacts_count", "int[]", (u) => u.newContacts], ["followups_count", "int[]", (u) => u.followups], ["first_message_at", "timestamptz[]", (u) => at(u.first)],
    ["last_message_at", "timestamptz[]", (u) => at(u.last)], ["created_at", "timestamptz[]", (u) => at(u.first)], ["updated_at", "timestamptz[]", (u) => at(u.last)],
  ], usage);

  phase("history, enrollments, reviews, lists, audit, quota history written");
  // Statistics of every past day, from the rows just written (the nightly job's work; today is its next run's).
  const yesterday = addDays(today, -1);
  const stats = await recomputeDailyStatsRange(client, { tenantId, from: firstDay, to: yesterday, timeZone: zone });
  // And the analytics breakdowns of the same days (per step, template version, phone, rep, campaign, channel).
  await recomputeBreakdowns(client, { tenantId, from: firstDay, to: yesterday, timeZone: zone });
  phase("daily statistics computed");

  return {
    tenantId,
    companies: input.leadCount,
    contacted: simLeads.filter((l) => l.firstContactAt !== null).length,
    phones: phones.length,
    messages: result.messages.length,
    reviews: result.reviews.length,
    statsDays: stats.length,
    leadsInHistory,
  };
}

const LEAD_BATCH = 20_000;

/** The Gold stage's run ids, numbered per tenant from its first delivery: etapa1-0001, etapa1-0002 … */
const goldRunId = (k: number) => `etapa1-${String(k + 1).padStart(4, "0")}`;

function newLead(index: number, companyId: string, journeyId: string, company: CompanyFactoryRow, importedAt: number, source: string, dnc: SimLead["dnc"]): SimLead {
  return {
    index,
    companyId,
    journeyId,
    company,
    importedAt,
    source,
    contact: { phone: company.telefonPrincipal, hlrReachable: company.hlrReachable, email: company.emailPrincipal, emailStatus: company.emailStatus ?? "UNKNOWN" },
    dnc,
    managerSequence: null,
    state: "COLD",
    previousState: null,
    stateChangedAt: importedAt,
    stateChangeReason: null,
    phone: null,
    assignedAt: null,
    isNewContact: true,
    firstContactAt: null,
    firstContactChannel: null,
    lastContactAt: null,
    lastChannelUsed: null,
    quotaDate: null,
    whatsappOptedOut: false,
    emailOptedOut: false,
    sequencePaused: false,
    humanControlled: false,
    review: null,
    owner: null,
    nextActionAt: null,
    nextActionReason: null,
    lastDispatchAt: null,
    lastDispatchOutcome: null,
    sentiment: 0,
    engagement: 0,
    replyCount: 0,
    openCount: 0,
    clickCount: 0,
    lastReplyAt: null,
    lastOpenAt: null,
    convertedAt: null,
    enrollments: [],
    currentSequenceId: null,
    sequenceStep: 0,
    sequenceStartedAt: null,
    chatId: null,
    inFlight: false,
    dueVersion: 0,
  };
}

/** The latest moment the lead's journey row was written. */
function journeyUpdatedAt(l: SimLead): number {
  return Math.max(l.importedAt, l.stateChangedAt, l.lastDispatchAt ?? 0, l.lastContactAt ?? 0, l.lastReplyAt ?? 0, l.lastOpenAt ?? 0, ...l.enrollments.map((e) => e.stoppedAt ?? e.enrolledAt));
}

/** A lead of the import that has just landed: a company and a journey with the table's defaults (COLD, never scheduled). */
interface FreshLead {
  companyId: string;
  journeyId: string;
  company: CompanyFactoryRow;
  importedAt: number;
  source: string;
}

async function insertFreshLeads(client: pg.ClientBase, tenantId: string, leads: FreshLead[]): Promise<void> {
  await insertObjects(client, "gold_companies", companyColumns<FreshLead>(tenantId, (l) => l.company.emailStatus ?? "UNKNOWN"), leads);
  await insertObjects(client, "gold_lead_journey", [
    ["id", "uuid[]", (l: FreshLead) => l.journeyId], ["tenant_id", "uuid[]", () => tenantId], ["lead_id", "uuid[]", (l) => l.companyId],
    ["state_changed_at", "timestamptz[]", (l) => at(l.importedAt)], ["created_at", "timestamptz[]", (l) => at(l.importedAt)], ["updated_at", "timestamptz[]", (l) => at(l.importedAt)],
  ], leads);
}

function companyColumns<L extends { companyId: string; company: CompanyFactoryRow; importedAt: number; source: string }>(tenantId: string, emailStatus: (l: L) => string): ReadonlyArray<ObjectColumn<L>> {
  return [
    ["id", "uuid[]", (l) => l.companyId], ["tenant_id", "uuid[]", () => tenantId], ["denumire", "text[]", (l) => l.company.denumire], ["cui", "text[]", (l) => l.company.cui],
    ["judet", "text[]", (l) => l.company.judet], ["localitate", "text[]", (l) => l.company.localitate], ["adresa", "text[]", (l) => l.company.adresa],
    ["telefon_principal", "text[]", (l) => l.company.telefonPrincipal], ["hlr_reachable", "bool[]", (l) => l.company.hlrReachable],
    ["email_principal", "text[]", (l) => l.company.emailPrincipal], ["email_status", "email_status_enum[]", emailStatus],
    ["contact_principal_nume", "text[]", (l) => l.company.contactPrincipalNume], ["contact_principal_functie", "text[]", (l) => l.company.contactPrincipalFunctie],
    ["cod_caen", "text[]", (l) => l.company.codCaen], ["suprafata_agricola_ha", "numeric[]", (l) => l.company.suprafataAgricolaHa], ["website", "text[]", (l) => l.company.website],
    ["source", "text[]", (l) => l.source], ["legal_basis", "text[]", () => "LEGITIMATE_INTEREST" satisfies LegalBasis],
    ["created_at", "timestamptz[]", (l) => at(l.importedAt)], ["updated_at", "timestamptz[]", (l) => at(l.importedAt)],
  ];
}

async function insertLeads(client: pg.ClientBase, tenantId: string, leads: SimLead[]): Promise<void> {
  await insertObjects(client, "gold_companies", companyColumns<SimLead>(tenantId, (l) => l.contact.emailStatus), leads);
  await insertObjects(client, "gold_lead_journey", JOURNEY_COLUMNS(tenantId), leads);
}

const JOURNEY_COLUMNS = (tenantId: string): ReadonlyArray<ObjectColumn<SimLead>> => [
  ["id", "uuid[]", (l) => l.journeyId], ["tenant_id", "uuid[]", () => tenantId], ["lead_id", "uuid[]", (l) => l.companyId],
  ["assigned_phone_id", "uuid[]", (l) => l.phone?.id ?? null], ["assigned_at", "timestamptz[]", (l) => at(l.assignedAt)],
  ["current_state", "current_state_enum[]", (l) => l.state], ["previous_state", "current_state_enum[]", (l) => l.previousState],
  ["state_changed_at", "timestamptz[]", (l) => at(l.stateChangedAt)], ["state_change_reason", "text[]", (l) => l.stateChangeReason],
  ["quota_consumption_date", "varchar[]", (l) => l.quotaDate], ["is_new_contact", "bool[]", (l) => l.isNewContact],
  ["first_contact_channel", "channel_enum[]", (l) => l.firstContactChannel], ["last_channel_used", "channel_enum[]", (l) => l.lastChannelUsed],
  ["email_opted_out", "bool[]", (l) => l.emailOptedOut], ["whatsapp_opted_out", "bool[]", (l) => l.whatsappOptedOut],
  ["current_sequence_id", "uuid[]", (l) => l.currentSequenceId], ["sequence_step", "int[]", (l) => l.sequenceStep],
  ["sequence_started_at", "timestamptz[]", (l) => at(l.sequenceStartedAt)], ["sequence_paused", "bool[]", (l) => l.sequencePaused],
  ["next_action_at", "timestamptz[]", (l) => at(l.nextActionAt)], ["next_action_reason", "text[]", (l) => l.nextActionReason],
  ["sentiment_score", "int[]", (l) => l.sentiment], ["engagement_score", "int[]", (l) => l.engagement], ["reply_count", "int[]", (l) => l.replyCount],
  ["open_count", "int[]", (l) => l.openCount], ["click_count", "int[]", (l) => l.clickCount],
  ["requires_human_review", "bool[]", (l) => l.review !== null], ["human_review_reason", "review_reason_enum[]", (l) => l.review?.reason ?? null],
  ["human_review_priority", "review_priority_enum[]", (l) => l.review?.priority ?? null], ["is_human_controlled", "bool[]", (l) => l.humanControlled],
  ["assigned_to_user", "uuid[]", (l) => l.owner], ["first_contact_at", "timestamptz[]", (l) => at(l.firstContactAt)], ["last_contact_at", "timestamptz[]", (l) => at(l.lastContactAt)],
  ["last_reply_at", "timestamptz[]", (l) => at(l.lastReplyAt)], ["last_open_at", "timestamptz[]", (l) => at(l.lastOpenAt)], ["converted_at", "timestamptz[]", (l) => at(l.convertedAt)],
  ["last_dispatch_outcome", "jsonb[]", (l) => l.lastDispatchOutcome], ["last_dispatch_at", "timestamptz[]", (l) => at(l.lastDispatchAt)],
  ["created_at", "timestamptz[]", (l) => at(l.importedAt)], ["updated_at", "timestamptz[]", (l) => at(journeyUpdatedAt(l))],
];

const MESSAGE_COLUMNS = (tenantId: string): ReadonlyArray<ObjectColumn<SimMessage>> => [
  ["id", "uuid[]", (m) => m.id], ["tenant_id", "uuid[]", () => tenantId], ["journey_id", "uuid[]", (m) => m.lead.journeyId], ["lead_id", "uuid[]", (m) => m.lead.companyId],
  ["channel", "channel_enum[]", (m) => m.channel], ["direction", "message_direction_enum[]", (m) => m.direction], ["status", "message_status_enum[]", (m) => m.status],
  ["external_message_id", "text[]", (m) => m.externalId], ["timelinesai_message_uid", "text[]", (m) => (m.channel === "WHATSAPP" ? m.externalId : null)],
  ["timelinesai_chat_id", "text[]", (m) => (m.chatId === null ? null : String(m.chatId))], ["instantly_lead_id", "text[]", (m) => m.instantlyLeadId],
  ["instantly_campaign_id", "text[]", (m) => m.instantlyCampaignId], ["resend_email_id", "text[]", (m) => m.resendEmailId],
  ["idempotency_key", "text[]", (m) => m.idempotencyKey], ["recipient", "text[]", (m) => m.recipient], ["subject", "text[]", (m) => m.subject],
  ["content_preview", "varchar[]", (m) => m.preview], ["content_hash", "varchar[]", (m) => m.hash], ["quota_cost", "smallint[]", (m) => m.quotaCost],
  ["phone_id", "uuid[]", (m) => m.phone?.id ?? null], ["sequence_id", "uuid[]", (m) => m.sequenceId], ["sequence_step", "int[]", (m) => m.step],
  ["template_id", "uuid[]", (m) => m.templateId], ["template_version_id", "uuid[]", (m) => m.versionId],
  ["sentiment_score", "int[]", (m) => m.sentimentScore], ["intent", "text[]", (m) => m.intent], ["analysis", "jsonb[]", (m) => m.analysis],
  ["error_code", "text[]", (m) => m.errorCode], ["metadata", "jsonb[]", (m) => m.metadata],
  ["sent_at", "timestamptz[]", (m) => at(m.sentAt)], ["delivered_at", "timestamptz[]", (m) => at(m.deliveredAt)], ["read_at", "timestamptz[]", (m) => at(m.readAt)],
  ["opened_at", "timestamptz[]", (m) => at(m.openedAt)], ["clicked_at", "timestamptz[]", (m) => at(m.clickedAt)], ["replied_at", "timestamptz[]", (m) => at(m.repliedAt)],
  ["bounced_at", "timestamptz[]", (m) => at(m.bouncedAt)], ["failed_at", "timestamptz[]", (m) => at(m.failedAt)],
  ["created_at", "timestamptz[]", (m) => at(m.createdAt)],
  ["updated_at", "timestamptz[]", (m) => at(Math.max(m.createdAt, m.sentAt ?? 0, m.deliveredAt ?? 0, m.readAt ?? 0, m.openedAt ?? 0, m.clickedAt ?? 0, m.repliedAt ?? 0, m.bouncedAt ?? 0, m.failedAt ?? 0))],
];

const HISTORY_COLUMNS = (tenantId: string): ReadonlyArray<ObjectColumn<SimHistoryRow>> => [
  ["tenant_id", "uuid[]", () => tenantId], ["journey_id", "uuid[]", (h) => h.lead.journeyId], ["lead_id", "uuid[]", (h) => h.lead.companyId],
  ["from_state", "current_state_enum[]", (h) => h.from], ["to_state", "current_state_enum[]", (h) => h.to], ["actor_type", "actor_type_enum[]", (h) => h.actorType],
  ["actor_id", "text[]", (h) => h.actorId], ["reason", "text[]", (h) => h.reason], ["metadata", "jsonb[]", (h) => h.metadata], ["created_at", "timestamptz[]", (h) => at(h.at)],
];

const ENROLLMENT_COLUMNS = (tenantId: string): ReadonlyArray<ObjectColumn<{ lead: SimLead; e: SimEnrollment }>> => [
  ["tenant_id", "uuid[]", () => tenantId], ["journey_id", "uuid[]", (r) => r.lead.journeyId], ["lead_id", "uuid[]", (r) => r.lead.companyId],
  ["sequence_id", "uuid[]", (r) => r.e.sequence.id], ["status", "enrollment_status_enum[]", (r) => r.e.status], ["current_step", "int[]", (r) => r.e.currentStep],
  ["next_step_at", "timestamptz[]", (r) => at(r.e.nextStepAt)], ["last_step_at", "timestamptz[]", (r) => at(r.e.lastStepAt)], ["paused_at", "timestamptz[]", (r) => at(r.e.pausedAt)],
  ["stopped_reason", "text[]", (r) => r.e.stoppedReason], ["stopped_at", "timestamptz[]", (r) => at(r.e.stoppedAt)], ["enrolled_at", "timestamptz[]", (r) => at(r.e.enrolledAt)],
  ["completed_at", "timestamptz[]", (r) => at(r.e.completedAt)], ["created_at", "timestamptz[]", (r) => at(r.e.enrolledAt)],
  ["updated_at", "timestamptz[]", (r) => at(Math.max(r.e.enrolledAt, r.e.lastStepAt ?? 0, r.e.stoppedAt ?? 0, r.e.pausedAt ?? 0, r.e.completedAt ?? 0))],
];

interface SeedDraft {
  id: string;
  review: SimReview;
  channel: "WHATSAPP" | "EMAIL_WARM";
  phoneId: string | null;
  subject: string | null;
  body: string;
  intent: ReplyIntent;
}

/**
 * An approval item still open holds the answer the reply worker drafted for it, as the worker does it
 * without an LLM (server/replies/handle-reply.server.ts: the intent template, `ai:<reply id>`): the
 * review page approves or edits that row. Resolved items keep only their text (drafted_answer).
 */
function draftsForOpenApprovals(reviews: readonly SimReview[], tenantName: string, id: () => string): Map<SimReview, SeedDraft> {
  const drafts = new Map<SimReview, SeedDraft>();
  for (const r of reviews) {
    if (r.kind !== "APPROVAL" || r.status === "RESOLVED") continue;
    const intent = r.intent.toUpperCase() as ReplyIntent;
    const whatsapp = r.trigger.channel === "WHATSAPP";
    const phone = whatsapp ? (r.trigger.phone ?? r.lead.phone) : null;
    if (whatsapp && !phone) continue;
    const channel = whatsapp ? "WHATSAPP" : "EMAIL_WARM";
    const draft = draftFromTemplate({
      intent,
      contactName: r.lead.company.contactPrincipalNume,
      company: r.lead.company.denumire,
      tenantName: tenantName.replace(/ SRL$/, ""),
      offerSummary: null,
      laterUntil: null,
      suggestedContact: null,
      channel,
      replySubject: r.trigger.subject,
    });
    if (draft) drafts.set(r, { id: id(), review: r, channel, phoneId: phone?.id ?? null, subject: draft.subject, body: draft.body, intent });
  }
  return drafts;
}

const ANSWER_COLUMNS = (tenantId: string): ReadonlyArray<ObjectColumn<SeedDraft>> => [
  ["id", "uuid[]", (a) => a.id], ["tenant_id", "uuid[]", () => tenantId], ["journey_id", "uuid[]", (a) => a.review.lead.journeyId], ["lead_id", "uuid[]", (a) => a.review.lead.companyId],
  ["inbound_message_id", "uuid[]", (a) => a.review.trigger.id], ["idempotency_key", "text[]", (a) => `ai:${a.review.trigger.id}`], ["channel", "channel_enum[]", (a) => a.channel],
  ["subject", "text[]", (a) => a.subject], ["body", "text[]", (a) => a.body], ["source", "answer_source_enum[]", () => "TEMPLATE"], ["intent", "text[]", (a) => a.intent],
  ["status", "answer_status_enum[]", () => "DRAFT"], ["phone_id", "uuid[]", (a) => a.phoneId],
  ["created_at", "timestamptz[]", (a) => at(a.review.createdAt)], ["updated_at", "timestamptz[]", (a) => at(a.review.createdAt)],
];

const REVIEW_COLUMNS = (tenantId: string, drafts: ReadonlyMap<SimReview, SeedDraft>): ReadonlyArray<ObjectColumn<SimReview>> => [
  ["tenant_id", "uuid[]", () => tenantId], ["journey_id", "uuid[]", (r) => r.lead.journeyId], ["lead_id", "uuid[]", (r) => r.lead.companyId],
  ["kind", "review_kind_enum[]", (r) => r.kind], ["reason", "review_reason_enum[]", (r) => r.reason], ["priority", "review_priority_enum[]", (r) => r.priority],
  ["status", "review_status_enum[]", (r) => r.status], ["assigned_to_user", "uuid[]", (r) => r.assignedTo], ["assigned_at", "timestamptz[]", (r) => at(r.assignedAt)],
  ["sla_due_at", "timestamptz[]", (r) => at(r.slaDueAt)], ["sla_breached", "bool[]", (r) => r.slaBreachedAt !== null], ["sla_breached_at", "timestamptz[]", (r) => at(r.slaBreachedAt)],
  ["trigger_message_id", "uuid[]", (r) => r.trigger.id], ["ai_sentiment_score", "int[]", (r) => r.score], ["ai_intent", "text[]", (r) => r.intent],
  ["ai_analysis", "jsonb[]", (r) => r.analysis], ["drafted_answer", "text[]", (r) => drafts.get(r)?.body ?? r.draftedAnswer], ["answer_id", "uuid[]", (r) => drafts.get(r)?.id ?? null], ["resolution", "review_resolution_enum[]", (r) => r.resolution],
  ["resolution_note", "text[]", (r) => r.resolutionNote], ["resolved_at", "timestamptz[]", (r) => at(r.resolvedAt)], ["resolved_by", "uuid[]", (r) => r.resolvedBy],
  ["created_at", "timestamptz[]", (r) => at(r.createdAt)],
  ["updated_at", "timestamptz[]", (r) => at(Math.max(r.createdAt, r.assignedAt ?? 0, r.resolvedAt ?? 0, r.slaBreachedAt ?? 0))],
];
