import { createHash } from "node:crypto";
import type pg from "pg";
import { bulkInsert } from "./bulk";
import { companyRow, personName, romanianMobile } from "./factories";
import { OUTBOUND_SAMPLES, REPLIES, SEQUENCES, TEMPLATES } from "./content";
import { Rng } from "./random";

export const DEMO_PASSWORD = "Cerniq!2026";

export const DEMO_TENANTS = [
  { name: "AgroVerde Distribuție SRL", slug: "agroverde", domain: "agroverde.ro", phones: 20 },
  { name: "Câmpia Fertilă Agro SRL", slug: "campiafertila", domain: "campiafertila.ro", phones: 5 },
] as const;

type State = "COLD" | "CONTACTED_WA" | "CONTACTED_EMAIL" | "WARM_REPLY" | "NEGOTIATION" | "CONVERTED" | "DEAD" | "PAUSED";
const STATE_WEIGHTS: ReadonlyArray<readonly [State, number]> = [
  ["COLD", 55],
  ["CONTACTED_WA", 15],
  ["CONTACTED_EMAIL", 10],
  ["WARM_REPLY", 7],
  ["NEGOTIATION", 4],
  ["CONVERTED", 3],
  ["DEAD", 4],
  ["PAUSED", 2],
];

/** A v4-shaped UUID from the seeded RNG, so re-seeding gives the same ids. */
function uuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng.next() * 16).toString(16));
  hex[12] = "4";
  hex[16] = ((parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** Moves a moment into Mon–Fri 09:00–17:59 Bucharest (UTC+2/+3), so seeded history looks like real sending. */
function businessMoment(rng: Rng, daysAgo: number, now: Date): Date {
  const d = new Date(now.getTime() - daysAgo * DAY);
  const weekday = d.getUTCDay();
  if (weekday === 0) d.setUTCDate(d.getUTCDate() - 2);
  if (weekday === 6) d.setUTCDate(d.getUTCDate() - 1);
  d.setUTCHours(7 + rng.int(0, 8), rng.int(0, 59), rng.int(0, 59), 0);
  return d;
}

export interface TenantSeedInput {
  tenant: (typeof DEMO_TENANTS)[number];
  seed: number;
  leadCount: number;
  passwordHash: string;
  now: Date;
}

export async function buildTenantSeed(client: pg.ClientBase, input: TenantSeedInput) {
  const { tenant, now } = input;
  const rng = new Rng(input.seed);
  const tenantId = uuid(rng);
  await client.query(
    `INSERT INTO tenants (id, name, slug, auto_answer_mode, settings) VALUES ($1, $2, $3, 'APPROVAL', $4)`,
    [tenantId, tenant.name, tenant.slug, JSON.stringify({ companyDisplayName: tenant.name.replace(/ SRL$/, "") })],
  );

  // Users: three per role.
  const users: Array<{ id: string; role: string }> = [];
  const userRows: unknown[][] = [];
  for (const [role, prefix] of [["ADMIN", "admin"], ["MANAGER", "manager"], ["SALES_REP", "rep"]] as const) {
    for (let n = 1; n <= 3; n++) {
      const id = uuid(rng);
      users.push({ id, role });
      userRows.push([id, tenantId, `${prefix}${n}@${tenant.domain}`, personName(rng).full, input.passwordHash, role, n === 3 && role === "SALES_REP" ? "en" : "ro"]);
    }
  }
  await bulkInsert(client, "users", [
    { name: "id", type: "uuid[]" }, { name: "tenant_id", type: "uuid[]" }, { name: "email", type: "text[]" }, { name: "name", type: "text[]" },
    { name: "password_hash", type: "text[]" }, { name: "role", type: "user_role_enum[]" }, { name: "locale", type: "text[]" },
  ], userRows);
  const reps = users.filter((u) => u.role === "SALES_REP");

  // WhatsApp phones: "Vânzări 01…", most ACTIVE, a couple PAUSED / OFFLINE.
  const phones: Array<{ id: string; status: string }> = [];
  const phoneRows: unknown[][] = [];
  for (let n = 1; n <= tenant.phones; n++) {
    const id = uuid(rng);
    const number = romanianMobile(rng);
    const status = tenant.phones >= 20 ? (n === 7 ? "PAUSED" : n === 13 ? "OFFLINE" : n === 18 ? "QUARANTINE" : "ACTIVE") : n === 5 ? "PAUSED" : "ACTIVE";
    phones.push({ id, status });
    phoneRows.push([
      id, tenantId, `Vânzări ${String(n).padStart(2, "0")}`, number, `${number.slice(1)}@s.whatsapp.net`, status,
      status === "PAUSED" ? "Pauză cerută de manager (încălzire număr nou)" : null,
      rng.int(70, 100), new Date(now.getTime() - rng.int(1, 30) * 60_000), status === "OFFLINE" ? "Telefon deconectat de la WhatsApp Web" : null,
      status === "QUARANTINE" ? new Date(now.getTime() + 2 * DAY) : null,
    ]);
  }
  await bulkInsert(client, "wa_phone_numbers", [
    { name: "id", type: "uuid[]" }, { name: "tenant_id", type: "uuid[]" }, { name: "label", type: "text[]" }, { name: "phone_number", type: "text[]" },
    { name: "timelinesai_account_id", type: "text[]" }, { name: "status", type: "phone_status_enum[]" }, { name: "paused_reason", type: "text[]" },
    { name: "reputation_score", type: "int[]" }, { name: "last_health_check_at", type: "timestamptz[]" }, { name: "last_error", type: "text[]" },
    { name: "quarantine_until", type: "timestamptz[]" },
  ], phoneRows);
  const activePhones = phones.filter((p) => p.status === "ACTIVE");

  // Templates with A/B versions.
  const templateIds = new Map<string, string>();
  const versionIds = new Map<string, string[]>();
  for (const t of TEMPLATES) {
    const id = uuid(rng);
    templateIds.set(t.key, id);
    await client.query(
      `INSERT INTO outreach_templates (id, tenant_id, name, channel, subject, content, variables) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
      [id, tenantId, t.name, t.channel, t.subject ?? null, t.versions[0]?.content ?? "", JSON.stringify(t.variables)],
    );
    const ids: string[] = [];
    for (const [i, v] of t.versions.entries()) {
      const vid = uuid(rng);
      ids.push(vid);
      await client.query(
        `INSERT INTO template_versions (id, tenant_id, template_id, version_number, subject, content, weight) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
        [vid, tenantId, id, i + 1, v.subject ?? null, v.content, v.weight],
      );
    }
    versionIds.set(t.key, ids);
  }

  const sequenceIds: string[] = [];
  for (const s of SEQUENCES) {
    const id = uuid(rng);
    sequenceIds.push(id);
    await client.query(`INSERT INTO outreach_sequences (id, tenant_id, name, description, is_default) VALUES ($1,$2,$3,$4,$5)`, [id, tenantId, s.name, s.description, s.isDefault]);
    for (const step of s.steps) {
      await client.query(
        `INSERT INTO outreach_sequence_steps (tenant_id, sequence_id, step_number, name, channel, template_id, delay_hours) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
        [tenantId, id, step.stepNumber, step.name, step.channel, templateIds.get(step.template), step.delayHours],
      );
    }
  }

  // Leads and their journeys.
  const companyRows: unknown[][] = [];
  const journeyRows: unknown[][] = [];
  const history: unknown[][] = [];
  const messages: unknown[][] = [];
  const enrollments: unknown[][] = [];
  const reviews: unknown[][] = [];
  const MESSAGE_HISTORY_CAP = 25_000;
  const priorities = ["URGENT", "HIGH", "MEDIUM", "LOW"] as const;
  const slaMinutes: Record<(typeof priorities)[number], number> = { URGENT: 60, HIGH: 240, MEDIUM: 1440, LOW: 4320 };

  let messagesWritten = 0;
  let reviewsWritten = 0;
  // Rows are written in batches so memory stays flat however many leads are asked for.
  const flush = async () => {
    await insertLeadBatch(client, { companyRows, journeyRows, history, enrollments, messages, reviews });
    messagesWritten += messages.length;
    reviewsWritten += reviews.length;
    for (const rows of [companyRows, journeyRows, history, enrollments, messages, reviews]) rows.length = 0;
  };

  for (let i = 0; i < input.leadCount; i++) {
    if (i > 0 && i % LEAD_BATCH === 0) await flush();
    const company = companyRow(rng, i);
    const companyId = uuid(rng);
    const journeyId = uuid(rng);
    companyRows.push([
      companyId, tenantId, company.denumire, company.cui, company.judet, company.localitate, company.adresa, company.telefonPrincipal,
      company.hlrReachable, company.emailPrincipal, company.emailStatus ?? "UNKNOWN", company.contactPrincipalNume, company.contactPrincipalFunctie,
      company.codCaen, company.suprafataAgricolaHa, company.website,
    ]);

    let state = rng.weighted(STATE_WEIGHTS);
    const hasWa = company.telefonPrincipal !== null && company.hlrReachable === true;
    const hasEmail = company.emailPrincipal !== null && company.emailStatus !== "INVALID";
    if (state === "CONTACTED_WA" && !hasWa) state = hasEmail ? "CONTACTED_EMAIL" : "COLD";
    if (state === "CONTACTED_EMAIL" && !hasEmail) state = hasWa ? "CONTACTED_WA" : "COLD";
    if (state !== "COLD" && !hasWa && !hasEmail) state = "DEAD";

    const contacted = state !== "COLD";
    const channel = contacted ? (hasWa && (state === "CONTACTED_WA" || !hasEmail || rng.chance(0.6)) ? "WHATSAPP" : "EMAIL_COLD") : null;
    const phone = channel === "WHATSAPP" ? rng.pick(activePhones) : null;
    const firstContactDays = rng.int(1, 58);
    const firstContactAt = contacted ? businessMoment(rng, firstContactDays, now) : null;
    const replied = ["WARM_REPLY", "NEGOTIATION", "CONVERTED"].includes(state) || (state === "DEAD" && rng.chance(0.4));
    const lastReplyAt = replied && firstContactAt ? new Date(firstContactAt.getTime() + rng.int(1, 72) * HOUR) : null;
    const sequenceId = contacted ? (channel === "WHATSAPP" ? sequenceIds[0] : sequenceIds[1]) ?? null : null;
    const step = contacted ? (replied ? 1 : rng.int(1, 2)) : 0;
    // COLD leads are due now (dispatch picks them up); contacted ones wait for their next step.
    const nextActionAt = state === "COLD" ? new Date(now.getTime() - rng.int(0, 48) * HOUR) : ["CONTACTED_WA", "CONTACTED_EMAIL"].includes(state) ? new Date(now.getTime() + rng.int(1, 96) * HOUR) : null;
    const sentiment = replied ? (state === "DEAD" ? rng.int(-90, -20) : rng.int(40, 95)) : 0;
    const review = state === "WARM_REPLY" && rng.chance(0.35) ? rng.pick(priorities) : state === "DEAD" && replied && rng.chance(0.3) ? "URGENT" : null;
    const owner = ["WARM_REPLY", "NEGOTIATION", "CONVERTED"].includes(state) ? rng.pick(reps).id : null;

    journeyRows.push([
      journeyId, tenantId, companyId, phone?.id ?? null, phone ? firstContactAt : null, state,
      contacted ? (replied ? "CONTACTED_WA" : "COLD") : null, firstContactAt ?? now,
      contacted ? "Seed: istoric de contact" : null,
      channel === "WHATSAPP" && firstContactAt ? isoDate(firstContactAt) : null, !contacted, channel, channel,
      state === "DEAD" && replied && rng.chance(0.5), state === "DEAD" && replied && rng.chance(0.5),
      sequenceId, step, firstContactAt, state === "PAUSED", nextActionAt,
      state === "COLD" ? "Lead nou, pregătit pentru prima abordare" : null,
      sentiment, replied ? rng.int(30, 90) : rng.int(0, 20), replied ? rng.int(1, 4) : 0,
      channel === "EMAIL_COLD" ? rng.int(0, 5) : 0, channel === "EMAIL_COLD" ? rng.int(0, 2) : 0,
      review !== null, review ? (review === "URGENT" ? "NEGATIVE_SENTIMENT" : "AI_UNCERTAIN") : null, review,
      state === "NEGOTIATION" && rng.chance(0.5), owner,
      firstContactAt, firstContactAt ? new Date(firstContactAt.getTime() + (replied ? 2 : 0) * HOUR) : null, lastReplyAt,
      state === "CONVERTED" && lastReplyAt ? new Date(lastReplyAt.getTime() + rng.int(2, 20) * DAY) : null,
    ]);

    if (contacted && firstContactAt) {
      const path: State[] = [channel === "WHATSAPP" ? "CONTACTED_WA" : "CONTACTED_EMAIL"];
      if (replied) path.push("WARM_REPLY");
      if (state === "NEGOTIATION" || state === "CONVERTED") path.push("NEGOTIATION");
      if (state === "CONVERTED" || state === "DEAD" || state === "PAUSED") path.push(state);
      let from: State = "COLD";
      path.forEach((to, k) => {
        history.push([tenantId, journeyId, companyId, from, to, k === 0 ? "JOB" : to === "WARM_REPLY" ? "WEBHOOK" : "USER", k === 0 ? "dispatch" : owner, k === 0 ? "Primul mesaj trimis" : to === "WARM_REPLY" ? "Răspuns primit" : "Actualizat de reprezentant", new Date(firstContactAt.getTime() + k * 26 * HOUR)]);
        from = to;
      });

      if (sequenceId) {
        enrollments.push([tenantId, journeyId, companyId, sequenceId, replied ? "STOPPED" : state === "PAUSED" ? "PAUSED" : "ACTIVE", step, replied ? null : nextActionAt, firstContactAt, replied ? "Lead-ul a răspuns" : null, replied ? lastReplyAt : null]);
      }

      if (messagesWritten + messages.length < MESSAGE_HISTORY_CAP) {
        const isWa = channel === "WHATSAPP";
        const text = isWa ? rng.pick(OUTBOUND_SAMPLES) : `Bună ziua ${company.contactPrincipalNume}, AgroVerde livrează semințe certificate și îngrășăminte fermelor din ${company.judet}.`;
        const chatId = isWa ? String(100_000 + i) : null;
        const outStatus = replied ? "REPLIED" : isWa ? rng.pick(["DELIVERED", "READ", "READ"]) : rng.pick(["SENT", "OPENED", "DELIVERED"]);
        const templateKey = isWa ? "wa-intro" : "email-cold-intro";
        messages.push([
          uuid(rng), tenantId, journeyId, companyId, channel, "OUTBOUND", outStatus, isWa ? `tl-${uuid(rng)}` : `inst-${uuid(rng)}`, chatId,
          isWa ? company.telefonPrincipal : company.emailPrincipal, isWa ? null : `Ofertă inputuri agricole pentru ${company.denumire}`,
          text.slice(0, 500), sha256(text), isWa ? 1 : 0, phone?.id ?? null, sequenceId, 1, templateIds.get(templateKey), versionIds.get(templateKey)?.[0],
          `${journeyId}:1:${channel}`, firstContactAt, firstContactAt,
        ]);
        if (replied && lastReplyAt) {
          const kind = state === "DEAD" ? rng.pick(["negative", "optout"] as const) : state === "WARM_REPLY" ? rng.pick(["positive", "question", "later"] as const) : "positive";
          const reply = rng.pick(REPLIES[kind]);
          const replyId = uuid(rng);
          messages.push([
            replyId, tenantId, journeyId, companyId, channel === "WHATSAPP" ? "WHATSAPP" : "EMAIL_COLD", "INBOUND", "REPLIED", isWa ? `tl-${uuid(rng)}` : `inst-${uuid(rng)}`, chatId,
            null, null, reply, sha256(reply), 0, phone?.id ?? null, sequenceId, null, null, null, null, lastReplyAt, lastReplyAt,
          ]);
          if (review) {
            const created = new Date(lastReplyAt.getTime() + 5 * 60_000);
            // Some items are recent (inside their SLA), some overdue, so the queue shows both.
            const recent = rng.chance(0.6);
            const createdAt = recent ? new Date(now.getTime() - rng.int(5, slaMinutes[review] - 1) * 60_000 * 0.5) : created;
            const due = new Date(createdAt.getTime() + slaMinutes[review] * 60_000);
            const breached = due.getTime() < now.getTime();
            const status = breached && rng.chance(0.5) ? "RESOLVED" : rng.pick(["PENDING", "PENDING", "ASSIGNED", "IN_PROGRESS"]);
            reviews.push([
              tenantId, journeyId, companyId, review === "URGENT" ? "NEGATIVE_SENTIMENT" : kind === "question" ? "AI_UNCERTAIN" : "KEYWORD_TRIGGER", review, status,
              status === "PENDING" ? null : owner, due, breached && status !== "RESOLVED", breached && status !== "RESOLVED" ? due : null, replyId, sentiment, kind,
              kind === "positive" || kind === "question" ? "Bună ziua! Vă mulțumim pentru răspuns. Un coleg vă sună astăzi cu detaliile ofertei." : null,
              status === "RESOLVED" ? "REPLIED_MANUALLY" : null, status === "RESOLVED" ? new Date(due.getTime() - 10 * 60_000) : null, status === "RESOLVED" ? owner : null, createdAt,
            ]);
          }
        }
      }
    }
  }

  await flush();
  const companiesWritten = input.leadCount;

  // Per-version counters and quota audit derived from the seeded messages, so the numbers agree.
  await client.query(
    `UPDATE template_versions v SET sent_count = s.sent, delivered_count = s.delivered, replied_count = s.replied
       FROM (SELECT template_version_id, count(*) sent,
                    count(*) FILTER (WHERE status IN ('DELIVERED','READ','REPLIED','OPENED')) delivered,
                    count(*) FILTER (WHERE status = 'REPLIED') replied
               FROM gold_communication_log WHERE tenant_id = $1 AND direction = 'OUTBOUND' GROUP BY 1) s
      WHERE v.id = s.template_version_id`,
    [tenantId],
  );
  await client.query(
    `INSERT INTO wa_quota_usage (tenant_id, phone_id, usage_date, new_contacts_count, first_message_at, last_message_at)
     SELECT tenant_id, phone_id, (sent_at AT TIME ZONE 'Europe/Bucharest')::date, count(*), min(sent_at), max(sent_at)
       FROM gold_communication_log
      WHERE tenant_id = $1 AND channel = 'WHATSAPP' AND direction = 'OUTBOUND' AND quota_cost = 1
      GROUP BY 1, 2, 3`,
    [tenantId],
  );

  // Daily stats for the past 60 days: a realistic weekday curve, nothing on weekends.
  const statsRows: unknown[][] = [];
  for (let d = 60; d >= 1; d--) {
    const day = new Date(now.getTime() - d * DAY);
    const weekend = day.getUTCDay() === 0 || day.getUTCDay() === 6;
    const scale = tenant.phones / 20;
    const waSent = weekend ? 0 : Math.round(rng.int(1800, 3400) * scale);
    const waNew = Math.round(waSent * 0.7);
    const coldSent = weekend ? 0 : Math.round(rng.int(900, 2200) * scale);
    const coldBounced = Math.round(coldSent * (rng.int(8, 34) / 1000));
    const warmSent = weekend ? 0 : Math.round(rng.int(40, 160) * scale);
    const replies = Math.round(waSent * (rng.int(12, 22) / 100)) + Math.round(coldSent * (rng.int(2, 5) / 100));
    const sentTotal = waSent + coldSent + warmSent;
    statsRows.push([
      tenantId, isoDate(day), waSent, Math.round(waSent * 0.96), Math.round(waSent * 0.71), Math.round(waSent * 0.17), Math.round(waSent * 0.01), waNew, waSent - waNew,
      coldSent, coldSent - coldBounced, Math.round(coldSent * 0.41), Math.round(coldSent * 0.05), Math.round(coldSent * 0.03), coldBounced, Math.round(coldSent * 0.001),
      warmSent, warmSent, Math.round(warmSent * 0.62), Math.round(warmSent * 0.14), Math.round(warmSent * 0.11), 0, 0,
      waNew + coldSent, replies, weekend ? 0 : rng.int(2, 9), Math.round(replies * 0.3), Math.round(replies * 0.28), weekend ? 0 : rng.int(0, 3),
      coldSent + warmSent, coldBounced, coldSent + warmSent ? (coldBounced / (coldSent + warmSent)).toFixed(4) : "0", sentTotal ? (replies / sentTotal).toFixed(4) : "0",
    ]);
  }
  await bulkInsert(client, "outreach_daily_stats", [
    { name: "tenant_id", type: "uuid[]" }, { name: "stat_date", type: "date[]" }, { name: "wa_sent", type: "int[]" }, { name: "wa_delivered", type: "int[]" },
    { name: "wa_read", type: "int[]" }, { name: "wa_replied", type: "int[]" }, { name: "wa_failed", type: "int[]" }, { name: "wa_new_contacts", type: "int[]" },
    { name: "wa_followups", type: "int[]" }, { name: "email_cold_sent", type: "int[]" }, { name: "email_cold_delivered", type: "int[]" }, { name: "email_cold_opened", type: "int[]" },
    { name: "email_cold_clicked", type: "int[]" }, { name: "email_cold_replied", type: "int[]" }, { name: "email_cold_bounced", type: "int[]" },
    { name: "email_cold_complained", type: "int[]" }, { name: "email_warm_sent", type: "int[]" }, { name: "email_warm_delivered", type: "int[]" },
    { name: "email_warm_opened", type: "int[]" }, { name: "email_warm_clicked", type: "int[]" }, { name: "email_warm_replied", type: "int[]" },
    { name: "email_warm_bounced", type: "int[]" }, { name: "email_warm_complained", type: "int[]" }, { name: "new_contacts", type: "int[]" },
    { name: "replies_total", type: "int[]" }, { name: "leads_converted", type: "int[]" }, { name: "reviews_created", type: "int[]" },
    { name: "reviews_resolved", type: "int[]" }, { name: "sla_breaches", type: "int[]" }, { name: "emails_sent_for_bounce_rate", type: "int[]" },
    { name: "emails_bounced_for_bounce_rate", type: "int[]" }, { name: "bounce_rate", type: "numeric[]" }, { name: "reply_rate", type: "numeric[]" },
  ], statsRows);

  const offline = phones.find((p) => p.status === "OFFLINE");
  if (offline) {
    await client.query(
      `INSERT INTO alerts (tenant_id, severity, type, title, message, phone_id, dedupe_key) VALUES ($1,'HIGH','PHONE_OFFLINE',$2,$3,$4,$5)`,
      [tenantId, "Telefon deconectat", "Numărul Vânzări 13 nu mai este conectat la WhatsApp Web. Reconectați-l din aplicația TimelinesAI.", offline.id, `phone-offline:${offline.id}`],
    );
  }
  await client.query(
    `INSERT INTO do_not_contact (tenant_id, type, value, reason, source) VALUES ($1,'EMAIL',$2,'Cerere de dezabonare','import'), ($1,'DOMAIN','concurenta-agro.ro','Concurent','manual'), ($1,'PHONE',$3,'A cerut să nu fie contactat','whatsapp')`,
    [tenantId, `contact@exemplu-${tenant.slug}.ro`, romanianMobile(rng)],
  );

  return { tenantId, companies: companiesWritten, phones: phones.length, messages: messagesWritten, reviews: reviewsWritten };
}

const LEAD_BATCH = 20_000;

interface LeadBatch {
  companyRows: unknown[][];
  journeyRows: unknown[][];
  history: unknown[][];
  enrollments: unknown[][];
  messages: unknown[][];
  reviews: unknown[][];
}

/** Writes one batch of leads and everything hanging off them, parents first. */
async function insertLeadBatch(client: pg.ClientBase, batch: LeadBatch): Promise<void> {
  const { companyRows, journeyRows, history, enrollments, messages, reviews } = batch;
  await bulkInsert(client, "gold_companies", [
    { name: "id", type: "uuid[]" }, { name: "tenant_id", type: "uuid[]" }, { name: "denumire", type: "text[]" }, { name: "cui", type: "text[]" },
    { name: "judet", type: "text[]" }, { name: "localitate", type: "text[]" }, { name: "adresa", type: "text[]" }, { name: "telefon_principal", type: "text[]" },
    { name: "hlr_reachable", type: "bool[]" }, { name: "email_principal", type: "text[]" }, { name: "email_status", type: "email_status_enum[]" },
    { name: "contact_principal_nume", type: "text[]" }, { name: "contact_principal_functie", type: "text[]" }, { name: "cod_caen", type: "text[]" },
    { name: "suprafata_agricola_ha", type: "numeric[]" }, { name: "website", type: "text[]" },
  ], companyRows);
  await bulkInsert(client, "gold_lead_journey", [
    { name: "id", type: "uuid[]" }, { name: "tenant_id", type: "uuid[]" }, { name: "lead_id", type: "uuid[]" }, { name: "assigned_phone_id", type: "uuid[]" },
    { name: "assigned_at", type: "timestamptz[]" }, { name: "current_state", type: "current_state_enum[]" }, { name: "previous_state", type: "current_state_enum[]" },
    { name: "state_changed_at", type: "timestamptz[]" }, { name: "state_change_reason", type: "text[]" }, { name: "quota_consumption_date", type: "varchar[]" },
    { name: "is_new_contact", type: "bool[]" }, { name: "first_contact_channel", type: "channel_enum[]" }, { name: "last_channel_used", type: "channel_enum[]" },
    { name: "email_opted_out", type: "bool[]" }, { name: "whatsapp_opted_out", type: "bool[]" }, { name: "current_sequence_id", type: "uuid[]" },
    { name: "sequence_step", type: "int[]" }, { name: "sequence_started_at", type: "timestamptz[]" }, { name: "sequence_paused", type: "bool[]" },
    { name: "next_action_at", type: "timestamptz[]" }, { name: "next_action_reason", type: "text[]" }, { name: "sentiment_score", type: "int[]" },
    { name: "engagement_score", type: "int[]" }, { name: "reply_count", type: "int[]" }, { name: "open_count", type: "int[]" }, { name: "click_count", type: "int[]" },
    { name: "requires_human_review", type: "bool[]" }, { name: "human_review_reason", type: "review_reason_enum[]" }, { name: "human_review_priority", type: "review_priority_enum[]" },
    { name: "is_human_controlled", type: "bool[]" }, { name: "assigned_to_user", type: "uuid[]" }, { name: "first_contact_at", type: "timestamptz[]" },
    { name: "last_contact_at", type: "timestamptz[]" }, { name: "last_reply_at", type: "timestamptz[]" }, { name: "converted_at", type: "timestamptz[]" },
  ], journeyRows);
  await bulkInsert(client, "lead_state_history", [
    { name: "tenant_id", type: "uuid[]" }, { name: "journey_id", type: "uuid[]" }, { name: "lead_id", type: "uuid[]" }, { name: "from_state", type: "current_state_enum[]" },
    { name: "to_state", type: "current_state_enum[]" }, { name: "actor_type", type: "actor_type_enum[]" }, { name: "actor_id", type: "text[]" }, { name: "reason", type: "text[]" },
    { name: "created_at", type: "timestamptz[]" },
  ], history);
  await bulkInsert(client, "sequence_enrollments", [
    { name: "tenant_id", type: "uuid[]" }, { name: "journey_id", type: "uuid[]" }, { name: "lead_id", type: "uuid[]" }, { name: "sequence_id", type: "uuid[]" },
    { name: "status", type: "enrollment_status_enum[]" }, { name: "current_step", type: "int[]" }, { name: "next_step_at", type: "timestamptz[]" },
    { name: "enrolled_at", type: "timestamptz[]" }, { name: "stopped_reason", type: "text[]" }, { name: "stopped_at", type: "timestamptz[]" },
  ], enrollments);
  await bulkInsert(client, "gold_communication_log", [
    { name: "id", type: "uuid[]" }, { name: "tenant_id", type: "uuid[]" }, { name: "journey_id", type: "uuid[]" }, { name: "lead_id", type: "uuid[]" },
    { name: "channel", type: "channel_enum[]" }, { name: "direction", type: "message_direction_enum[]" }, { name: "status", type: "message_status_enum[]" },
    { name: "external_message_id", type: "text[]" }, { name: "timelinesai_chat_id", type: "text[]" }, { name: "recipient", type: "text[]" }, { name: "subject", type: "text[]" },
    { name: "content_preview", type: "varchar[]" }, { name: "content_hash", type: "varchar[]" }, { name: "quota_cost", type: "smallint[]" }, { name: "phone_id", type: "uuid[]" },
    { name: "sequence_id", type: "uuid[]" }, { name: "sequence_step", type: "int[]" }, { name: "template_id", type: "uuid[]" }, { name: "template_version_id", type: "uuid[]" },
    { name: "idempotency_key", type: "text[]" }, { name: "sent_at", type: "timestamptz[]" }, { name: "created_at", type: "timestamptz[]" },
  ], messages);
  await bulkInsert(client, "human_review_queue", [
    { name: "tenant_id", type: "uuid[]" }, { name: "journey_id", type: "uuid[]" }, { name: "lead_id", type: "uuid[]" }, { name: "reason", type: "review_reason_enum[]" },
    { name: "priority", type: "review_priority_enum[]" }, { name: "status", type: "review_status_enum[]" }, { name: "assigned_to_user", type: "uuid[]" },
    { name: "sla_due_at", type: "timestamptz[]" }, { name: "sla_breached", type: "bool[]" }, { name: "sla_breached_at", type: "timestamptz[]" },
    { name: "trigger_message_id", type: "uuid[]" }, { name: "ai_sentiment_score", type: "int[]" }, { name: "ai_intent", type: "text[]" },
    { name: "drafted_answer", type: "text[]" }, { name: "resolution", type: "review_resolution_enum[]" }, { name: "resolved_at", type: "timestamptz[]" },
    { name: "resolved_by", type: "uuid[]" }, { name: "created_at", type: "timestamptz[]" },
  ], reviews);

}
