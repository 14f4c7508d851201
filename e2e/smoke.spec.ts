import path from "node:path";
import { expect, test, type Page } from "@playwright/test";

/** The seed's demo admin of tenant 1 (prisma/seed). */
const ADMIN = { email: "admin1@agroverde.ro", password: "Cerniq!2026" };
const SCREENSHOTS = path.join(import.meta.dirname, "screenshots");

const PAGES = [
  { path: "/outreach/dashboard", nav: "Panou", heading: "Panou", shot: "dashboard" },
  { path: "/outreach/leads", nav: "Lead-uri", heading: "Lead-uri", shot: "leads" },
  { path: "/outreach/sequences", nav: "Secvențe", heading: "Secvențe", shot: "sequences" },
  { path: "/outreach/templates", nav: "Șabloane", heading: "Șabloane", shot: "templates" },
  { path: "/outreach/phones", nav: "Telefoane", heading: "Telefoane", shot: "phones" },
  { path: "/outreach/review", nav: "Revizuire", heading: "Revizuire", shot: "review" },
  { path: "/outreach/analytics", nav: "Analiză", heading: "Analiză", shot: "analytics" },
  { path: "/outreach/do-not-contact", nav: "Nu contactați", heading: "Nu contactați", shot: "do-not-contact-list" },
] as const;

/** Every console error and uncaught exception on the page; a test fails if any appear. */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

async function signIn(page: Page, password = ADMIN.password) {
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Parolă").fill(password);
  await page.getByRole("button", { name: "Intră în cont" }).click();
}

async function signInFromLoginPage(page: Page) {
  await page.goto("/login");
  await signIn(page);
  await expect(page).toHaveURL(/\/outreach\/dashboard$/);
}

/**
 * The KPI cards show numbers from the server, not skeletons, formatted for the UI language:
 * Romanian (1.234 · 12,5%) by default, British English (1,234 · 12.5%) after the switch.
 */
const KPI_FORMAT = {
  ro: /^(\d{1,3}(\.\d{3})*|\d{1,3}(,\d)?%|—)$/,
  en: /^(\d{1,3}(,\d{3})*|\d{1,3}(\.\d)?%|—)$/,
} as const;

async function expectDashboardLoaded(page: Page, locale: keyof typeof KPI_FORMAT = "ro") {
  const main = page.locator("main");
  await expect(main.getByRole("heading", { level: 1 })).toBeVisible();
  const values = main.getByTestId("kpi-value");
  await expect(values).toHaveCount(4);
  await expect(main.locator("[data-skeleton]")).toHaveCount(0);
  for (const value of await values.allTextContents()) {
    // "—" when nothing was contacted in the window; never "NaN" or "undefined".
    expect(value.trim()).toMatch(KPI_FORMAT[locale]);
  }
  // The WhatsApp quota grid: one tile per phone of the seeded 20-phone pool, each linking to its phone.
  await expect(main.locator('a[href^="/outreach/phones?phone="]')).toHaveCount(20);
}

test("/ sends a visitor to sign in, and the admin lands on a dashboard with real numbers", async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("heading", { level: 1, name: "Autentificare" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "ro");
  await page.screenshot({ path: path.join(SCREENSHOTS, "login.png"), fullPage: true });

  await signIn(page);
  await expect(page).toHaveURL(/\/outreach\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1, name: "Panou" })).toBeVisible();
  await expectDashboardLoaded(page);
  await expect(page.getByText("Lead-uri contactate")).toBeVisible();
  await expect(page.getByText("Revizuiri în așteptare")).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, "dashboard.png"), fullPage: true });
  expect(errors).toEqual([]);
});

test("a wrong password shows the Romanian error, and empty fields are explained", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Intră în cont" }).click();
  await expect(page.getByText("Introduceți adresa de email.")).toBeVisible();
  await expect(page.getByText("Introduceți parola.")).toBeVisible();

  await signIn(page, "definitely-not-the-password");
  await expect(page.getByRole("alert")).toHaveText("Email sau parolă greșită.");
  await expect(page).toHaveURL(/\/login/);
  await page.screenshot({ path: path.join(SCREENSHOTS, "login-error.png"), fullPage: true });

  // A successful sign-in resets the failed-attempt counter, so reruns never lock the demo account.
  await signIn(page);
  await expect(page).toHaveURL(/\/outreach\/dashboard$/);
});

test("the language switch turns the sidebar English", async ({ page }) => {
  const errors = watchConsole(page);
  await signInFromLoginPage(page);
  const nav = page.getByRole("navigation");
  await expect(nav.getByRole("link", { name: "Lead-uri" })).toBeVisible();

  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Dashboard" })).toBeVisible();
  const navEn = page.getByRole("navigation", { name: "Main navigation" });
  await expect(navEn.getByRole("link", { name: "Leads", exact: true })).toBeVisible();
  await expect(navEn.getByRole("link", { name: "Sequences", exact: true })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page).toHaveURL(/\/outreach\/dashboard$/);
  await expectDashboardLoaded(page, "en");
  await page.screenshot({ path: path.join(SCREENSHOTS, "dashboard-en.png"), fullPage: true });

  await page.getByRole("button", { name: "Română" }).click();
  await expect(page.getByRole("navigation", { name: "Navigare principală" }).getByRole("link", { name: "Lead-uri", exact: true })).toBeVisible();
  expect(errors).toEqual([]);
});

test("every sidebar page opens without a console error", async ({ page }) => {
  const errors = watchConsole(page);
  await signInFromLoginPage(page);
  const nav = page.getByRole("navigation", { name: "Navigare principală" });

  for (const target of PAGES) {
    await nav.getByRole("link", { name: target.nav, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${target.path}$`));
    await expect(page.locator("main").getByRole("heading", { level: 1, name: target.heading })).toBeVisible();
    await expect(nav.getByRole("link", { name: target.nav, exact: true })).toHaveAttribute("aria-current", "page");
    if (target.shot === "dashboard") await expectDashboardLoaded(page);
    if (target.shot === "phones") await expect(page.getByTestId("phone-row")).toHaveCount(20);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${target.shot}.png`), fullPage: true });
  }

  // The lead page (a real lead, its actions, 404 for unknown ids) is e2e/lead-page.spec.ts's.

  expect(errors).toEqual([]);
});

test("signing out ends the session", async ({ page }) => {
  await signInFromLoginPage(page);
  await page.getByRole("button", { name: "Ieșire" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/outreach/dashboard");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Foutreach%2Fdashboard$/);
});

test.describe("without JavaScript (progressive enhancement)", () => {
  test.use({ javaScriptEnabled: false });

  test("signing in, errors and the language switch are plain HTML forms", async ({ page }) => {
    await page.goto("/login?redirectTo=%2Foutreach%2Freview");
    await signIn(page, "definitely-not-the-password");
    await expect(page.getByRole("alert")).toHaveText("Email sau parolă greșită.");

    await signIn(page);
    await expect(page).toHaveURL(/\/outreach\/review$/);
    await expect(page.locator("main").getByRole("heading", { level: 1, name: "Revizuire" })).toBeVisible();

    await page.getByRole("button", { name: "English" }).click();
    await expect(page).toHaveURL(/\/outreach\/review$/);
    await expect(page.locator("main").getByRole("heading", { level: 1, name: "Review" })).toBeVisible();
  });
});
