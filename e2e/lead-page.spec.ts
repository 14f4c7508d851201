import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { PgBoss } from "pg-boss";
import { expect as baseExpect, test, type Page } from "@playwright/test";
import { teachTimelinesHistory } from "../scripts/lib/sandbox-history";

/**
 * The lead page and the do-not-contact page against the real app, its workers and the provider
 * simulators (started here, as `npm start` does in sandbox mode): a rep sends a WhatsApp message from
 * the lead page and sees it delivered once the simulator reports it, takes the lead over, opts it out
 * and sees both channels stop, exports it; a manager erases it and runs the do-not-contact list.
 */
const PASSWORD = "Cerniq!2026";
const SCREENSHOTS = path.join(import.meta.dirname, "screenshots");
const ROOT = path.join(import.meta.dirname, "..");
const APP = `http://127.0.0.1:${process.env.E2E_PORT ?? 3111}`;

/** Shared with up to seven other suites on two cores: waits are generous, never timing assertions. */
const expect = baseExpect.configure({ timeout: 20_000 });
test.describe.configure({ timeout: 120_000 });
test.use({ actionTimeout: 30_000, navigationTimeout: 60_000 });

let admin: pg.Client;
let simulators: ChildProcess | null = null;
let tenantId = "";
let leadId = "";
let companyName = "";
let savedWindow: { days: number[]; start: number; end: number; jitterMin: number; jitterMax: number } | null = null;

function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Parolă").fill(PASSWORD);
  await page.getByRole("button", { name: "Intră în cont" }).click();
  await expect(page).toHaveURL(/\/outreach\/dashboard$/);
}

async function waitForSimulators(origin: string) {
  for (let i = 0; i < 150; i += 1) {
    if (await fetch(`${origin}/__control/state`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("simulators did not start");
}

test.beforeAll(async () => {
  admin = new pg.Client({ connectionString: process.env.DATABASE_ADMIN_URL });
  await admin.connect();
  const tenant = await admin.query<{ id: string; secret: string }>("SELECT id, timelinesai_webhook_secret AS secret FROM tenants WHERE is_active ORDER BY created_at, slug LIMIT 1");
  tenantId = tenant.rows[0]!.id;
  // The window open all week and all day, so the message goes now whatever time the suite runs at
  // (the window itself is the rules' tests' business; here it is the page's). No spacing between a
  // phone's sends either: with the window open, the scheduled dispatch (real clock) queues the seeded
  // leads' sends on the same phones, and a person's message waits its turn behind them on its phone,
  // 30-150 s per message ahead with the seeded spacing (a run under load waited out the spec's 90 s).
  // Restored afterwards: the other specs share this seeded database.
  savedWindow = (
    await admin.query<{ days: number[]; start: number; end: number; jitterMin: number; jitterMax: number }>(
      `SELECT sending_days AS days, sending_start_hour AS start, sending_end_hour AS end, jitter_min_seconds AS "jitterMin", jitter_max_seconds AS "jitterMax" FROM tenants WHERE id = $1`,
      [tenantId],
    )
  ).rows[0]!;
  await admin.query("UPDATE tenants SET sending_days = '{1,2,3,4,5,6,7}', sending_start_hour = 0, sending_end_hour = 24, jitter_min_seconds = 0, jitter_max_seconds = 0 WHERE id = $1", [tenantId]);
  // A cold lead nobody holds, with a WhatsApp number, on nobody's list.
  const lead = await admin.query<{ id: string; name: string }>(
    `SELECT c.id, c.denumire AS name FROM gold_companies c JOIN gold_lead_journey j ON j.lead_id = c.id
      WHERE c.tenant_id = $1 AND j.current_state = 'COLD' AND NOT j.is_human_controlled AND NOT j.requires_human_review
        AND c.telefon_principal IS NOT NULL AND c.hlr_reachable IS NOT FALSE AND j.assigned_phone_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM do_not_contact d WHERE d.tenant_id = c.tenant_id AND d.type = 'PHONE' AND d.value = dnc_phone_key(c.telefon_principal))
        AND NOT EXISTS (SELECT 1 FROM gold_communication_log l WHERE l.lead_id = c.id)
      ORDER BY c.denumire LIMIT 1`,
    [tenantId],
  );
  leadId = lead.rows[0]!.id;
  companyName = lead.rows[0]!.name;

  const port = process.env.SIMULATOR_PORT ?? "4010";
  simulators = spawn(process.execPath, ["--import", "tsx", "scripts/simulators.ts"], {
    cwd: ROOT,
    env: { ...process.env, SIMULATOR_PORT: port, SIMULATOR_WEBHOOK_TIMELINESAI_URL: `${APP}/webhooks/timelinesai/${tenant.rows[0]!.secret}` },
    stdio: "ignore",
  });
  await waitForSimulators(`http://127.0.0.1:${port}`);
  // As `npm start` does: a fresh simulator learns the seeded phones' states and history, so the
  // app's phone-health monitor does not read every seeded OFFLINE phone as connected again.
  await teachTimelinesHistory(process.env.DATABASE_ADMIN_URL!, `http://127.0.0.1:${port}`);
});

test.afterAll(async () => {
  simulators?.kill("SIGTERM");
  if (savedWindow) {
    await admin?.query("UPDATE tenants SET sending_days = $2, sending_start_hour = $3, sending_end_hour = $4, jitter_min_seconds = $5, jitter_max_seconds = $6 WHERE id = $1", [
      tenantId, savedWindow.days, savedWindow.start, savedWindow.end, savedWindow.jitterMin, savedWindow.jitterMax,
    ]);
  }
  await admin?.end();
});

test("a rep opens a lead, sends a WhatsApp message and sees it delivered, takes it over, opts it out and exports it", async ({ page }) => {
  test.setTimeout(360_000);
  const errors = watchConsole(page);
  await signIn(page, "rep1@agroverde.ro");
  await page.goto(`/outreach/leads/${leadId}`);
  const main = page.locator("main");
  await expect(main.getByRole("heading", { level: 1, name: companyName })).toBeVisible();
  await expect(main.getByRole("heading", { name: "Firmă și contact" })).toBeVisible();
  await expect(main.getByText("Nimic: lead-ul primește pașii secvenței la timp.")).toBeVisible();
  // Where the data came from and on what ground, in words: the seeded lead came with a Gold-stage run.
  await expect(main.getByText(/^Import din etapa Gold \(Etapa 1\), lotul etapa1-\d{4} din \d/)).toBeVisible();
  await expect(main.getByText("Interes legitim (GDPR, art. 6 alin. (1) lit. f)")).toBeVisible();

  // Before sending, the page says what will happen: now, from which phone, costing a new contact.
  // "Pleacă acum" when nothing waits on the phone, else how many messages go first and about how long.
  await expect(page.getByTestId("send-outlook")).toContainText(/Pleacă acum, de pe|Pleacă de pe .+ după (mesajul|cele \d+ (de )?mesaje) care așteaptă înaintea lui: în circa \d+(–\d+)? min\./);
  await page.screenshot({ path: path.join(SCREENSHOTS, "lead-page.png"), fullPage: true });

  await main.getByText("Text liber", { exact: true }).click();
  await main.getByRole("textbox", { name: "Mesaj" }).fill("Bună ziua! Vă pot trimite oferta de semințe pentru primăvară?");
  await main.getByRole("button", { name: "Trimite" }).click();
  await expect(page.getByText("Mesajul a intrat în coada de trimitere.")).toBeVisible();

  // The worker sends it through the TimelinesAI simulator; the status sync learns its delivery by polling.
  const message = page.getByTestId("timeline-message").filter({ hasText: "Vă pot trimite oferta de semințe" });
  await expect(message).toBeVisible();
  // A send already waiting out its spacing when the spacing was turned off keeps its time (≤ 150 s).
  await expect(message).toContainText(/Livrat|Citit/, { timeout: 200_000 });
  // The person's message is a decision on the lead's trail, saying who sent it and on which channel.
  await expect(page.getByTestId("timeline-decision").filter({ hasText: /Mesaj manual de la .+ \(WhatsApp\): a trimis mesajul/ })).toBeVisible({ timeout: 60_000 });
  await page.screenshot({ path: path.join(SCREENSHOTS, "lead-page-delivered.png"), fullPage: true });

  // Take over: the automation stops for the lead while the rep holds it.
  await main.getByRole("button", { name: "Preiau lead-ul" }).click();
  await expect(page.getByText("Ați preluat lead-ul.", { exact: false })).toBeVisible();
  await expect(main.getByText("Preluat de un om")).toBeVisible();
  await expect(main.getByText("Un om a preluat lead-ul: nu pleacă niciun mesaj automat.")).toBeVisible();
  const held = await admin.query<{ is_human_controlled: boolean }>("SELECT is_human_controlled FROM gold_lead_journey WHERE lead_id = $1", [leadId]);
  expect(held.rows[0]!.is_human_controlled).toBe(true);
  await dispatchSkipsTheLead();

  // Opt out: both channels stop, and the page says so before anyone tries to send.
  await main.getByRole("button", { name: "Nu mai contactați" }).click();
  const optOut = page.getByRole("dialog", { name: "Nu mai contactați acest lead?" });
  await optOut.getByLabel(/^Motiv/).fill("A cerut la telefon să nu mai fie contactat");
  await optOut.getByRole("button", { name: "Nu mai contactați" }).click();
  await expect(optOut).toBeHidden();
  await expect(page.getByText("Lead-ul nu mai primește nimic, pe niciun canal.")).toBeVisible();
  await expect(main.getByText("A cerut să nu fie contactat").first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("send-outlook")).toContainText(/a cerut să nu mai fie contactat pe WhatsApp|este pe lista „Nu contactați”/);
  await main.getByText("Email", { exact: true }).first().click();
  await expect(page.getByTestId("send-outlook")).toContainText(/nu mai primească emailuri|„Nu contactați”|nu are adresă|nu este validă/);

  // GDPR export: a JSON file of what is held about the lead.
  await main.getByRole("button", { name: "Export GDPR" }).click();
  const exportDialog = page.getByRole("dialog", { name: "Exportați datele lead-ului?" });
  const download = page.waitForEvent("download");
  await exportDialog.getByRole("button", { name: "Descarcă exportul" }).click();
  const file = await (await download).path();
  const exported = readFileSync(file, "utf8");
  expect(exported).toContain(companyName);
  expect(exported).toContain("Vă pot trimite oferta de semințe");
  expect(exported).toMatch(/"source":\s*"GOLD_IMPORT:etapa1-\d{4}@\d{4}-\d\d-\d\dT[^"]+"/);
  expect(exported).toMatch(/"legal_basis":\s*"LEGITIMATE_INTEREST"/);

  // A phone screen: the same page, one column.
  await page.setViewportSize({ width: 375, height: 812 });
  await expect(main.getByRole("heading", { level: 1, name: companyName })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, "lead-page-375.png"), fullPage: true });

  expect(errors).toEqual([]);
});

/**
 * The lead is made due now and a dispatch run of the current slot goes through the real worker: the
 * run finishes and leaves the lead alone (no decision, no second message) while a person holds it.
 */
async function dispatchSkipsTheLead() {
  const journey = await admin.query<{ id: string }>("UPDATE gold_lead_journey SET next_action_at = now() - interval '1 minute' WHERE lead_id = $1 RETURNING id", [leadId]);
  const journeyId = journey.rows[0]!.id;
  const slot = new Date(Math.floor(Date.now() / 300_000) * 300_000);
  const before = new Date();
  await admin.query("DELETE FROM dispatch_runs WHERE tenant_id = $1 AND slot_start = $2", [tenantId, slot]);
  const boss = new PgBoss({ connectionString: process.env.DATABASE_URL, schema: "pgboss", createSchema: false });
  await boss.start();
  try {
    await boss.send("outreach.orchestrator.dispatch", { tenantId, slot: slot.toISOString() });
  } finally {
    await boss.stop({ graceful: false });
  }
  await expect
    .poll(async () => (await admin.query("SELECT 1 FROM dispatch_runs WHERE tenant_id = $1 AND slot_start = $2 AND finished_at IS NOT NULL", [tenantId, slot])).rowCount, { timeout: 60_000 })
    .toBe(1);
  const decided = await admin.query("SELECT 1 FROM lead_decisions WHERE journey_id = $1 AND stage = 'dispatch' AND at >= $2", [journeyId, before]);
  expect(decided.rowCount).toBe(0);
  const sent = await admin.query<{ n: string }>("SELECT count(*) AS n FROM gold_communication_log WHERE lead_id = $1 AND direction = 'OUTBOUND'", [leadId]);
  expect(Number(sent.rows[0]!.n)).toBe(1);
}

test("a manager erases the lead's personal data after typing the confirmation", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "admin1@agroverde.ro");
  await page.goto(`/outreach/leads/${leadId}`);
  const main = page.locator("main");
  await expect(main.getByRole("heading", { level: 1, name: companyName })).toBeVisible();
  await main.getByRole("button", { name: "Șterge datele (GDPR)" }).click();
  const dialog = page.getByRole("dialog", { name: "Ștergeți definitiv datele personale?" });
  const submit = dialog.getByRole("button", { name: "Șterge definitiv" });
  await expect(submit).toBeDisabled();
  await dialog.getByLabel("Scrieți ȘTERGE pentru a confirma").fill("ȘTERGE");
  await page.screenshot({ path: path.join(SCREENSHOTS, "lead-page-erase.png") });
  await submit.click();
  await expect(dialog).toBeHidden();
  await expect(main.getByText(/au fost șterse \(GDPR\)/)).toBeVisible();
  await expect(main.getByRole("heading", { level: 1, name: companyName })).toBeHidden();
  const body = await admin.query<{ n: string }>("SELECT count(*) AS n FROM gold_communication_log WHERE lead_id = $1 AND content_preview LIKE '%semințe%'", [leadId]);
  expect(Number(body.rows[0]!.n)).toBe(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, "lead-page-erased.png"), fullPage: true });
  expect(errors).toEqual([]);
});

test("an unknown id and another tenant's lead answer 404", async ({ page }) => {
  await signIn(page, "rep1@agroverde.ro");
  const unknown = await page.goto("/outreach/leads/00000000-0000-4000-8000-000000000000");
  expect(unknown?.status()).toBe(404);
  const other = await admin.query<{ id: string }>("SELECT id FROM gold_companies WHERE tenant_id <> $1 LIMIT 1", [tenantId]);
  const foreign = await page.goto(`/outreach/leads/${other.rows[0]!.id}`);
  expect(foreign?.status()).toBe(404);
  const malformed = await page.goto("/outreach/leads/not-a-lead");
  expect(malformed?.status()).toBe(404);
});

test("a manager searches, adds, imports and removes do-not-contact entries; a rep is refused", async ({ page, browser }) => {
  const errors = watchConsole(page);
  await signIn(page, "admin1@agroverde.ro");
  await page.getByRole("navigation", { name: "Navigare principală" }).getByRole("link", { name: "Nu contactați", exact: true }).click();
  const main = page.locator("main");
  await expect(main.getByRole("heading", { level: 1, name: "Nu contactați" })).toBeVisible();

  await main.getByRole("button", { name: "Adaugă", exact: true }).click();
  const add = page.getByRole("dialog", { name: "Adăugați pe lista „Nu contactați”" });
  await add.getByLabel(/^Valoare/).fill("0722 999 001");
  await add.getByLabel(/^Motiv/).fill("A cerut telefonic");
  await add.getByRole("button", { name: "Adaugă pe listă" }).click();
  await expect(add).toBeHidden();
  await expect(page.getByText("+40722999001 nu mai este contactat.")).toBeVisible();

  await main.getByLabel("Caută").fill("722999001");
  await main.getByRole("button", { name: "Caută" }).click();
  await expect(page).toHaveURL(/q=722999001/);
  await expect(page.getByTestId("dnc-row")).toHaveCount(1);
  await expect(page.getByTestId("dnc-row")).toContainText("A cerut telefonic");
  await page.screenshot({ path: path.join(SCREENSHOTS, "do-not-contact.png"), fullPage: true });

  await main.getByRole("button", { name: "Importă o listă" }).click();
  const importing = page.getByRole("dialog", { name: "Importați o listă „Nu contactați”" });
  await importing.getByLabel(/^Fișier CSV/).setInputFiles({
    name: "refuzuri.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("\uFEFFValoare;Motiv\n0733 100 200;nu dorește\nconcurent-test.ro;concurent\noffice@ferma-test.ro;a cerut\n12;greșit\n", "utf8"),
  });
  await expect(importing.getByTestId("dnc-import-preview")).toContainText("concurent-test.ro");
  await importing.getByRole("button", { name: "Importă" }).click();
  await expect(importing.getByRole("status").filter({ hasText: "Import încheiat: 3 adăugate, 0 existau deja, 1 invalide." })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, "do-not-contact-import.png") });
  await importing.getByRole("button", { name: "Anulează" }).click();

  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: path.join(SCREENSHOTS, "do-not-contact-375.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByTestId("dnc-row").getByRole("button", { name: "Scoate +40722999001 de pe listă" }).click();
  const remove = page.getByRole("dialog", { name: "Scoateți +40722999001 de pe listă?" });
  await remove.getByLabel(/^Motiv/).fill("Adăugat din greșeală");
  await remove.getByRole("button", { name: "Scoate de pe listă" }).click();
  await expect(remove).toBeHidden();
  await expect(main.getByText("Nicio intrare nu se potrivește căutării.")).toBeVisible();
  expect(errors).toEqual([]);

  const repContext = await browser.newContext();
  const rep = await repContext.newPage();
  await signIn(rep, "rep1@agroverde.ro");
  await expect(rep.getByRole("navigation", { name: "Navigare principală" }).getByRole("link", { name: "Nu contactați" })).toHaveCount(0);
  const refused = await rep.goto("/outreach/do-not-contact");
  expect(refused?.status()).toBe(403);
  await repContext.close();
});
