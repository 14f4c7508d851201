/**
 * `npm run bench:ui-lead`: server time of the lead page's data (issue 10: "the lead page's data for a
 * lead with 200 messages < 100 ms p95"). One lead with 200 messages in and out over 60 days (with
 * statuses and reply analyses), 200 automatic decisions, 20 state changes, notes and audit entries, in
 * a tenant of BENCH_LEADS other leads (default 1,000,000, generated in SQL) each with a few messages'
 * worth of log (BENCH_MESSAGES_PER_LEAD, default 2) so the log's indexes are exercised at volume.
 * The page's first paint needs leads.get + leads.timeline (first window of 30) + leads.history,
 * called through the real tRPC caller (zod output validation, RLS transaction) as a rep; printed per
 * procedure and for the three together (as the page issues them, in parallel), p50/p95 over
 * BENCH_ROUNDS (default 200) after 20 warm-up rounds. Ends with one JSON line. Exits 0 whatever the
 * figures; the target is printed beside them.
 *
 * The leads-list bench (`bench:ui`, h-leadlist) is expected to take this case over when it lands.
 */
import { loadavg } from "node:os";

process.env.LOG_LEVEL ??= "silent";
let stopOwnServices = () => {};
if (!process.env.TEST_PG_ADMIN_URL && !process.env.DATABASE_ADMIN_URL) {
  const { ensureServices } = await import("../scripts/lib/services");
  const { TEST_LAYOUT } = await import("../scripts/lib/layout");
  const services = await ensureServices(TEST_LAYOUT);
  process.env.TEST_PG_ADMIN_URL = services.adminUrl;
  process.env.REDIS_URL ??= services.redisUrl;
  stopOwnServices = services.stopStarted;
}
process.env.SESSION_SECRET ??= "bench-session-secret-bench-session-secret-0123456789";
const { createWorld, insertLead, callerFor } = await import("../tests/sequences/support");
const pg = (await import("pg")).default;

const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000);
const PER_LEAD = Number(process.env.BENCH_MESSAGES_PER_LEAD ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const TARGET_MS = 100;

const world = await createWorld("bench_uil");
const admin = new pg.Client({ connectionString: world.db.adminUrl });
await admin.connect();
const tenantId = world.a.tenantId;

try {
  let t0 = performance.now();
  for (let done = 0; done < LEADS; done += 100_000) {
    const n = Math.min(100_000, LEADS - done);
    await admin.query(
      `WITH c AS (
         INSERT INTO gold_companies (tenant_id, denumire, telefon_principal, hlr_reachable, judet)
         SELECT $1, 'Ferma ' || g || ' SRL', '+4072' || lpad(g::text, 7, '0'), true, 'Iași' FROM generate_series($2::int, $3::int) g
         RETURNING id),
       j AS (INSERT INTO gold_lead_journey (tenant_id, lead_id, current_state) SELECT $1, id, 'CONTACTED_WA' FROM c RETURNING id, lead_id)
       INSERT INTO gold_communication_log (tenant_id, journey_id, lead_id, channel, direction, status, content_preview, sent_at, delivered_at, created_at)
       SELECT $1, j.id, j.lead_id, 'WHATSAPP', 'OUTBOUND', 'DELIVERED', 'Bună ziua!', t, t + interval '5 seconds', t
         FROM j, LATERAL (SELECT now() - (k || ' days')::interval AS t FROM generate_series(1, $4::int) k) s`,
      [tenantId, done + 1, done + n, PER_LEAD],
    );
  }
  const bulk = (performance.now() - t0) / 1000;

  t0 = performance.now();
  const { leadId, journeyId } = await insertLead(world.db.adminUrl, tenantId, { denumire: "Agro Ștefănești SRL", state: "NEGOTIATION", previousState: "WARM_REPLY" });
  await admin.query(
    `INSERT INTO gold_communication_log (tenant_id, journey_id, lead_id, channel, direction, status, content_preview, sent_at, delivered_at, read_at, replied_at, sentiment_score, intent, created_at)
     SELECT $1, $2, $3,
            (CASE k % 3 WHEN 0 THEN 'WHATSAPP' WHEN 1 THEN 'EMAIL_COLD' ELSE 'EMAIL_WARM' END)::channel_enum,
            (CASE WHEN k % 4 = 0 THEN 'INBOUND' ELSE 'OUTBOUND' END)::message_direction_enum,
            (CASE WHEN k % 4 = 0 THEN 'REPLIED' WHEN k % 5 = 0 THEN 'READ' ELSE 'DELIVERED' END)::message_status_enum,
            'Mesajul ' || k || ': bună ziua, vă trimit oferta de semințe pentru primăvară.',
            t, t + interval '10 seconds', CASE WHEN k % 5 = 0 THEN t + interval '1 hour' END,
            CASE WHEN k % 4 = 0 THEN t END, CASE WHEN k % 4 = 0 THEN 40 END, CASE WHEN k % 4 = 0 THEN 'PRICE_QUESTION' END, t
       FROM generate_series(1, 200) k, LATERAL (SELECT now() - (k * interval '7 hours') AS t) s`,
    [tenantId, journeyId, leadId],
  );
  await admin.query(
    `INSERT INTO lead_decisions (tenant_id, journey_id, stage, result, outcome, at)
     SELECT $1, $2, 'dispatch', 'SKIPPED_OUTSIDE_HOURS', '{"v":1,"summary":"outside the sending window"}', now() - (k * interval '5 hours') FROM generate_series(1, 200) k`,
    [tenantId, journeyId],
  );
  await admin.query(
    `INSERT INTO lead_state_history (tenant_id, journey_id, lead_id, from_state, to_state, actor_type, actor_id, reason, created_at)
     SELECT $1, $2, $3, 'CONTACTED_WA', 'WARM_REPLY', 'JOB', 'replies', 'A răspuns', now() - (k * interval '3 days') FROM generate_series(1, 20) k`,
    [tenantId, journeyId, leadId],
  );
  await admin.query("ANALYZE");
  const setup = (performance.now() - t0) / 1000;
  console.log(`  data: ${LEADS.toLocaleString("en")} leads with ${PER_LEAD} messages each in ${bulk.toFixed(1)} s; the measured lead (200 messages, 200 decisions, 20 state changes) in ${setup.toFixed(1)} s`);

  const rep = await callerFor(world.a.users.SALES_REP);
  const calls = {
    get: () => rep.leads.get({ leadId }),
    timeline: () => rep.leads.timeline({ leadId, limit: 30 }),
    history: () => rep.leads.history({ leadId, limit: 20 }),
    page: () => Promise.all([rep.leads.get({ leadId }), rep.leads.timeline({ leadId, limit: 30 }), rep.leads.history({ leadId, limit: 20 })]),
  } as const;
  const first = await calls.timeline();
  if (first.items.length !== 30 || !first.next) throw new Error(`timeline window: ${first.items.length} items`);

  const figures: Record<string, { p50: number; p95: number }> = {};
  for (const [name, call] of Object.entries(calls)) {
    for (let i = 0; i < 20; i++) await call();
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const s = performance.now();
      await call();
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1));
    figures[name] = { p50: at(0.5), p95: at(0.95) };
    console.log(`  leads.${name === "page" ? "get + timeline + history (the page)" : name}: p50 ${figures[name]!.p50} ms, p95 ${figures[name]!.p95} ms (target p95 < ${TARGET_MS} ms)`);
  }
  const load = loadavg().map((l) => Number(l.toFixed(2)));
  console.log(`  load average: ${load.join(" ")}`);
  console.log(JSON.stringify({ bench: "ui-lead", leads: LEADS, messagesOfLead: 200, rounds: ROUNDS, targetP95Ms: TARGET_MS, ...Object.fromEntries(Object.entries(figures).map(([k, v]) => [`${k}P95Ms`, v.p95])), pageP50Ms: figures.page!.p50, pass: figures.page!.p95 < TARGET_MS, loadavg: load }));
} finally {
  await admin.end();
  await world.close();
  stopOwnServices();
}
