import path from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import pg from "pg";

/**
 * The phones page against the real app: usage/limit from Redis, the phone lifecycle through the real
 * procedures, and the role tiers. The seed gives tenant 1 twenty phones "Vânzări 01…20" (07 paused,
 * 13 offline, 18 in quarantine, the rest active) and tenant 2 five.
 */
const PASSWORD = "Cerniq!2026";
const SCREENSHOTS = path.join(import.meta.dirname, "screenshots");

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

async function openPhones(page: Page, count = 20): Promise<Locator> {
  await page.getByRole("navigation", { name: "Navigare principală" }).getByRole("link", { name: "Telefoane", exact: true }).click();
  await expect(page.locator("main").getByRole("heading", { level: 1, name: "Telefoane" })).toBeVisible();
  const rows = page.getByTestId("phone-row");
  await expect(rows).toHaveCount(count);
  return rows;
}

const row = (page: Page, label: string) => page.getByTestId("phone-row").filter({ has: page.getByRole("rowheader", { name: new RegExp(`^${label}\\b`) }) });

/** `0 / 200`, `1.234 / 2.000`: numbers from Redis in Romanian format, never "—" while Redis is up. */
const USAGE = /^\d{1,3}(\.\d{3})* \/ \d{1,3}(\.\d{3})*$/;

test("an admin sees all 20 phones with today's usage, pauses one with a reason and resumes it", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "admin1@agroverde.ro");
  const rows = await openPhones(page);

  for (const usage of await rows.getByTestId("phone-usage").allTextContents()) expect(usage.trim()).toMatch(USAGE);
  await expect(page.getByRole("region", { name: "Rezumatul telefoanelor" })).toContainText("Telefoane active");
  const activeBefore = await page.getByTestId("kpi-value").first().textContent();

  const phone = row(page, "Vânzări 01");
  await expect(phone.getByTestId("phone-status")).toHaveText("Activ");
  await phone.getByRole("button", { name: "Pune în pauză: Vânzări 01" }).click();

  const dialog = page.getByRole("dialog", { name: "Schimbă starea: Vânzări 01" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("radio", { name: /^În pauză/ })).toBeChecked();
  await dialog.getByLabel(/^Motiv/).fill("Verificare reputație după reclamații");
  await page.screenshot({ path: path.join(SCREENSHOTS, "phones-pause-dialog.png") });
  await dialog.getByRole("button", { name: "Salvează starea" }).click();

  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: "Vânzări 01: starea este acum „În pauză”." })).toBeVisible();
  await expect(phone.getByTestId("phone-status")).toHaveText("În pauză");
  await expect(phone).toContainText("Motiv: Verificare reputație după reclamații");
  await expect(page.getByTestId("kpi-value").first()).not.toHaveText(activeBefore ?? "");
  // Focus returns to the row's action, which now offers the way back.
  await expect(phone.getByRole("button", { name: "Reia trimiterea: Vânzări 01" })).toBeFocused();

  await phone.getByRole("button", { name: "Reia trimiterea: Vânzări 01" }).click();
  await expect(dialog.getByRole("radio", { name: /^Activ/ })).toBeChecked();
  await dialog.getByRole("button", { name: "Salvează starea" }).click();
  await expect(dialog).toBeHidden();
  await expect(phone.getByTestId("phone-status")).toHaveText("Activ");
  await expect(phone).not.toContainText("Motiv:");
  await expect(page.getByTestId("kpi-value").first()).toHaveText(activeBefore ?? "");

  expect(errors).toEqual([]);
});

test("banning asks for a reason and warns that leads move and pending sends are cancelled", async ({ page }) => {
  await signIn(page, "admin1@agroverde.ro");
  await openPhones(page);
  await row(page, "Vânzări 03").getByRole("button", { name: "Schimbă starea: Vânzări 03" }).click();
  const dialog = page.getByRole("dialog", { name: "Schimbă starea: Vânzări 03" });
  await dialog.getByRole("radio", { name: /^Blocat/ }).check();
  await expect(dialog.getByRole("note")).toContainText("vor fi mutate pe alte telefoane");
  await expect(dialog.getByRole("note")).toContainText("trimiterile lui în așteptare vor fi anulate");
  await dialog.getByRole("button", { name: "Marchează ca blocat" }).click();
  await expect(dialog.getByText("Motivul este obligatoriu.")).toBeVisible();
  await expect(dialog.getByLabel(/^Motiv/)).toBeFocused();
  // Cancelled: the phone is untouched.
  await dialog.getByRole("button", { name: "Anulează" }).click();
  await expect(dialog).toBeHidden();
  await expect(row(page, "Vânzări 03").getByTestId("phone-status")).toHaveText("Activ");
});

/**
 * e2e runs on the real clock with the web process's workers: inside the sending window, scheduled dispatch
 * sends for seeded leads, and a send that fails before a provider gives its contact back, which would move a
 * counter a test set by hand. The tenant's window is closed today (open only tomorrow's weekday) for the
 * test, and the sends already in flight on the phone are waited out; the window is put back after.
 */
async function withoutSending<T>(label: string, body: () => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: process.env.DATABASE_ADMIN_URL });
  await db.connect();
  const tenant = (await db.query<{ id: string; days: number[] }>("SELECT id, sending_days AS days FROM tenants WHERE slug = 'agroverde'")).rows[0]!;
  const weekday = Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Bucharest", weekday: "short" }).formatToParts(new Date()).map((p) => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(p.value) + 1).find((n) => n > 0));
  try {
    await db.query("UPDATE tenants SET sending_days = $2 WHERE id = $1", [tenant.id, [(weekday % 7) + 1]]);
    const phoneId = (await db.query<{ id: string }>("SELECT id FROM wa_phone_numbers WHERE tenant_id = $1 AND label = $2", [tenant.id, label])).rows[0]!.id;
    await expect
      .poll(async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name LIKE 'wa.send%' AND singleton_key = $1 AND state = 'active'", [phoneId])).rows[0]!.n, { timeout: 60_000 })
      .toBe(0);
    return await body();
  } finally {
    await db.query("UPDATE tenants SET sending_days = $2 WHERE id = $1", [tenant.id, tenant.days]);
    await db.end();
  }
}

test("an admin adjusts one phone's quota by hand, only with a reason; resync keeps it; the dashboard grid shows it", async ({ page }) => {
  await withoutSending("Vânzări 05", () => adjustByHand(page));
});

async function adjustByHand(page: Page) {
  const errors = watchConsole(page);
  await signIn(page, "admin1@agroverde.ro");
  await openPhones(page);
  const phone = row(page, "Vânzări 05");
  await phone.getByRole("button", { name: "Ajustare manuală: Vânzări 05" }).click();

  const dialog = page.getByRole("dialog", { name: "Ajustare manuală a cotei: Vânzări 05" });
  await expect(dialog.getByRole("note")).toContainText("Doar pentru urgențe");
  await dialog.getByLabel("Contacte noi folosite azi").fill("185");
  await dialog.getByLabel(/^Motivul ajustării/).fill("scurt");
  await dialog.getByRole("button", { name: "Ajustează cota" }).click();
  await expect(dialog.getByText("Explicați în cel puțin 10 caractere.")).toBeVisible();

  await dialog.getByLabel(/^Motivul ajustării/).fill("Scurgere de cotă dovedită în jurnalul de comunicări");
  await dialog.getByRole("button", { name: "Ajustează cota" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: /Cota pentru Vânzări 05 a fost ajustată: \d+ → 185 din 200\./ })).toBeVisible();
  await expect(phone.getByTestId("phone-usage")).toHaveText("185 / 200");

  // Resync rebuilds the counters from the communication log but never lowers one (runbook §3.1).
  await page.getByRole("button", { name: "Resincronizează cotele" }).click();
  const resync = page.getByRole("dialog", { name: "Resincronizați cotele?" });
  await resync.getByRole("button", { name: "Resincronizează", exact: true }).click();
  await expect(resync).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: /^Cotele au fost resincronizate pentru 20 de telefoane; contoare ridicate din jurnal: \d+\.$/ })).toBeVisible();
  await expect(phone.getByTestId("phone-usage")).toHaveText("185 / 200");

  // The dashboard reads the same counters: 185 of 200 is the amber band (90–99 %).
  await page.getByRole("navigation", { name: "Navigare principală" }).getByRole("link", { name: "Panou", exact: true }).click();
  const tile = page.getByRole("link", { name: "Detalii pentru Vânzări 05" });
  await expect(tile).toContainText("185 / 200");
  await expect(tile.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "185");
  expect(errors).toEqual([]);
}

test("a dashboard tile opens the phones page at that phone", async ({ page }) => {
  await signIn(page, "admin1@agroverde.ro");
  await page.getByRole("link", { name: "Detalii pentru Vânzări 13" }).click();
  await expect(page).toHaveURL(/\/outreach\/phones\?phone=[0-9a-f-]{36}$/);
  const header = row(page, "Vânzări 13").getByRole("rowheader");
  await expect(header).toBeFocused();
  await expect(row(page, "Vânzări 13").getByTestId("phone-status")).toHaveText("Deconectat");
});

test("a manager adds a phone typed in local format; it is saved in +40 format", async ({ page }) => {
  // Tenant 2, so tenant 1 keeps its 20-phone pool for the other tests and screenshots.
  await signIn(page, "manager1@campiafertila.ro");
  await openPhones(page, 5);
  await expect(page.getByRole("button", { name: "Resincronizează cotele" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Ajustare manuală/ })).toHaveCount(0);

  await page.getByRole("button", { name: "Adaugă telefon" }).click();
  const dialog = page.getByRole("dialog", { name: "Adaugă un telefon WhatsApp" });
  await dialog.getByLabel("Număr de telefon").fill("+49 170 1234567");
  await dialog.getByRole("button", { name: "Adaugă telefonul" }).click();
  await expect(dialog.getByText("Introduceți o etichetă.")).toBeVisible();
  await expect(dialog.getByText("Numărul trebuie să fie românesc (prefix +40, 9 cifre după el).")).toBeVisible();

  const suffix = String(Date.now()).slice(-6);
  await dialog.getByLabel("Etichetă").fill("Vânzări E2E");
  await dialog.getByLabel("Număr de telefon").fill(`0799 ${suffix.slice(0, 3)} ${suffix.slice(3)}`);
  await expect(dialog.getByText(`Se salvează ca +40 799 ${suffix.slice(0, 3)} ${suffix.slice(3)}`)).toBeVisible();
  await dialog.getByLabel("ID cont TimelinesAI").fill(`acc-e2e-${suffix}`);
  await dialog.getByLabel(/^Limită zilnică/).fill("150");
  await dialog.getByRole("button", { name: "Adaugă telefonul" }).click();
  await expect(dialog).toBeHidden();

  const added = row(page, "Vânzări E2E");
  await expect(added).toContainText(`+40 799 ${suffix.slice(0, 3)} ${suffix.slice(3)}`);
  await expect(added.getByTestId("phone-usage")).toHaveText("0 / 150");
  await expect(added.getByTestId("phone-status")).toHaveText("Activ");
});

test("a sales rep sees the pool read-only, without any action", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "rep1@agroverde.ro");
  const rows = await openPhones(page);
  for (const usage of await rows.getByTestId("phone-usage").allTextContents()) expect(usage.trim()).toMatch(USAGE);
  await expect(page.getByText("Vedeți lista în mod citire.")).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Acțiuni" })).toHaveCount(0);
  // The only button in the page body is the refresh; nothing that changes a phone.
  await expect(page.locator("main").getByRole("button")).toHaveText(["Reîmprospătează"]);
  await page.screenshot({ path: path.join(SCREENSHOTS, "phones-rep.png"), fullPage: true });
  expect(errors).toEqual([]);
});
