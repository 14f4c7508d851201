import { randomUUID } from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { expect as baseExpect, test, type Page } from "@playwright/test";
import pg from "pg";
import { teachTimelinesHistory, waitForSimulators } from "../scripts/lib/sandbox-history";

/**
 * The review queue against the real app, its workers and the TimelinesAI simulator (started here, as
 * `npm start` does in sandbox mode). The first test makes its own item the way production does: a
 * lead's WhatsApp reply arrives on the TimelinesAI webhook, the embedded workers normalise it and
 * analyse it (built-in engine), and the tenant (answers held for approval) gets an approval item with
 * a drafted answer. A rep claims it, edits the draft and sends it, then opens the lead's page and sees
 * the edited answer in the conversation, delivered once the simulator reports it, with the reply's
 * analysis and why it went to a person (in Romanian, then in English). A manager reassigns an item.
 *
 * The specs share one seeded database: what this file changes (the sending window, automatic
 * assignment) is put back afterwards.
 */
const PASSWORD = "Cerniq!2026";
const SCREENSHOTS = path.join(import.meta.dirname, "screenshots");

const ROOT = path.join(import.meta.dirname, "..");
const APP = `http://127.0.0.1:${process.env.E2E_PORT ?? 3111}`;

/** Shared with other suites on two cores: generous waits (the hooks start a simulator), never timing assertions. */
const expect = baseExpect.configure({ timeout: 20_000 });
test.describe.configure({ timeout: 120_000 });

let admin: pg.Client;
let simulators: ChildProcess | null = null;
let tenantId = "";
let saved: { days: number[]; start: number; end: number; autoAssign: boolean } | null = null;

test.beforeAll(async () => {
  admin = new pg.Client({ connectionString: process.env.DATABASE_ADMIN_URL });
  await admin.connect();
  const tenant = await admin.query<{ id: string; secret: string; days: number[]; start: number; end: number; autoAssign: boolean }>(
    "SELECT id, timelinesai_webhook_secret AS secret, sending_days AS days, sending_start_hour AS start, sending_end_hour AS end, review_auto_assign AS \"autoAssign\" FROM tenants WHERE slug = 'agroverde'",
  );
  const t = tenant.rows[0]!;
  tenantId = t.id;
  saved = { days: t.days, start: t.start, end: t.end, autoAssign: t.autoAssign };
  // The window open all week and all day, so the answer goes out now whatever time the suite runs at
  // (the window itself is the send rules' tests' business; here it is the rep's flow).
  await admin.query("UPDATE tenants SET sending_days = '{1,2,3,4,5,6,7}', sending_start_hour = 0, sending_end_hour = 24 WHERE id = $1", [tenantId]);

  const port = process.env.SIMULATOR_PORT ?? "4010";
  // A spec before this one may have just stopped its own simulator on the same port: let it go first.
  await expect.poll(() => fetch(`http://127.0.0.1:${port}/__control/state`).then(() => "still up", () => "free"), { timeout: 30_000 }).toBe("free");
  simulators = spawn(process.execPath, ["--import", "tsx", "scripts/simulators.ts"], {
    cwd: ROOT,
    env: { ...process.env, SIMULATOR_PORT: port, SIMULATOR_WEBHOOK_TIMELINESAI_URL: `${APP}/webhooks/timelinesai/${t.secret}` },
    stdio: "ignore",
  });
  await waitForSimulators(`http://127.0.0.1:${port}`, 60_000);
  // As `npm start` does: a fresh simulator learns the seeded phones' states and recent history, so the
  // phone-health monitor does not read a seeded OFFLINE phone as connected again.
  await teachTimelinesHistory(process.env.DATABASE_ADMIN_URL!, `http://127.0.0.1:${port}`);
});

test.afterAll(async () => {
  if (simulators && simulators.exitCode === null) {
    const exited = new Promise((resolve) => simulators!.once("exit", resolve));
    simulators.kill("SIGTERM");
    await exited;
  }
  if (saved) {
    await admin?.query("UPDATE tenants SET sending_days = $2, sending_start_hour = $3, sending_end_hour = $4, review_auto_assign = $5 WHERE id = $1", [tenantId, saved.days, saved.start, saved.end, saved.autoAssign]);
  }
  await admin?.end();
});

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
  await expect(page.getByLabel("Email")).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Parolă").fill(PASSWORD);
  await page.getByRole("button", { name: "Intră în cont" }).click();
  await expect(page).toHaveURL(/\/outreach\/dashboard$/);
}

async function openReview(page: Page) {
  await page.getByRole("navigation", { name: "Navigare principală" }).getByRole("link", { name: "Revizuire", exact: true }).click();
  await expect(page).toHaveURL(/\/outreach\/review/, { timeout: 20_000 });
  await expect(page.locator("main").getByRole("heading", { level: 1, name: "Revizuire" })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole("list", { name: "Elemente de revizuit" })).toBeVisible({ timeout: 20_000 });
}

interface ReviewRecord {
  status: string;
  resolution: string | null;
  assignedUser: { id: string; name: string } | null;
  answer: { body: string; status: string; mode: string | null } | null;
}

/** reviews.get through the app's own tRPC endpoint, with the signed-in page's cookie. */
async function reviewRecord(page: Page, reviewId: string): Promise<ReviewRecord> {
  const input = encodeURIComponent(JSON.stringify({ 0: { json: { reviewId } } }));
  const response = await page.request.get(`/api/trpc/reviews.get?batch=1&input=${input}`);
  expect(response.status()).toBe(200);
  const body = (await response.json()) as Array<{ result: { data: { json: ReviewRecord } } }>;
  return body[0]!.result.data.json;
}

interface ReplyingLead {
  id: string;
  secret: string;
  name: string;
  leadPhone: string;
  ourPhone: string;
}

/** A seeded lead we wrote to on WhatsApp, reachable, with no open item: who will answer us. */
async function leadThatWillReply(): Promise<ReplyingLead> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query<ReplyingLead>(
      `SELECT c.id, t.timelinesai_webhook_secret AS secret, c.denumire AS name, c.telefon_principal AS "leadPhone", p.phone_number AS "ourPhone"
         FROM gold_lead_journey j JOIN gold_companies c ON c.id = j.lead_id JOIN tenants t ON t.id = j.tenant_id JOIN wa_phone_numbers p ON p.id = j.assigned_phone_id
        WHERE t.slug = 'agroverde' AND j.current_state = 'CONTACTED_WA' AND p.status = 'ACTIVE' AND NOT j.whatsapp_opted_out AND NOT j.email_opted_out
          AND NOT j.is_human_controlled AND c.telefon_principal IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM human_review_queue r WHERE r.journey_id = j.id AND r.status <> 'RESOLVED')
          AND NOT EXISTS (SELECT 1 FROM do_not_contact d WHERE d.tenant_id = j.tenant_id AND d.type = 'PHONE' AND d.value = '+' || regexp_replace(c.telefon_principal, '\\D', '', 'g'))
        ORDER BY c.denumire LIMIT 1`,
    );
    expect(rows).toHaveLength(1);
    return rows[0]!;
  } finally {
    await client.end();
  }
}

/** The lead's reply as TimelinesAI posts it (providers.md: message:received:new). */
async function replyOnWhatsApp(page: Page, lead: ReplyingLead, text: string) {
  const at = `${new Date().toISOString().slice(0, 19).replace("T", " ")} +0000`;
  const chat = { full_name: lead.name, chat_url: "https://app.timelines.ai/chat/987654/messages/", chat_id: 987654, is_group: false, phone: lead.leadPhone, responsible_name: null, responsible_email: null };
  const response = await page.request.post(`/webhooks/timelinesai/${lead.secret}`, {
    data: {
      event_type: "message:received:new",
      chat,
      whatsapp_account: { full_name: "Vânzări", email: "vanzari@agroverde.ro", phone: lead.ourPhone },
      message: {
        text,
        direction: "received",
        origin: "WhatsApp",
        timestamp: at,
        message_uid: randomUUID(),
        sender: { full_name: lead.name, phone: lead.leadPhone },
        recipient: { full_name: "Vânzări", phone: lead.ourPhone },
        reply_to_uid: null,
        attachments: [],
      },
    },
  });
  expect(response.status()).toBe(200);
}

test("a lead's reply becomes an item with a drafted answer; a rep claims it, edits the draft, sends it and sees it delivered on the lead's timeline", async ({ page }) => {
  test.setTimeout(480_000);
  const errors = watchConsole(page);
  const lead = await leadThatWillReply();
  // A manager turns automatic assignment off (as the tenant settings allow), so the item waits
  // unassigned for a rep to claim it instead of going to the lead's owner.
  await signIn(page, "manager1@agroverde.ro");
  const settings = await page.request.post("/api/trpc/reviews.updateSettings?batch=1", { data: { 0: { json: { reviewAutoAssign: false } } } });
  expect(settings.status()).toBe(200);
  // Leave the signed-in page first: its polling must not fire after the session is gone (a 401 in the console).
  await page.goto("about:blank");
  await page.context().clearCookies();
  await replyOnWhatsApp(page, lead, "Bună ziua, da, ne interesează oferta! Trimiteți-mi vă rog detaliile. Mulțumesc 👍");

  await signIn(page, "rep1@agroverde.ro");
  await openReview(page);
  await expect(page.getByRole("tab", { name: /^Toate/ })).toHaveAttribute("aria-selected", "true");

  // The list refreshes itself; the new item arrives once the workers have analysed the reply.
  const row = page.getByRole("list", { name: "Elemente de revizuit" }).getByRole("button").filter({ hasText: lead.name });
  await expect(row).toBeVisible({ timeout: 150_000 });
  await expect(row).toContainText("Răspuns pregătit");
  await expect(row).toContainText("Neatribuit");
  await page.screenshot({ path: path.join(SCREENSHOTS, "review-rep-list.png"), fullPage: true });
  const reviewId = await row.getAttribute("data-review-id");
  expect(reviewId).toBeTruthy();
  await row.click();
  await expect(page).toHaveURL(new RegExp(`item=${reviewId}`));
  const panel = page.locator("article");
  await expect(panel.getByRole("heading", { name: "De ce este aici" })).toBeVisible();
  // The route's reason and why the answer waits, from their codes, in the reader's language.
  await expect(panel.getByTestId("review-why")).toContainText(/Răspuns pozitiv \(scor \d+ ≥ 50\): se pregătește un răspuns automat\. Răspunsul pregătit așteaptă aprobarea/);
  await expect(panel.locator("[data-trigger]")).toBeVisible();

  await panel.getByRole("button", { name: "Preiau", exact: true }).click();
  await expect(page.getByText("Elementul vă aparține acum.")).toBeVisible();
  await expect(panel.getByText("Atribuit", { exact: true })).toBeVisible();

  const draft = panel.getByRole("textbox", { name: "Răspunsul pregătit" });
  await expect(draft).toHaveValue(/^Bună ziua/);
  const edited = `${await draft.inputValue()}\n\nVă pot suna mâine la 10:00?`;
  await draft.fill(edited);
  await expect(panel.getByText("Modificat: la trimitere pleacă textul dumneavoastră.")).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, "review-rep-edit.png"), fullPage: true });
  await panel.getByRole("button", { name: "Trimite textul modificat" }).click();
  await expect(page.getByText(/^Răspunsul a fost trimis către /)).toBeVisible();
  await expect(panel.getByText("Rezolvat: modificat și trimis", { exact: false })).toBeVisible();

  const record = await reviewRecord(page, reviewId!);
  expect(record).toMatchObject({ status: "RESOLVED", resolution: "EDITED_AND_SENT" });
  expect(record.answer).toMatchObject({ body: edited.trim(), mode: "EDITED" });

  // Sending again is impossible: the item left the open list.
  await expect(page.locator(`[data-review-id="${reviewId}"]`)).toHaveCount(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, "review-rep-sent.png"), fullPage: true });

  // The lead's page: the reply with its analysis and why, then the edited answer in the same
  // conversation, sent by the worker through the simulator and delivered once the simulator reports it.
  await page.goto(`/outreach/leads/${lead.id}`);
  const main = page.locator("main");
  await expect(main.getByRole("heading", { level: 1, name: lead.name })).toBeVisible({ timeout: 30_000 });
  const reply = page.getByTestId("timeline-message").filter({ hasText: "ne interesează oferta" });
  await expect(reply.getByTestId("reply-analysis")).toContainText(/Analiză: Interesat, scor \d+/);
  await expect(reply.getByTestId("reply-analysis")).toContainText(/Răspuns pozitiv \(scor \d+ ≥ 50\)/);
  const answer = page.getByTestId("timeline-message").filter({ hasText: "Vă pot suna mâine la 10:00?" });
  // The answer's row appears when the send job takes it (after the phone's spacing from its last send).
  await expect(answer).toBeVisible({ timeout: 180_000 });
  // Delivery is learnt by the status sync, which polls a fresh message at every minute's tick (a tick
  // starts up to 30 s into its minute): the second poll after the send finds it delivered at the latest.
  await expect(answer.getByTestId("message-status")).toHaveText(/Livrat|Citit/, { timeout: 150_000 });
  await answer.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SCREENSHOTS, "review-lead-timeline.png"), fullPage: true });

  // The same page in English: the analysis and its why follow the reader's language.
  await page.context().addCookies([{ name: "lang", value: "en", url: APP }]);
  await page.reload();
  await expect(reply.getByTestId("reply-analysis")).toContainText(/Analysis: Interested, score \d+/);
  await expect(reply.getByTestId("reply-analysis")).toContainText(/A positive reply \(score \d+ ≥ 50\): an automatic answer is drafted\./);
  await reply.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SCREENSHOTS, "review-lead-timeline-en.png") });
  expect(errors).toEqual([]);
});

test("a manager filters by breach and reassigns an item to a rep", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "manager1@agroverde.ro");
  await openReview(page);
  await page.getByRole("checkbox", { name: "Doar peste termen" }).click();
  await expect(page).toHaveURL(/breached=1/);
  await expect(page.getByRole("checkbox", { name: "Doar peste termen" })).toBeChecked();
  await page.getByRole("checkbox", { name: "Doar peste termen" }).click();
  await expect(page).not.toHaveURL(/breached=1/);

  await page.getByRole("tab", { name: /^Urgentă/ }).click();
  await expect(page.getByRole("tab", { name: /^Urgentă/ })).toHaveAttribute("aria-selected", "true");
  await page.getByRole("tab", { name: /^Toate/ }).click();

  const row = page.getByRole("list", { name: "Elemente de revizuit" }).getByRole("button").first();
  const reviewId = await row.getAttribute("data-review-id");
  await row.click();
  const panel = page.locator("article");
  const assign = panel.getByLabel("Atribuie lui");
  await expect(assign).toBeEnabled();
  const before = (await reviewRecord(page, reviewId!)).assignedUser?.id ?? "";
  const options = await assign.locator("option").evaluateAll((os) => os.map((o) => ({ value: (o as HTMLOptionElement).value, label: o.textContent ?? "" })));
  const target = options.find((o) => o.value !== "" && o.value !== before)!;
  await assign.selectOption(target.value);
  await expect(page.getByText("Elementul a fost atribuit.")).toBeVisible();
  await expect.poll(async () => (await reviewRecord(page, reviewId!)).assignedUser?.id).toBe(target.value);
  await page.screenshot({ path: path.join(SCREENSHOTS, "review-manager.png"), fullPage: true });

  // The shortcuts, by keyboard.
  await page.locator("body").press("?");
  await expect(page.getByRole("dialog", { name: "Scurtături de tastatură" })).toBeVisible();
  await page.keyboard.press("Escape");
  expect(errors).toEqual([]);
});

test("on a phone screen the list comes first and the item opens full width", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  // A manager: the rep's items may all be resolved or reassigned by the tests before.
  await signIn(page, "manager1@agroverde.ro");
  await openReview(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, "review-phone-list.png"), fullPage: true });
  await page.getByRole("list", { name: "Elemente de revizuit" }).getByRole("button").first().click();
  await expect(page.getByRole("button", { name: "Înapoi la listă" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Elemente de revizuit" })).toBeHidden();
  await page.screenshot({ path: path.join(SCREENSHOTS, "review-phone-item.png"), fullPage: true });
  await page.getByRole("button", { name: "Înapoi la listă" }).click();
  await expect(page.getByRole("list", { name: "Elemente de revizuit" })).toBeVisible();
});
