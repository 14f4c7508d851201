import { execFileSync } from "node:child_process";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { PgBoss } from "pg-boss";
import pg from "pg";

/**
 * The alerts page and the operations page against the real app. The alert comes from an operator
 * command (`npm run ops -- phone offline`, runbook §2.1) on the seeded tenant AgroVerde; the dead letter
 * is what a send job writes to dlq.outreach when its retries run out (jobs/pipeline/send-outcome.ts),
 * for one of the tenant's real enrollments.
 */
const PASSWORD = "Cerniq!2026";
const SCREENSHOTS = path.join(import.meta.dirname, "screenshots");
const ROOT = path.resolve(import.meta.dirname, "..");
const PHONE = "Vânzări 05";
/** Every step waits on the server; on a shared 2-core machine a round trip can take several seconds. */
const expectSlow = expect.configure({ timeout: 30_000 });

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
  await expectSlow(page).toHaveURL(/\/outreach\/dashboard$/);
}

function ops(...args: string[]): string {
  return execFileSync(process.execPath, ["--import", "tsx", "scripts/ops.ts", ...args], { cwd: ROOT, env: process.env, encoding: "utf8", timeout: 240_000 });
}

test("an alert raised by a phone going offline: the bell counts it, a manager acknowledges and resolves it, the history keeps it", async ({ page }) => {
  // Two operator commands (each a Node process that loads the server code) besides the page.
  test.setTimeout(600_000);
  const errors = watchConsole(page);
  expect(ops("phone", "offline", PHONE, "--tenant", "agroverde", "--reason", "QR expirat")).toContain("alert raised");
  try {
    await signIn(page, "manager1@agroverde.ro");
    const bell = page.getByRole("link", { name: /alert(ă|e) neconfirmat/ });
    // The count arrives after hydration, with the bell's own query.
    await expectSlow(bell.getByTestId("alert-bell-count")).toBeVisible();
    await bell.click();
    await expectSlow(page.locator("main").getByRole("heading", { level: 1, name: "Alerte" })).toBeVisible();
    const card = page.getByTestId("alert-card").filter({ hasText: `Telefonul ${PHONE} este offline` });
    await expectSlow(card).toHaveCount(1);
    await expectSlow(card).toContainText("Ridicată");
    await expectSlow(card).toContainText("§2.1");
    await page.screenshot({ path: path.join(SCREENSHOTS, "alerts-open.png"), fullPage: true });

    await card.getByRole("button", { name: "Confirm că mă ocup" }).click();
    await expectSlow(page.getByRole("status").filter({ hasText: "a fost confirmată" })).toBeVisible();
    await expectSlow(card).toContainText("Confirmată de");
    await expectSlow(card.getByRole("button", { name: "Confirm că mă ocup" })).toHaveCount(0);

    await card.getByRole("button", { name: "Rezolvă" }).click();
    const dialog = page.getByRole("dialog", { name: "Rezolvați alerta?" });
    await dialog.getByLabel(/Ce s-a făcut/).fill("Reconectat prin QR de pe telefonul de rezervă");
    await dialog.getByRole("button", { name: "Rezolvă" }).click();
    await expectSlow(dialog).toBeHidden();
    await expectSlow(card).toHaveCount(0);

    await page.getByRole("link", { name: "Istoric" }).click();
    const resolved = page.getByTestId("alert-card").filter({ hasText: `Telefonul ${PHONE} este offline` }).first();
    await expectSlow(resolved).toContainText("Rezolvată de");
    await expectSlow(resolved).toContainText("Reconectat prin QR de pe telefonul de rezervă");

    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: path.join(SCREENSHOTS, "alerts-history-375.png"), fullPage: true });
    expect(errors).toEqual([]);
  } finally {
    ops("phone", "reconnected", PHONE, "--tenant", "agroverde");
  }
});

test("a sales rep has no alerts bell and no operations page", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "rep1@agroverde.ro");
  await expectSlow(page.getByRole("link", { name: /alert(ă|e) neconfirmat|^Alerte$/ })).toHaveCount(0);
  await page.goto("/outreach/operations");
  await expectSlow(page.getByText("Acces interzis")).toBeVisible();
});

test("an admin inspects a dead letter on the operations page and sends it back to its queue", async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchConsole(page);
  const db = new pg.Client({ connectionString: process.env.DATABASE_ADMIN_URL });
  await db.connect();
  const boss = new PgBoss({ connectionString: process.env.DATABASE_URL!, schema: process.env.PGBOSS_SCHEMA ?? "pgboss", supervise: false, schedule: false, migrate: false, createSchema: false });
  boss.on("error", () => undefined);
  await boss.start();
  let letterId: string | null = null;
  try {
    const { rows } = await db.query<{ tenant_id: string; journey_id: string; lead_id: string; sequence_id: string; step: number; template_id: string }>(
      `SELECT e.tenant_id, e.journey_id, e.lead_id, e.sequence_id, s.step_number AS step, s.template_id
         FROM sequence_enrollments e
         JOIN tenants t ON t.id = e.tenant_id AND t.slug = 'agroverde'
         JOIN outreach_sequence_steps s ON s.tenant_id = e.tenant_id AND s.sequence_id = e.sequence_id AND s.step_number = e.current_step + 1
        WHERE s.channel = 'EMAIL_COLD'
        LIMIT 1`,
    );
    const e = rows[0]!;
    const jobId = "5f0c9a4e-1b7d-4c1e-9f3a-2d6b8e0c4a11";
    letterId = await boss.send("dlq.outreach", {
      queue: "q.email.cold",
      jobId,
      code: "PROVIDER_UNAVAILABLE_RETRIES_EXHAUSTED",
      reason: "Instantly: 503 Service Unavailable",
      payload: { tenantId: e.tenant_id, journeyId: e.journey_id, leadId: e.lead_id, sequenceId: e.sequence_id, stepNumber: e.step, templateId: e.template_id, attempts: { server: 3 } },
    });

    await signIn(page, "admin1@agroverde.ro");
    await page.getByRole("navigation", { name: "Navigare principală" }).getByRole("link", { name: "Operațiuni", exact: true }).click();
    await expectSlow(page.locator("main").getByRole("heading", { level: 1, name: "Operațiuni" })).toBeVisible();
    await expectSlow(page.getByRole("heading", { name: "Contorul cotei (Redis)" })).toBeVisible();
    await expectSlow(page.getByTestId("phone-pool")).toContainText("din 20 pot trimite");
    const row = page.getByTestId("dead-letter-row").filter({ hasText: "Instantly: 503 Service Unavailable" });
    await expectSlow(row).toHaveCount(1);
    await page.screenshot({ path: path.join(SCREENSHOTS, "operations.png"), fullPage: true });

    await row.getByRole("button", { name: "Detalii" }).click();
    const details = page.getByRole("dialog", { name: "Job eșuat din q.email.cold" });
    await expectSlow(details.getByTestId("dead-letter-payload")).toContainText(e.journey_id);
    await details.getByRole("button", { name: "Închide" }).first().click();
    await expectSlow(details).toBeHidden();

    await row.getByRole("button", { name: "Reîncearcă" }).click();
    await expectSlow(page.getByRole("status").filter({ hasText: "Jobul a fost trimis înapoi în coadă." })).toBeVisible();
    await expectSlow(row).toHaveCount(0);
    const audit = await db.query("SELECT 1 FROM audit_log WHERE action = 'dead_letter.retry' AND entity_id = $1", [letterId]);
    expect(audit.rowCount).toBe(1);
    letterId = null;

    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: path.join(SCREENSHOTS, "operations-375.png"), fullPage: true });
    expect(errors).toEqual([]);
  } finally {
    if (letterId) await boss.deleteJob("dlq.outreach", letterId).catch(() => undefined);
    await boss.stop({ graceful: false });
    await db.end();
  }
});
