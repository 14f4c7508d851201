/**
 * `npm run bench:webhooks`: the webhook receivers under load, end to end.
 *
 *  1. The project's own Postgres and Redis for benchmarks (.data/bench; BENCH_PG_PORT 54349,
 *     BENCH_REDIS_PORT 63819), a fresh migrated database, one tenant with BENCH_LEADS leads, each with
 *     a sent WhatsApp message and a sent warm email in the log (what the send jobs leave behind).
 *  2. `remix build`, then the real server (server/http/main.server.ts) as a child process on a free port,
 *     production mode, and the pg-boss workers where BENCH_WORKERS puts them (below).
 *  3. autocannon: BENCH_SECONDS (30) at BENCH_CONNECTIONS (50), half Svix-signed Resend events
 *     (email.delivered / opened / clicked of the seeded emails), half TimelinesAI replies
 *     (message:received:new from the seeded leads). Every request carries a new provider event id;
 *     bodies and signatures are made before the run so the load generator spends its CPU sending.
 *  4. Waits until the workers have processed everything, then checks: every acknowledged
 *     event is stored exactly once (0 lost), processed exactly once (one final status per event, one
 *     inbound log row and one analysis job per reply, reply counters that add up).
 *
 * Prints req/s, p50/p99 latency, the server's CPU per request, the machine's load average (this box
 * is shared: other work on it moves the figures), the processing drain time and the checks; exits 1
 * if a check fails (the throughput/latency targets are reported, not enforced: they depend on the
 * machine). Knobs: BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_LEADS, BENCH_WORKERS, BENCH_CPU_PROF=<dir>
 * (V8 profiles of the server and the worker), BENCH_KEEP_DB=1 (else it is dropped).
 *
 * BENCH_WORKERS, where processing runs while the load is on:
 *  - "separate" (default): the server without workers (WORKERS_EMBEDDED=false) and one worker process
 *    (`npm run worker`, jobs/worker.ts) beside it, both running through the load on this same machine.
 *    This is the honest figure for the receiver: every event is processed during and after the run
 *    on the same two cores, and what is measured is what a provider sees when the web process only
 *    answers webhooks and a worker process normalizes them (the deployment for webhook volume).
 *    The worker runs at nice BENCH_WORKER_NICE (default 10), as the README recommends for a shared
 *    host: normalization needs several times the CPU of ingest and cannot keep pace with a burst on
 *    two cores either way, so the question is only who waits, a provider for its answer or the
 *    backlog for its turn; the drain time says what the backlog paid. BENCH_WORKER_NICE=0 measures
 *    equal priority.
 *  - "embedded": the workers inside the server process (`START_WORKERS=embedded`). One event loop then
 *    does both, and normalization (Prisma transactions, several times the CPU of ingest) sits
 *    in front of the webhooks in the same queue: the figure for a small single-process install.
 *  - "after": no workers during the load (the receiver alone); a worker process drains afterwards.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { cpus, loadavg, setPriority } from "node:os";
import path from "node:path";
import autocannon, { type AutocannonResult } from "autocannon";
import pg from "pg";
import { Webhook } from "svix";
import { PROJECT_ROOT } from "../scripts/lib/layout";
import { cpuSeconds, parentPid, postgresCpuSeconds } from "./support/process-cpu";
import { createDatabase, ensureServices } from "../scripts/lib/services";
import { mustRun } from "../scripts/lib/run";
import { migrate } from "../server/db/migrate.server";
import { webhookNormalizeJob } from "../jobs/webhooks/normalize";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const LEADS = Number(process.env.BENCH_LEADS ?? 5_000);
/** Requests prepared up front: more than the server can take in the run (the receiver alone has done ≈ 3 900/s here). */
const PREPARED = Number(process.env.BENCH_PREPARED ?? Math.max(20_000, SECONDS * 5_000));
const DRAIN_TIMEOUT_MS = Number(process.env.BENCH_DRAIN_TIMEOUT_MS ?? 20 * 60_000);
/** Where processing runs while the load is on (see the top of this file). */
const WORKERS = ((): "separate" | "embedded" | "after" => {
  const mode = process.env.BENCH_WORKERS ?? "separate";
  if (mode === "separate" || mode === "embedded" || mode === "after") return mode;
  throw new Error(`BENCH_WORKERS must be separate, embedded or after, not ${mode}`);
})();
/** The worker process's nice value (separate and after): see "separate" above. */
const WORKER_NICE = Number(process.env.BENCH_WORKER_NICE ?? 10);
const WORKERS_SAID = {
  separate: `in a separate worker process at nice ${WORKER_NICE}, running during the load`,
  embedded: "embedded in the server process, running during the load",
  after: `off during the load, a worker process (nice ${WORKER_NICE}) draining after`,
}[WORKERS];
const WARMUP_CONNECTIONS = 10;
const TARGET = { rps: 1_500, p99Ms: 50, normalizedPerSec: 1_500, drainSeconds: 60 };

const RESEND_SECRET = `whsec_${randomBytes(24).toString("base64")}`;
const say = (msg: string) => process.stdout.write(`[bench] ${msg}\n`);

// ─── Services and data ───────────────────────────────────────────────────────────────────────────

const services = await ensureServices({
  root: path.join(PROJECT_ROOT, ".data/bench"),
  pgPort: Number(process.env.BENCH_PG_PORT ?? 54349),
  redisPort: Number(process.env.BENCH_REDIS_PORT ?? 63819),
  database: "cerniq_bench",
});
const dbName = `bench_webhooks_${randomBytes(4).toString("hex")}`;
const adminUrl = createDatabase(services.adminUrl, dbName);
const appUrl = adminUrl.replace("postgres@", "cerniq_app:cerniq_app_local@");
await migrate({ adminUrl, appUrl });
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();

interface Seeded {
  tenantId: string;
  secret: string;
  ourPhone: string;
  leads: Array<{ phone: string; emailId: string; emailLogId: string; leadEmail: string }>;
}

async function seed(): Promise<Seeded> {
  const tenantId = randomUUID();
  await admin.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'Ferma Benchmark SRL', 'bench')`, [tenantId]);
  const secret = (await admin.query<{ s: string }>(`SELECT timelinesai_webhook_secret AS s FROM tenants WHERE id = $1`, [tenantId])).rows[0]!.s;
  const ourPhone = "+40740000101";
  const phoneId = randomUUID();
  await admin.query(`INSERT INTO wa_phone_numbers (id, tenant_id, label, phone_number, timelinesai_account_id) VALUES ($1, $2, 'Vânzări 01', $3, '40740000101@s.whatsapp.net')`, [phoneId, tenantId, ourPhone]);
  // Set-based inserts: thousands of leads in a few statements.
  await admin.query(
    `WITH n AS (SELECT g, gen_random_uuid() AS lead_id, gen_random_uuid() AS journey_id FROM generate_series(1, $2::int) g),
     c AS (INSERT INTO gold_companies (id, tenant_id, denumire, telefon_principal, email_principal)
           SELECT lead_id, $1, 'Agro ' || g || ' SRL', '+4072' || lpad(g::text, 7, '0'), 'fermier' || g || '@bench.ro' FROM n RETURNING id)
     -- Next action a month away: the pipeline's dispatch cron (same server) leaves these leads alone.
     INSERT INTO gold_lead_journey (id, tenant_id, lead_id, assigned_phone_id, current_state, next_action_at)
     SELECT journey_id, $1, lead_id, $3, 'CONTACTED_WA', now() + interval '30 days' FROM n`,
    [tenantId, LEADS, phoneId],
  );
  await admin.query(
    `INSERT INTO gold_communication_log (tenant_id, journey_id, lead_id, channel, direction, status, external_message_id, recipient, phone_id, sent_at)
     SELECT j.tenant_id, j.id, j.lead_id, ch.channel::channel_enum, 'OUTBOUND',
            -- WhatsApp messages already READ (final): the status-sync cron has nothing to poll, and
            -- no simulator runs here for it to poll.
            CASE WHEN ch.channel = 'WHATSAPP' THEN 'READ' ELSE 'SENT' END::message_status_enum, gen_random_uuid()::text,
            CASE WHEN ch.channel = 'WHATSAPP' THEN c.telefon_principal ELSE c.email_principal END,
            CASE WHEN ch.channel = 'WHATSAPP' THEN $2::uuid END, now() - interval '1 hour'
     FROM gold_lead_journey j JOIN gold_companies c ON c.id = j.lead_id
     CROSS JOIN (VALUES ('WHATSAPP'), ('EMAIL_WARM')) ch(channel)
     WHERE j.tenant_id = $1`,
    [tenantId, phoneId],
  );
  const { rows } = await admin.query<{ phone: string; email_id: string; log_id: string; email: string }>(
    `SELECT c.telefon_principal AS phone, m.external_message_id AS email_id, m.id AS log_id, c.email_principal AS email
     FROM gold_companies c JOIN gold_communication_log m ON m.lead_id = c.id AND m.channel = 'EMAIL_WARM' WHERE c.tenant_id = $1`,
    [tenantId],
  );
  await admin.query("ANALYZE");
  return { tenantId, secret, ourPhone, leads: rows.map((r) => ({ phone: r.phone, emailId: r.email_id, emailLogId: r.log_id, leadEmail: r.email })) };
}

// ─── The requests ────────────────────────────────────────────────────────────────────────────────

interface Prepared {
  path: string;
  headers: Record<string, string>;
  body: string;
}

function prepare(data: Seeded, total: number): Prepared[] {
  const signer = new Webhook(RESEND_SECRET);
  const signedAt = new Date();
  const tl = (s: Date) => `${s.toISOString().slice(0, 19).replace("T", " ")} +0000`;
  const out: Prepared[] = [];
  for (let i = 0; i < total; i++) {
    const lead = data.leads[i % data.leads.length]!;
    if (i % 2 === 0) {
      const type = ["email.delivered", "email.opened", "email.clicked"][(i >> 1) % 3]!;
      const at = new Date().toISOString();
      const body = JSON.stringify({
        type,
        created_at: at,
        data: {
          created_at: at,
          email_id: lead.emailId,
          from: "AgroVerde <vanzari@agroverde.ro>",
          to: [lead.leadEmail],
          subject: "Ofertă semințe certificate",
          tags: { cerniq_tenant: data.tenantId, cerniq_message: lead.emailLogId },
          ...(type === "email.clicked" ? { click: { ipAddress: "86.120.10.1", link: "https://agroverde.ro/oferta", timestamp: at, userAgent: "Mozilla/5.0" } } : {}),
        },
      });
      const id = `msg_${randomBytes(13).toString("hex")}`;
      out.push({
        path: "/webhooks/resend",
        headers: {
          "content-type": "application/json",
          "svix-id": id,
          "svix-timestamp": String(Math.floor(signedAt.getTime() / 1000)),
          "svix-signature": signer.sign(id, signedAt, body),
        },
        body,
      });
    } else {
      const body = JSON.stringify({
        event_type: "message:received:new",
        chat: { full_name: "Fermier", chat_url: "https://app.timelines.ai/chat/1/messages/", chat_id: 1_000_000 + (i % data.leads.length), is_group: false, phone: lead.phone },
        whatsapp_account: { full_name: "Agent vânzări", email: "vanzari@cerniq.local", phone: data.ourPhone },
        message: {
          text: "Bună ziua, ne interesează oferta. Ce preț aveți la semințe?",
          direction: "received",
          origin: "WhatsApp",
          timestamp: tl(new Date()),
          message_uid: randomUUID(),
          sender: { full_name: "Fermier", phone: lead.phone },
          recipient: { full_name: "Agent vânzări", phone: data.ourPhone },
          reply_to_uid: null,
          attachments: [],
        },
      });
      out.push({ path: `/webhooks/timelinesai/${data.secret}`, headers: { "content-type": "application/json" }, body });
    }
  }
  return out;
}

// ─── The server ──────────────────────────────────────────────────────────────────────────────────

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** What the server and the worker process both run with. */
function appEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: appUrl,
    DATABASE_ADMIN_URL: adminUrl,
    REDIS_URL: services.redisUrl,
    SESSION_SECRET: "bench-session-secret-bench-session-secret-0123",
    RESEND_WEBHOOK_SECRET: RESEND_SECRET,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  };
}

/** BENCH_CPU_PROF=<dir>: a V8 CPU profile of the process, written when it stops. */
const profileFlags = () => (process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []);

async function startServer(port: number, workers: boolean): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...profileFlags(), "--import", "tsx", "server/http/main.server.ts"], {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...appEnv(), HOST: "127.0.0.1", PORT: String(port), WORKERS_EMBEDDED: String(workers) },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return child;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error("server did not become healthy within 60 s");
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `npm run worker` (jobs/worker.ts), ready once it logs worker.started (hence its log level info). */
async function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...profileFlags(), "--import", "tsx", "jobs/worker.ts"], {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...appEnv(), LOG_LEVEL: process.env.LOG_LEVEL ?? "info" },
  });
  child.stdout!.pipe(process.stdout);
  if (WORKER_NICE !== 0) setPriority(child.pid!, WORKER_NICE);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("worker did not start within 60 s")), 60_000);
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString("utf8").includes('"action":"worker.started"')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return child;
}

/** Stops a server or worker this run started (SIGTERM: both shut down cleanly and write their profiles). */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      if (code !== 0) say(`process ${child.pid} exited with ${code ?? signal}`);
      resolve();
    }),
  );
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(timer);
}

/**
 * build/ is shared with everyone working in this checkout, and a development build there (jsxDEV)
 * cannot run in production mode: build, and make sure the bytes the server is about to load are
 * still this production build.
 */
async function buildApp(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    say("building the app (remix build)");
    await mustRun(process.execPath, [path.join(PROJECT_ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "build"], { cwd: PROJECT_ROOT, env: { ...process.env, NODE_ENV: "production" } });
    const bundle = await readFile(path.join(PROJECT_ROOT, "build/index.js"), "utf8");
    if (!bundle.includes("react/jsx-dev-runtime")) return;
    if (attempt === 3) throw new Error("build/index.js keeps being replaced by a development build (is `remix dev` running?)");
    say("build/index.js was replaced by a development build meanwhile; building again");
  }
}

// ─── The run ─────────────────────────────────────────────────────────────────────────────────────

const counts = async () => {
  const { rows } = await admin.query<{ status: string; n: string }>(`SELECT status::text, count(*)::text AS n FROM webhook_events GROUP BY 1`);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
};

let server: ChildProcess | undefined;
let worker: ChildProcess | undefined;
let failed = false;
try {
  say(`node ${process.version}, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}; database ${dbName}`);
  const data = await seed();
  say(`seeded ${data.leads.length} leads, each with a sent WhatsApp message and a sent warm email`);
  await buildApp();
  const port = await freePort();
  server = await startServer(port, WORKERS === "embedded");
  if (WORKERS === "separate") worker = await startWorker();
  const { localConcurrency, batchSize, pollingIntervalSeconds } = webhookNormalizeJob;
  say(
    `server up on 127.0.0.1:${port}; workers ${WORKERS_SAID} (webhook.normalize: ${JSON.stringify({ localConcurrency, batchSize, pollingIntervalSeconds })}); ` +
      `preparing ${PREPARED} requests`,
  );
  const prepared = prepare(data, PREPARED);

  // Warm-up (JIT, pools, caches); these events are part of the checks like any other.
  let next = 0;
  const accepted = new Set<string>();
  const answers = new Map<string, number>();
  const spec = {
    method: "POST",
    setupRequest: (request: { method?: string }) => {
      const p = prepared[next++ % prepared.length]!;
      return { ...request, method: "POST", path: p.path, headers: p.headers, body: p.body };
    },
    onResponse: (status: number, body: string) => {
      const key = `${status} ${status < 300 ? (JSON.parse(body) as { status: string }).status : (JSON.parse(body) as { reason?: { code: string } }).reason?.code ?? "?"}`;
      answers.set(key, (answers.get(key) ?? 0) + 1);
      if (status === 200) {
        const { status: outcome, eventId } = JSON.parse(body) as { status: string; eventId?: string };
        if (outcome === "accepted" && eventId) accepted.add(eventId);
      }
    },
  };
  await autocannon({ url: `http://127.0.0.1:${port}`, connections: WARMUP_CONNECTIONS, duration: 3, requests: [spec] });
  say(`warm-up done (${next} requests); measuring ${SECONDS} s at ${CONNECTIONS} connections`);

  const backend = (await admin.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
  const postmaster = await parentPid(backend);
  const dbCpuBefore = await postgresCpuSeconds(postmaster);
  const serverCpuBefore = await cpuSeconds(server.pid);
  const workerCpuBefore = await cpuSeconds(worker?.pid);
  const clientCpuBefore = process.cpuUsage();
  const loadBefore = loadavg()[0]!;
  say(`1-min load average before the run: ${loadBefore.toFixed(2)} on ${cpus().length} cores`);
  const dbNow = async () => (await admin.query<{ t: Date }>("SELECT clock_timestamp() AS t")).rows[0]!.t;
  const loadStartedDb = await dbNow();
  const result: AutocannonResult = await autocannon({ url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, duration: SECONDS, timeout: 10, requests: [spec] });
  const serverCpu = (await cpuSeconds(server.pid)) - serverCpuBefore;
  const workerCpu = (await cpuSeconds(worker?.pid)) - workerCpuBefore;
  const dbCpu = (await postgresCpuSeconds(postmaster)) - dbCpuBefore;
  const clientCpuUsage = process.cpuUsage(clientCpuBefore);
  const clientCpu = (clientCpuUsage.user + clientCpuUsage.system) / 1e6;
  const loadAfter = loadavg()[0]!;
  if (next > prepared.length) say(`WARNING: ${next - prepared.length} requests reused prepared bodies (raise BENCH_PREPARED): those are duplicates`);
  const loadEnded = Date.now();
  const loadEndedDb = await dbNow();
  const drainCpuBefore = { worker: await cpuSeconds(worker?.pid), db: await postgresCpuSeconds(postmaster) };
  if (WORKERS === "after") {
    worker = await startWorker();
    say("load done; started a worker process to drain");
  }

  // Drain: every stored event reaches a final status. Asked as "is one left?", which stops at the
  // first it finds: counting every status each second was a table scan charged to the drain's
  // Postgres CPU per event (≈ 0.1 ms of it at 20,000 events).
  const anyLeft = async () =>
    (await admin.query<{ left: boolean }>(`SELECT EXISTS (SELECT 1 FROM webhook_events WHERE status IN ('RECEIVED', 'FAILED')) AS left`)).rows[0]!.left;
  while (Date.now() - loadEnded < DRAIN_TIMEOUT_MS && (await anyLeft())) await new Promise((r) => setTimeout(r, 1_000));
  const drainSeconds = (Date.now() - loadEnded) / 1000;
  // After "after" mode's worker start, the drain's worker CPU is all of that process's.
  const drainWorkerCpu = (await cpuSeconds(worker?.pid)) - (WORKERS === "after" ? 0 : drainCpuBefore.worker);
  const drainDbCpu = (await postgresCpuSeconds(postmaster)) - drainCpuBefore.db;
  const leftAtEnd = await counts();
  const pending = (leftAtEnd.RECEIVED ?? 0) + (leftAtEnd.FAILED ?? 0);

  // Normalization's pace, from the events' own processed_at: during the load (sharing the cores with
  // the receiver and the load generator) and after it (the backlog, the worker alone).
  const pace = (
    await admin.query<{ during: string; after: string; last: Date | null }>(
      `SELECT count(*) FILTER (WHERE processed_at < $1)::text AS during, count(*) FILTER (WHERE processed_at >= $1)::text AS after, max(processed_at) AS last
         FROM webhook_events WHERE processed_at >= $2`,
      [loadEndedDb, loadStartedDb],
    )
  ).rows[0]!;
  const normalizedDuring = Number(pace.during);
  const normalizedAfter = Number(pace.after);
  const afterSeconds = pace.last && pace.last > loadEndedDb ? (pace.last.getTime() - loadEndedDb.getTime()) / 1000 : 0;
  const loadSeconds = (loadEndedDb.getTime() - loadStartedDb.getTime()) / 1000;
  const normalizedPerSecDuring = normalizedDuring / Math.max(loadSeconds, 1e-9);
  // The backlog's rate is the capacity figure; when there was no backlog to speak of, the rate during the load is.
  const normalizedPerSec = normalizedAfter >= 1_000 && afterSeconds > 0 ? normalizedAfter / afterSeconds : normalizedPerSecDuring;

  // ─── Checks ──────────────────────────────────────────────────────────────────────────────────
  const ids = [...accepted];
  const c = await counts();
  const stored = Number((await admin.query<{ n: string }>(`SELECT count(*)::text AS n FROM webhook_events WHERE id = ANY($1::uuid[])`, [ids])).rows[0]!.n);
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  const dupKeys = Number((await admin.query<{ n: string }>(`SELECT count(*)::text AS n FROM (SELECT provider, provider_event_id FROM webhook_events GROUP BY 1, 2 HAVING count(*) > 1) d`)).rows[0]!.n);
  const replies = Number((await admin.query<{ n: string }>(`SELECT count(*)::text AS n FROM webhook_events WHERE provider = 'TIMELINESAI'`)).rows[0]!.n);
  const inbound = Number((await admin.query<{ n: string }>(`SELECT count(*)::text AS n FROM gold_communication_log WHERE direction = 'INBOUND'`)).rows[0]!.n);
  const replyCount = Number((await admin.query<{ n: string }>(`SELECT COALESCE(sum(reply_count), 0)::text AS n FROM gold_lead_journey`)).rows[0]!.n);
  const analyses = Number((await admin.query<{ n: string }>(`SELECT count(*)::text AS n FROM pgboss.job WHERE name = 'ai.sentiment.analyze'`)).rows[0]!.n);
  // One job per group commit names its events (ADR 0017); its id is the first event's. Retries of an
  // event are jobs of their own, with ids of their own.
  const jobs = (
    await admin.query<{ jobs: string; receiver_jobs: string; receiver_namings: string; retry_jobs: string; named: string; failed_jobs: string }>(
      `SELECT count(*)::text AS jobs,
              count(*) FILTER (WHERE id::text = data->'eventIds'->>0)::text AS receiver_jobs,
              COALESCE(sum(jsonb_array_length(data->'eventIds')) FILTER (WHERE id::text = data->'eventIds'->>0), 0)::text AS receiver_namings,
              count(*) FILTER (WHERE id::text <> data->'eventIds'->>0)::text AS retry_jobs,
              (SELECT count(DISTINCT e)::text FROM pgboss.job j, jsonb_array_elements_text(j.data->'eventIds') e WHERE j.name = 'webhook.normalize') AS named,
              count(*) FILTER (WHERE state = 'failed' OR retry_count > 0)::text AS failed_jobs
         FROM pgboss.job WHERE name = 'webhook.normalize'`,
    )
  ).rows[0]!;
  const receiverNamings = Number(jobs.receiver_namings);
  const eventsPerJob = Number(jobs.receiver_jobs) > 0 ? receiverNamings / Number(jobs.receiver_jobs) : 0;
  // What the worker did besides normalizing: the jobs the run caused, per queue (reply understanding
  // and what it triggers share the worker's cores with normalization), with their handlers' time
  // (a batch counted once) and when each queue's last job finished, seconds after the load ended.
  const workload = (
    await admin.query<{ name: string; jobs: string; handler_seconds: string | null; last_after_load: string | null }>(
      `SELECT name, count(*)::text AS jobs,
              (SELECT round(sum(extract(epoch FROM b.completed_on - b.started_on))::numeric, 1)::text
                 FROM (SELECT DISTINCT started_on, completed_on FROM pgboss.job i WHERE i.name = j.name AND i.completed_on IS NOT NULL AND i.created_on >= $1) b) AS handler_seconds,
              round(extract(epoch FROM max(completed_on) - $2::timestamptz)::numeric, 1)::text AS last_after_load
         FROM pgboss.job j WHERE created_on >= $1 AND name NOT LIKE '\\_\\_%' GROUP BY name ORDER BY count(*) DESC`,
      [loadStartedDb, loadEndedDb],
    )
  ).rows.map((r) => ({ queue: r.name, jobs: Number(r.jobs), handlerSeconds: Number(r.handler_seconds ?? 0), lastDoneAfterLoadSeconds: r.last_after_load === null ? null : Number(r.last_after_load) }));

  const checks: Array<[string, boolean, string]> = [
    ["every acknowledged event is stored", stored === ids.length, `${stored} of ${ids.length} acknowledged ids found`],
    // autocannon stops mid-flight: requests sent in the last moment of each run are stored, answered,
    // and the answer is not read. At most one per connection per run.
    ["nothing stored beyond the acknowledged and the in-flight at cut-off", total >= ids.length && total - ids.length <= CONNECTIONS + WARMUP_CONNECTIONS, `${total} rows for ${ids.length} acknowledgements (${total - ids.length} answered after autocannon stopped reading)`],
    ["no provider event stored twice", dupKeys === 0, `${dupKeys} duplicated (provider, provider_event_id)`],
    ["every event processed (final status)", pending === 0, `${pending} still RECEIVED/FAILED after ${drainSeconds.toFixed(0)} s; statuses ${JSON.stringify(c)}`],
    [
      "each event named by one receiver's normalization job",
      receiverNamings === total && Number(jobs.named) === total,
      `${jobs.receiver_jobs} jobs of the receiver name ${receiverNamings} events (${eventsPerJob.toFixed(1)} per job), ${jobs.named} distinct, of ${total}; ${jobs.retry_jobs} retry jobs; ${jobs.failed_jobs} jobs failed or retried by pg-boss`,
    ],
    ["each reply logged once", inbound === replies, `${inbound} inbound rows for ${replies} TimelinesAI replies`],
    ["reply counters add up", replyCount === inbound, `sum(reply_count) ${replyCount}, inbound rows ${inbound}`],
    ["one analysis job per reply", analyses === inbound, `${analyses} ai.sentiment.analyze jobs`],
  ];

  const rps = result.requests.average;
  say("");
  say(`load: ${SECONDS} s, ${CONNECTIONS} connections, ${result.requests.total} requests (half Resend signed, half TimelinesAI); workers ${WORKERS_SAID}`);
  say(`answers: ${[...answers].sort().map(([k, n]) => `${k} ×${n}`).join(", ")}; errors ${result.errors}, timeouts ${result.timeouts}`);
  say(`throughput: ${rps.toFixed(0)} req/s (target ≥ ${TARGET.rps}: ${rps >= TARGET.rps ? "met" : "MISSED"})`);
  say(`latency: p50 ${result.latency.p50} ms, p90 ${result.latency.p90} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms (target p99 < ${TARGET.p99Ms} ms: ${result.latency.p99 < TARGET.p99Ms ? "met" : "MISSED"})`);
  say(`processing: drained ${total} events ${drainSeconds.toFixed(1)} s after the load ended (target ≤ ${TARGET.drainSeconds} s: ${drainSeconds <= TARGET.drainSeconds ? "met" : "MISSED"})`);
  const cpuPerEvent = (seconds: number, events: number) => (events > 0 ? (1000 * seconds) / events : 0);
  say(
    `normalization: ${normalizedDuring} events during the load (${normalizedPerSecDuring.toFixed(0)}/s), ${normalizedAfter} after it in ${afterSeconds.toFixed(1)} s ` +
      `(${afterSeconds > 0 ? (normalizedAfter / afterSeconds).toFixed(0) : "–"}/s); events normalized per second ${normalizedPerSec.toFixed(0)} (target ≥ ${TARGET.normalizedPerSec}: ${normalizedPerSec >= TARGET.normalizedPerSec ? "met" : "MISSED"}); ` +
      `CPU per event while draining: worker ${cpuPerEvent(drainWorkerCpu, normalizedAfter).toFixed(2)} ms, Postgres ${cpuPerEvent(drainDbCpu, normalizedAfter).toFixed(2)} ms`,
  );
  say(
    `cpu during the run: server ${serverCpu.toFixed(1)} s (${((1000 * serverCpu) / Math.max(1, result.requests.total)).toFixed(2)} ms per request, ` +
      `${WORKERS === "embedded" ? "ingest and embedded workers together" : "ingest alone"})` +
      `${WORKERS === "separate" ? `, worker process ${workerCpu.toFixed(1)} s` : ""}, Postgres ${dbCpu.toFixed(1)} s, load generator ${clientCpu.toFixed(1)} s ` +
      `(of ${(cpus().length * result.duration).toFixed(0)} s the cores had); ` +
      `1-min load average ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)} on ${cpus().length} cores`,
  );
  say(
    `worker's jobs caused by the run: ${workload.map((w) => `${w.queue} ×${w.jobs} (handlers ${w.handlerSeconds} s, last done ${w.lastDoneAfterLoadSeconds ?? "–"} s after the load)`).join("; ")}`,
  );
  for (const [name, ok, detail] of checks) say(`${ok ? "ok  " : "FAIL"} ${name}: ${detail}`);
  failed = checks.some(([, ok]) => !ok) || result.errors > 0 || Object.keys(result.statusCodeStats).some((code) => Number(code) >= 500);
  const round = (n: number, digits = 1) => Number(n.toFixed(digits));
  process.stdout.write(
    `${JSON.stringify({
      bench: "webhooks",
      workers: WORKERS,
      seconds: SECONDS,
      connections: CONNECTIONS,
      requests: result.requests.total,
      reqPerSec: round(rps, 0),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      events: total,
      normalizedPerSec: round(normalizedPerSec, 0),
      normalizedPerSecDuringLoad: round(normalizedPerSecDuring, 0),
      drainSeconds: round(drainSeconds),
      cpuMsPerRequest: { server: round((1000 * serverCpu) / Math.max(1, result.requests.total), 2) },
      cpuMsPerEventDraining: { worker: round(cpuPerEvent(drainWorkerCpu, normalizedAfter), 2), postgres: round(cpuPerEvent(drainDbCpu, normalizedAfter), 2) },
      workload,
      lost: Math.max(0, ids.length - stored),
      eventsPerJob: round(eventsPerJob, 1),
      duplicated: dupKeys + Math.max(0, inbound - replies) + Math.max(0, receiverNamings - total),
      checksPassed: checks.every(([, ok]) => ok),
      loadAvg1m: { before: round(loadBefore, 2), after: round(loadAfter, 2) },
      targets: TARGET,
      met: {
        reqPerSec: rps >= TARGET.rps,
        p99Ms: result.latency.p99 < TARGET.p99Ms,
        normalizedPerSec: normalizedPerSec >= TARGET.normalizedPerSec,
        drainSeconds: drainSeconds <= TARGET.drainSeconds,
      },
    })}\n`,
  );
} catch (error) {
  failed = true;
  process.stderr.write(`[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
} finally {
  if (worker) await stopServer(worker);
  if (server) await stopServer(server);
  await admin.end();
  if (process.env.BENCH_KEEP_DB !== "1") {
    const maintenance = new pg.Client({ connectionString: services.adminUrl.replace(/\/[^/]*$/, "/postgres") });
    await maintenance.connect();
    await maintenance.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await maintenance.end();
  } else {
    say(`kept database ${dbName} (${adminUrl})`);
  }
  // Leave nothing running that this run started (servers another run was using stay up).
  services.stopStarted();
}
process.exit(failed ? 1 : 0);
