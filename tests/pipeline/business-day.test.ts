/**
 * A simulated business day in sandbox (issue 5): 20 ACTIVE phones, 5,000 COLD leads with verified
 * numbers, the tenant's default window (09:00–18:00 Europe/Bucharest, Monday–Friday, Romanian
 * holidays), spacing 30 s + random(0..120 s), 200 new contacts per phone and day. Real Postgres,
 * Redis, pg-boss and worker processes (one, then three at once) running the registered wa.send job;
 * the TimelinesAI simulator over HTTP. The day runs from 08:00 to 18:20, so dispatch and the send
 * path meet the closed window on both sides.
 *
 * Time: one simulated clock driven by the work (stepped-clock.ts), shared by this process, the
 * workers, pg-boss (its schema clock) and the simulator. It stands still while any job is running or
 * due; when none is, it moves on to the next thing that happens (a deferred send's start, a dispatch
 * slot), at least STEP_MS at a time. The machine's speed sets how long the day lasts in real time and
 * nothing else, so what is asserted below holds on a loaded machine as on a quiet one. The dispatch
 * cron is this test: it calls runDispatch (and the dispatch job's unblocking of failed sends) at each
 * simulated 5-minute slot boundary.
 *
 * Checked afterwards, from our database, from the simulator's own records, and from what the quota
 * guardian decided in the workers:
 *   - the limit was reached: every phone made exactly 200 first contacts (4,000 of the 5,000 leads),
 *     which the log, the Redis counters, the simulator and every allowed decision agree on; every
 *     refusal for quota came at the limit, and after the day the guardian refuses one more first
 *     contact on every phone;
 *   - never two sends of one phone at once: the workers never handled two jobs of one phone at the
 *     same (real) time, in any process; each send's quota decision came after the phone's previous
 *     send was logged SENT;
 *   - spacing: each send was decided no earlier than the phone's previous send + its drawn spacing
 *     (30–150 s), and consecutive arrivals at the simulator are ≥ 30 s apart on its clock; the spacing,
 *     not the clock's steps, paced the phones (sends deferred to wait it out, and decided typically
 *     within one step of it running out);
 *   - inside the window: no send allowed outside it, none arrived before the opening, and dispatch
 *     dispatched nothing before 09:00 or from 18:00;
 *   - each lead gets each step at most once;
 *   - the simulator's message log equals our SENT log (uids, sender and recipient of each).
 *
 * Run time: about a thousand clock steps per day, each as long as the machine needs to run the jobs
 * due at it (a fetch, the sends and deferrals, the completions): a couple of minutes per variant on
 * a quiet 2-core machine, several when other work loads it.
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobDefinition } from "../../jobs/definition";
import { unblockFailedSends } from "../../jobs/pipeline/dispatch";
import { waSendJob } from "../../jobs/pipeline/wa-send";
import { waSendQueue } from "../../jobs/queues";
import { ensureTenantSendQueues } from "../../jobs/pipeline/wa-send-queue";
import { pgBossTransactionalQueue } from "../../jobs/transactional-queue";
import { getEnv } from "../../server/config/env.server";
import { runDispatch, type DispatchRunResult } from "../../server/pipeline/dispatch/dispatch.server";
import { DISPATCH_SLOT_MS } from "../../server/pipeline/rules/ids.server";
import { spacingMs } from "../../server/pipeline/rules/pacing.server";
import { canonicalPhone } from "../../server/providers/timelinesai/client.server";
import { createQuotaGuardian } from "../../server/quota/guardian.server";
import { DEFAULT_QUOTA_SETTINGS } from "../../server/quota/settings";
import { DEFAULT_ACCOUNTS, startSimulators, type RunningSimulators } from "../../server/sandbox/launcher";
import { insertLeads, insertPhone, insertTenant } from "../support/factories";
import { sharedRedisUrl } from "../quota/support/index";
import { fromWorker, type HandledReport, type QuotaDecisionReport, type ToWorker } from "./business-day-ipc";
import { installSchemaClock, queueState, SteppedClock } from "./stepped-clock";
import { startPipelineEnv, type PipelineEnv } from "./support";

const ZONE = "Europe/Bucharest";

/** The instants of one simulated day (a working day, no Romanian public holiday). */
function dayOf(date: string) {
  const local = (time: string) => DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toJSDate();
  return {
    date,
    start: local("08:00"),
    end: local("18:20"),
    /** The window as the spec states it, not as server/quota/window.ts computes it. */
    opens: local("09:00"),
    closes: local("18:00"),
  };
}
type SimulatedDay = ReturnType<typeof dayOf>;

const PHONES = 20;
const LEADS = 5_000;
const DAILY_LIMIT = 200;
/** The seeds' spacing: at least 30 s, plus up to 120 s at random (jitter_min/max_seconds 30/150). */
const JITTER = { min: 30, max: 150 };
const MIN_SPACING_MS = JITTER.min * 1000;
/** Real ms the simulator holds each send, so that two overlapping sends of one account would overlap. */
const ACCEPT_DELAY_MS = 20;
/**
 * Dispatch's queue cap per phone (production: 20). Every deferral re-enqueues the job behind the
 * phone's other queued jobs, which then come up and defer in turn: each message costs one job run per
 * queued job. 3 covers what a phone sends between two dispatch runs (300 s / 90 s mean spacing) and
 * keeps that churn, at every clock step, small.
 */
const MAX_PENDING_PER_PHONE = 3;
/**
 * The clock's resolution: when the next start is nearer than this, the clock moves this far, and the
 * jobs due in between run together (each at most this late; never early). Well inside the 30–150 s
 * spacing; a smaller step checks pacing more tightly and costs proportionally more steps.
 */
const STEP_MS = Number(process.env.BD_STEP ?? 30_000);

let env: PipelineEnv;
const children = new Set<ChildProcess>();
const simulators: RunningSimulators[] = [];

beforeAll(async () => {
  env = await startPipelineEnv("pday", [waSendJob] as JobDefinition[]);
});
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  for (const s of simulators) await s.close();
  await env?.close();
});

interface DayWorld {
  tenantId: string;
  phoneIds: string[];
  /** phoneId → its WhatsApp number. */
  numbers: Map<string, string>;
}

async function createDayWorld(accounts: readonly string[], leadPrefix: string): Promise<DayWorld> {
  const { withTenant } = await import("../../server/db/client.server");
  const { createTemplate } = await import("../../server/templates/templates.server");
  const { createSequence } = await import("../../server/sequences/sequences.server");
  const tenantId = randomUUID();
  env.tenants.push(tenantId);
  await insertTenant(env.admin, { id: tenantId, name: `Agro Zi ${tenantId.slice(0, 6)} SRL`, slug: `day-${tenantId}`, jitterMinSeconds: JITTER.min, jitterMaxSeconds: JITTER.max, dispatchBatchSize: 100 });
  const numbers = new Map<string, string>();
  for (const number of accounts) {
    numbers.set(await insertPhone(env.admin, tenantId, { label: `Vânzări ${number.slice(-3)}`, phoneNumber: number, dailyQuotaLimit: DAILY_LIMIT }), number);
  }
  const phoneIds = [...numbers.keys()];
  env.phones.push(...phoneIds);
  // What adding a phone does in production: the tenant's send queue (ADR 0014).
  await ensureTenantSendQueues(env.boss, [tenantId]);
  await env.store.writeMirrors(phoneIds.map((phoneId) => ({ phoneId, status: "ACTIVE" as const, enabled: true, limit: DAILY_LIMIT })));
  await withTenant(tenantId, async (tx) => {
    const t = await createTemplate(tx, tenantId, {
      name: "Prim contact",
      channel: "WHATSAPP",
      content: "{Bună ziua|Salut}, {{companyName}}! Avem oferte de semințe pentru {{judet}}.",
      variables: [
        { name: "companyName", required: true },
        { name: "judet", required: false, default: "zona dumneavoastră" },
      ],
    });
    await createSequence(tx, tenantId, {
      name: "Implicită",
      isDefault: true,
      steps: [
        { stepNumber: 1, channel: "WHATSAPP", templateId: t.id, delayHours: 0, delayMinutes: 0, stopOnReply: true, respectBusinessHours: true },
        { stepNumber: 2, channel: "WHATSAPP", templateId: t.id, delayHours: 24, delayMinutes: 0, stopOnReply: true, respectBusinessHours: true },
      ],
    });
  });
  // 5,000 COLD leads with verified (HLR-reachable) numbers, never scheduled: all due at the opening.
  await insertLeads(
    env.admin,
    tenantId,
    Array.from({ length: LEADS }, (_, i) => i + 1).map((g) => ({
      company: { denumire: `Ferma ${g} SRL`, telefonPrincipal: `${leadPrefix}${String(g).padStart(6, "0")}`, hlrReachable: true, judet: "Iași" },
    })),
  );
  await env.admin.query("ANALYZE gold_companies, gold_lead_journey");
  return { tenantId, phoneIds, numbers };
}

interface Worker {
  process: ChildProcess;
  decisions: QuotaDecisionReport[];
  handled: HandledReport[];
  /** Steps of the clock this worker has not confirmed yet. */
  unconfirmed: Map<number, () => void>;
  cpuMs?: number;
}

async function startWorker(start: number, sims: RunningSimulators): Promise<Worker> {
  const childEnv = {
    ...process.env,
    DATABASE_URL: env.db.appUrl,
    QUOTA_REDIS_URL: await sharedRedisUrl(13),
    TIMELINESAI_URL: sims.urls.timelinesai,
    SIM_NOW: String(start),
    PGBOSS_SCHEMA: getEnv().PGBOSS_SCHEMA,
    LOG_LEVEL: "silent",
  };
  const child = fork(path.join(import.meta.dirname, "business-day-worker.ts"), { execArgv: ["--import", "tsx"], env: childEnv, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  children.add(child);
  child.once("exit", () => children.delete(child));
  const worker: Worker = { process: child, decisions: [], handled: [], unconfirmed: new Map() };
  return new Promise<Worker>((resolve, reject) => {
    child.on("message", (raw) => {
      const m = fromWorker.parse(raw);
      if (m.type === "ready") resolve(worker);
      else if (m.type === "clock-set") worker.unconfirmed.get(m.now)?.();
      else if (m.type === "decision") worker.decisions.push(m);
      else if (m.type === "handled") worker.handled.push(m);
      else worker.cpuMs = m.cpuMs;
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
  });
}

function tell(worker: Worker, message: ToWorker): void {
  worker.process.send(message);
}

function stopWorker(worker: Worker): Promise<void> {
  const child = worker.process;
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/**
 * Owns the day's clock: moves it (every worker confirms the new instant before pg-boss and the
 * simulator see it, then their fetch loops are woken) and waits until the jobs due at it are done.
 */
function dayClock(o: { admin: pg.Client; schema: string; queue: string; start: number; sims: RunningSimulators; workers: () => Worker[] }) {
  const time = new SteppedClock(o.start);
  let steps = 0;
  const prof = { advanceMs: 0, settleMs: 0, polls: 0 };
  return {
    time,
    install: () => installSchemaClock(o.admin, o.schema, o.start),
    get steps() {
      return steps;
    },
    prof,
    async advance(to: number, schemaClock: { set(instant: number): Promise<void> }): Promise<void> {
      const from = time.ms;
      if (to <= from) return;
      steps += 1;
      const t0 = Date.now();
      await Promise.all(
        o.workers().map(
          (w) =>
            new Promise<void>((resolve) => {
              w.unconfirmed.set(to, () => {
                w.unconfirmed.delete(to);
                resolve();
              });
              tell(w, { type: "clock", now: to });
            }),
        ),
      );
      time.set(to);
      await schemaClock.set(to);
      const res = await fetch(`${o.sims.origin}/__control/clock/advance`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ms: to - from }) });
      if (!res.ok) throw new Error(`simulator clock: ${res.status} ${await res.text()}`);
      for (const w of o.workers()) tell(w, { type: "wake" });
      prof.advanceMs += Date.now() - t0;
    },
    /**
     * Waits until no wa.send job is running or due at the current instant; returns the earliest
     * start still ahead. Nothing but this test can end that state (only a running job enqueues
     * another), so the clock may then move.
     */
    async settled(): Promise<Date | null> {
      const t0 = Date.now();
      for (;;) {
        const q = await queueState(o.admin, o.schema, o.queue);
        prof.polls += 1;
        if (q.active === 0 && q.due === 0) {
          prof.settleMs += Date.now() - t0;
          return q.next;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

interface SimMessage {
  id: string;
  from: string;
  to: string;
  at: string;
  refs: { requestedAt?: string };
}

interface SentRow {
  id: string;
  journey_id: string;
  phone_id: string;
  sequence_step: number;
  quota_cost: number;
  external_message_id: string;
  recipient: string;
  sent_at: Date;
  usage_date: string;
}

async function simulateDay(day: SimulatedDay, workerCount: number, accounts: readonly string[], leadPrefix: string) {
  const world = await createDayWorld(accounts, leadPrefix);
  const schema = getEnv().PGBOSS_SCHEMA;
  const sims = await startSimulators({
    port: 0,
    accounts: [...accounts],
    clock: { mode: "manual", start: day.start.toISOString() },
    scenario: { replies: { probability: 0 }, whatsapp: { acceptDelayMs: ACCEPT_DELAY_MS } },
  });
  simulators.push(sims);
  const workers: Worker[] = [];
  const clock = dayClock({ admin: env.admin, schema, queue: waSendQueue(world.tenantId), start: day.start.getTime(), sims, workers: () => workers });
  const { time } = clock;
  const schemaClock = await clock.install();
  workers.push(...(await Promise.all(Array.from({ length: workerCount }, () => startWorker(day.start.getTime(), sims)))));
  const guardian = createQuotaGuardian({ store: env.store, clock: time.now, logDecisions: false });

  const runs: DispatchRunResult[] = [];
  const realStarted = Date.now();
  try {
    let slot = day.start.getTime();
    for (;;) {
      if (time.ms === slot && slot < day.end.getTime()) {
        runs.push(
          await runDispatch(
            { guardian, boss: env.boss, queue: pgBossTransactionalQueue(env.boss), sequences: env.ports.sequences, clock: time.now, options: { maxPendingPerPhone: MAX_PENDING_PER_PHONE } },
            { tenantId: world.tenantId, slot: new Date(slot) },
          ),
        );
        await unblockFailedSends(env.boss, world.tenantId);
        slot += DISPATCH_SLOT_MS;
        for (const w of workers) tell(w, { type: "wake" });
      }
      const next = (await clock.settled())?.getTime() ?? Number.POSITIVE_INFINITY;
      if (time.ms >= day.end.getTime()) break;
      // The next start, but at least one step on; never past a dispatch slot or the end of the day.
      await clock.advance(Math.min(Math.max(next, time.ms + STEP_MS), slot, day.end.getTime()), schemaClock);
    }
  } finally {
    await Promise.all(workers.map(stopWorker));
  }
  const realSeconds = (Date.now() - realStarted) / 1000;
  // What is left is due tomorrow; the next day (the next test) has its own phones.
  await env.boss.deleteQueuedJobs(waSendQueue(world.tenantId));
  await schemaClock.restore();

  const sent = (
    await env.admin.query<SentRow>(
      `SELECT id, journey_id, phone_id, sequence_step, quota_cost, external_message_id, recipient, sent_at, metadata->>'usageDate' AS usage_date
         FROM gold_communication_log WHERE tenant_id = $1 AND channel = 'WHATSAPP' AND status = 'SENT'`,
      [world.tenantId],
    )
  ).rows;
  const unsent = (await env.admin.query(`SELECT status, metadata FROM gold_communication_log WHERE tenant_id = $1 AND status <> 'SENT'`, [world.tenantId])).rows;
  const closedRuns = (
    await env.admin.query<{ slot_start: Date; status: string }>(`SELECT slot_start, status FROM dispatch_runs WHERE tenant_id = $1 AND status = 'WINDOW_CLOSED' ORDER BY slot_start`, [world.tenantId])
  ).rows;
  const res = await fetch(`${sims.origin}/__control/messages?provider=timelinesai&direction=outbound`);
  const simLog = (await res.json()) as SimMessage[];
  const usage = await guardian.usage(world.tenantId, world.phoneIds, DEFAULT_QUOTA_SETTINGS);
  // One more first contact per phone, asked of the guardian inside the day's window (17:00) once the
  // day is over: whether sends were still queued when a phone reached its limit depends on the
  // spacing's random draws, so this asks every phone at the limit, whatever the draws were.
  const atFive = createQuotaGuardian({ store: env.store, clock: () => new Date(day.closes.getTime() - 3600_000), logDecisions: false });
  const oneMore = await Promise.all(world.phoneIds.map((phoneId) => atFive.check({ tenantId: world.tenantId, phoneId, cost: 1, settings: DEFAULT_QUOTA_SETTINGS })));
  return {
    oneMore,
    day,
    world,
    runs,
    closedRuns,
    sent,
    unsent,
    simLog,
    usage,
    decisions: workers.flatMap((w) => w.decisions),
    handled: workers.flatMap((w) => w.handled),
    cpuSeconds: workers.map((w) => (w.cpuMs ?? 0) / 1000),
    steps: clock.steps,
    prof: clock.prof,
    realSeconds,
  };
}

type Day = Awaited<ReturnType<typeof simulateDay>>;

function summary(day: Day): string {
  const perPhone = new Map<string, number>();
  for (const r of day.sent) perPhone.set(r.phone_id, (perPhone.get(r.phone_id) ?? 0) + 1);
  const kinds = new Map<string, number>();
  for (const h of day.handled) kinds.set(h.code ?? h.kind, (kinds.get(h.code ?? h.kind) ?? 0) + 1);
  const sends = day.handled.filter((h) => h.kind === "SENT").map((h) => h.realMs).sort((a, b) => a - b);
  const lastSend = Math.max(...day.sent.map((r) => r.sent_at.getTime()));
  const reached = day.sent.filter((r) => r.quota_cost === 1).length;
  return [
    `profile ${JSON.stringify(day.prof)}`,
    `business day ${day.day.date}: ${day.realSeconds.toFixed(0)} s real in ${day.steps} clock steps (${((day.realSeconds * 1000) / Math.max(day.steps, 1)).toFixed(0)} ms each), load average ${loadAverage()}`,
    `${day.sent.length} sent (${reached} new contacts), per phone ${Math.min(...perPhone.values())}–${Math.max(...perPhone.values())}, last send ${DateTime.fromMillis(lastSend, { zone: ZONE }).toFormat("HH:mm:ss")}`,
    `jobs ${JSON.stringify(Object.fromEntries(kinds))}, send job p50/p90 ${sends[Math.floor(sends.length / 2)]?.toFixed(0)}/${sends[Math.floor(sends.length * 0.9)]?.toFixed(0)} ms real, worker CPU ${day.cpuSeconds.map((c) => c.toFixed(0)).join("+")} s`,
  ].join("\n  ");
}

function loadAverage(): string {
  return loadavg()[0]!.toFixed(1);
}

function checkDay(day: Day): void {
  const { world, sent, simLog, runs, usage, decisions } = day;
  const { opens, closes, date } = day.day;
  console.info(summary(day));
  const simOf = new Map(simLog.map((m) => [m.id, m]));
  const requested = (m: SimMessage) => Date.parse(m.refs.requestedAt!);
  const perPhone = (counts: Map<string, number>) => Object.fromEntries(world.phoneIds.map((id) => [id, counts.get(id) ?? 0]));
  const everyPhone = (n: number) => Object.fromEntries(world.phoneIds.map((id) => [id, n]));

  // The simulator's log is ours: same messages, each from our phone to our recipient.
  expect(simLog.map((m) => m.id).sort()).toEqual(sent.map((r) => r.external_message_id).sort());
  for (const r of sent) {
    const m = simOf.get(r.external_message_id)!;
    expect({ from: m.from, to: m.to }).toEqual({ from: world.numbers.get(r.phone_id), to: canonicalPhone(r.recipient) });
  }
  // Nothing left half-sent once the workers stopped.
  expect(day.unsent.filter((u) => u.status === "QUEUED" && u.metadata?.attemptAt)).toEqual([]);

  // Each lead gets each step at most once (step 2 is due a day later, so: one message per lead).
  expect(new Set(sent.map((r) => `${r.journey_id}:${r.sequence_step}`)).size).toBe(sent.length);
  expect(new Set(simLog.map((m) => m.to)).size).toBe(simLog.length);

  // The limit, reached by every phone and never passed: exactly 200 new contacts per phone on the
  // day, in our log, in Redis, at the simulator, and in every decision the guardian took.
  const newContacts = new Map<string, number>();
  for (const r of sent) {
    expect(r.usage_date).toBe(date);
    if (r.quota_cost === 1) newContacts.set(r.phone_id, (newContacts.get(r.phone_id) ?? 0) + 1);
  }
  expect(perPhone(newContacts)).toEqual(everyPhone(DAILY_LIMIT));
  expect(sent.length).toBe(PHONES * DAILY_LIMIT);
  expect(Object.fromEntries(usage.map((u) => [u.phoneId, u.used]))).toEqual(everyPhone(DAILY_LIMIT));
  const simPerAccount = new Map<string, SimMessage[]>();
  for (const m of simLog) simPerAccount.set(m.from, [...(simPerAccount.get(m.from) ?? []), m]);
  expect([...simPerAccount.values()].map((list) => list.length)).toEqual(Array.from({ length: PHONES }, () => DAILY_LIMIT));
  const allowed = decisions.filter((d) => d.allowed);
  for (const d of allowed) expect({ usageDate: d.usageDate, overLimit: d.used > DAILY_LIMIT }).toEqual({ usageDate: date, overLimit: false });
  // Sends still queued for a phone whose 200 were used (if the draws left any) were refused by the
  // guardian, at the limit; and one more first contact on any phone is refused, at the limit.
  const refusals = decisions.filter((d) => !d.allowed && d.reason === "QUOTA_EXHAUSTED");
  for (const d of refusals) expect({ used: d.used, cost: d.cost }).toEqual({ used: DAILY_LIMIT, cost: 1 });
  expect(day.oneMore.map((d) => ({ allowed: d.allowed, reason: d.allowed ? null : d.reason, used: d.used }))).toEqual(
    world.phoneIds.map(() => ({ allowed: false, reason: "QUOTA_EXHAUSTED", used: DAILY_LIMIT })),
  );

  // Inside the window: the guardian allowed nothing outside it, and nothing reached TimelinesAI
  // before the opening.
  for (const d of allowed) {
    expect(d.after).toBeGreaterThanOrEqual(opens.getTime());
    expect(d.before).toBeLessThan(closes.getTime());
  }
  for (const m of simLog) expect(requested(m)).toBeGreaterThanOrEqual(opens.getTime());
  // Dispatch met the closed window on both sides (12 slots before 09:00, 4 from 18:00) and
  // dispatched nothing then, though leads were due.
  expect(closedRunsOutside(day)).toEqual({ before: 12, after: 4 });
  for (const run of runs) {
    const slot = Date.parse(run.slot);
    if (slot < opens.getTime() || slot >= closes.getTime()) expect(run).toMatchObject({ status: "DONE", summary: { dispatchedToWhatsApp: 0 } });
  }

  // One send in flight per phone. In the workers: no two jobs of one phone were ever handled at the
  // same time, in one process or across processes (real instants, one machine clock). In our
  // pipeline: each message's quota decision came after the phone's previous message was logged SENT.
  const handledByPhone = new Map<string, HandledReport[]>();
  for (const h of day.handled) handledByPhone.set(h.phoneId, [...(handledByPhone.get(h.phoneId) ?? []), h]);
  for (const list of handledByPhone.values()) {
    list.sort((a, b) => a.realStart - b.realStart);
    for (let i = 1; i < list.length; i++) expect(list[i]!.realStart).toBeGreaterThanOrEqual(list[i - 1]!.realEnd);
  }
  const allowedByPhone = new Map<string, QuotaDecisionReport[]>();
  for (const d of allowed) allowedByPhone.set(d.phoneId, [...(allowedByPhone.get(d.phoneId) ?? []), d]);
  const byPhone = new Map<string, SentRow[]>();
  const lags: number[] = [];
  for (const r of sent) byPhone.set(r.phone_id, [...(byPhone.get(r.phone_id) ?? []), r]);
  for (const [phoneId, rows] of byPhone) {
    const phoneDecisions = (allowedByPhone.get(phoneId) ?? []).sort((a, b) => a.before - b.before);
    rows.sort((a, b) => requested(simOf.get(a.external_message_id)!) - requested(simOf.get(b.external_message_id)!));
    for (let i = 0; i < rows.length; i++) {
      const arrived = requested(simOf.get(rows[i]!.external_message_id)!);
      // The message's decision: the phone's last allowed decision before the message arrived.
      const decision = phoneDecisions.filter((d) => d.after <= arrived).at(-1);
      expect(decision).toBeDefined();
      if (i === 0) continue;
      const previous = rows[i - 1]!;
      expect(previous.sent_at.getTime()).toBeLessThanOrEqual(arrived);
      // The phone's spacing after that send, as drawn (30 s + a random part up to 120 s), was honoured.
      const spacing = spacingMs(phoneId, previous.sent_at, { jitterMinSeconds: JITTER.min, jitterMaxSeconds: JITTER.max });
      expect(spacing).toBeGreaterThanOrEqual(MIN_SPACING_MS);
      expect(spacing).toBeLessThanOrEqual(JITTER.max * 1000);
      const lag = decision!.before - (previous.sent_at.getTime() + spacing);
      expect(lag).toBeGreaterThanOrEqual(0);
      lags.push(lag);
    }
  }
  for (const list of simPerAccount.values()) {
    list.sort((a, b) => requested(a) - requested(b));
    for (let i = 1; i < list.length; i++) {
      expect(requested(list[i]!)).toBeGreaterThanOrEqual(Date.parse(list[i - 1]!.at));
      // Consecutive sends of a phone ≥ 30 s apart on the simulator's clock.
      expect(requested(list[i]!) - requested(list[i - 1]!)).toBeGreaterThanOrEqual(MIN_SPACING_MS);
    }
  }
  // The spacing paced the phones, not the clock: sends were deferred to wait it out (re-enqueued
  // with startAfter, no worker held), and a phone's next send was typically decided within one clock
  // step of its spacing running out.
  const deferrals = day.handled.filter((h) => h.code === "DEFERRED_SPACING").length;
  expect(deferrals).toBeGreaterThanOrEqual(sent.length / 2);
  expect(lags.length).toBe(sent.length - PHONES);
  lags.sort((a, b) => a - b);
  console.info(`  decided after the spacing ran out: p50 ${(lags[Math.floor(lags.length / 2)]! / 1000).toFixed(1)} s, p90 ${(lags[Math.floor(lags.length * 0.9)]! / 1000).toFixed(1)} s (simulated)`);
  expect(lags[Math.floor(lags.length / 2)]!).toBeLessThanOrEqual(STEP_MS);
}

function closedRunsOutside(day: Day): { before: number; after: number } {
  return {
    before: day.closedRuns.filter((r) => r.slot_start.getTime() < day.day.opens.getTime()).length,
    after: day.closedRuns.filter((r) => r.slot_start.getTime() >= day.day.closes.getTime()).length,
  };
}

// A whole simulated day is legitimately long: about a thousand clock steps, each as long as the
// machine needs for the jobs due at it (minutes per variant when other work loads the machine).
describe("a simulated business day (20 phones, 5,000 COLD leads)", () => {
  it("with one worker process", { timeout: 1_800_000 }, async () => {
    // Wednesday 10 June 2026.
    checkDay(await simulateDay(dayOf("2026-06-10"), 1, DEFAULT_ACCOUNTS, "+40721"));
  });

  it("with three worker processes at once", { timeout: 1_800_000 }, async () => {
    // Thursday 11 June 2026: the clock only goes forward.
    const accounts = DEFAULT_ACCOUNTS.map((n) => n.replace("+4074000", "+4074100"));
    checkDay(await simulateDay(dayOf("2026-06-11"), 3, accounts, "+40722"));
  });
});
