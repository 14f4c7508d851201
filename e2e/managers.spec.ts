import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect as baseExpect, test, type Page } from "@playwright/test";
import { DateTime } from "luxon";
import Papa from "papaparse";

/**
 * The managers' pages against the real app (issue 11): a manager builds a three-step sequence, enrolls
 * a lead and sees the card's counts move; saves a leads filter and enrolls its leads into a sequence
 * from the sequences page (the leads list's bulk enroll job); edits a template and sees the live preview change and the
 * error for an unknown variable; reads 30 days of analytics and exports a CSV whose totals are the
 * page's; an admin changes the sending window and the app applies it at once. Screenshots of every
 * page at desktop width and at 375 px.
 */
const PASSWORD = "Cerniq!2026";
const MANAGER = "manager1@agroverde.ro";
const ADMIN = "admin1@agroverde.ro";
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

/** Desktop and phone screenshots of the page as it is now (full height). */
async function shots(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 375, height: 812 });
  await page.waitForTimeout(300);
  // Nothing may be wider than the phone's screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect({ name, overflow }).toEqual({ name, overflow: 0 });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-375.png`), fullPage: true });
  await page.setViewportSize(size);
}

// Each test drives several pages and takes phone-size screenshots on a shared 2-core machine: waits
// are generous (they are how long to wait, not how fast the app must be).
test.describe.configure({ timeout: 180_000 });
const expect = baseExpect.configure({ timeout: 20_000 });

test("a manager builds a three-step sequence, enrolls a lead and sees the counts move", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, MANAGER);
  await page.getByRole("navigation", { name: "Navigare principală" }).getByRole("link", { name: "Secvențe", exact: true }).click();
  await expect(page.getByTestId("sequence-card").first()).toBeVisible();
  await shots(page, "sequences");

  await page.getByRole("link", { name: "Secvență nouă" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Secvență nouă" })).toBeVisible();
  const name = `Test e2e ${Date.now()}`;
  await page.getByLabel("Nume").fill(name);
  const steps = page.getByTestId("sequence-step");
  await expect(steps).toHaveCount(1);
  await page.getByRole("button", { name: "Adaugă pas" }).click();
  await page.getByRole("button", { name: "Adaugă pas" }).click();
  await expect(steps).toHaveCount(3);

  // Step 3 goes out by cold email: choosing the channel offers that channel's templates only.
  const third = steps.nth(2);
  await third.getByLabel("Canal", { exact: true }).selectOption("EMAIL_COLD");
  await expect(third.getByLabel("Șablon", { exact: true })).not.toHaveValue("");
  // A WhatsApp template as the fallback of a WhatsApp step is refused as the manager types.
  const second = steps.nth(1);
  const fallbackOptions = await second.getByLabel(/Șablon de rezervă/).locator("option").allTextContents();
  expect(fallbackOptions.slice(1).every((o) => o.startsWith("Email"))).toBe(true);
  // Reorder with the keyboard-accessible buttons: the email step moves up to be second, then back.
  await page.getByRole("button", { name: "Mută pasul 3 mai sus" }).click();
  await expect(steps.nth(1).getByLabel("Canal", { exact: true })).toHaveValue("EMAIL_COLD");
  await page.getByRole("button", { name: "Mută pasul 2 mai jos" }).click();
  await expect(steps.nth(2).getByLabel("Canal", { exact: true })).toHaveValue("EMAIL_COLD");
  // An impossible delay is reported at once.
  await second.getByRole("spinbutton").nth(1).fill("30");
  await expect(second.getByText("Pauza: numere întregi, ore 0–23, minute 0–59.")).toBeVisible();
  await second.getByRole("spinbutton").nth(1).fill("4");
  await expect(second.getByText("Pauza: numere întregi, ore 0–23, minute 0–59.")).toBeHidden();
  await shots(page, "sequence-builder");

  await page.getByRole("button", { name: "Salvează secvența" }).first().click();
  await expect(page.getByRole("status").filter({ hasText: `Secvența ${name} a fost salvată.` })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  // Enroll a lead from the sequence's page: find farms by name and enroll the first one the rules accept
  // (a lead already in a sequence, opted out or past cold outreach is refused with the reason).
  const enroll = page.locator("#enroll");
  await enroll.getByLabel("Caută firma").fill("a");
  await expect(enroll.getByText("Scrieți cel puțin două litere din numele firmei.")).toBeVisible();
  await enroll.getByLabel("Caută firma").fill("SRL");
  const results = enroll.getByTestId("enroll-results").getByRole("listitem");
  await expect(results.first()).toBeVisible();
  let enrolledLead: string | null = null;
  for (let i = 0; i < (await results.count()) && !enrolledLead; i++) {
    const lead = (await results.nth(i).locator("span").first().textContent())!;
    await results.nth(i).getByRole("button", { name: `Înscrie ${lead}` }).click();
    const ok = page.getByRole("status").filter({ hasText: `${lead} a fost înscris în ${name}.` });
    const refused = page.getByRole("alert").filter({ hasText: lead });
    await expect(ok.or(refused).first()).toBeVisible();
    if (await ok.isVisible()) enrolledLead = lead;
  }
  expect(enrolledLead).not.toBeNull();
  await shots(page, "sequence-enroll");

  await page.getByRole("link", { name: "Înapoi la secvențe" }).click();
  const card = page.getByTestId("sequence-card").filter({ hasText: name });
  await expect(card.getByTestId("sequence-figures")).toContainText("Înscriși1");
  await expect(card.getByTestId("sequence-figures")).toContainText("Activi1");

  // Pausing says what it does to the enrollment, then does it; the card follows.
  await card.getByRole("button", { name: `Pune în pauză: ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Puneți în pauză secvența ${name}?` });
  await expect(dialog.getByTestId("impact-list")).toContainText("1 lead activ va fi pus în pauză");
  await dialog.getByRole("button", { name: "Pune în pauză" }).click();
  await expect(page.getByRole("status").filter({ hasText: `${name} este în pauză; 1 lead a fost oprit temporar.` })).toBeVisible();
  await expect(card).toContainText("În pauză");
  await expect(card.getByTestId("sequence-figures")).toContainText("Activi0");
  await card.getByRole("button", { name: `Reia: ${name}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Reia secvența" }).click();
  await expect(card.getByTestId("sequence-figures")).toContainText("Activi1");
  // The card's enroll action enrolls a saved filter's leads; for one lead it links to the sequence's
  // enroll panel, ready to search.
  await card.getByRole("button", { name: `Înscrie lead-uri: ${name}` }).click();
  await page.getByRole("dialog").getByRole("link", { name: "Un singur lead? Căutați-l pe pagina secvenței." }).click();
  await expect(page).toHaveURL(/#enroll$/);
  await expect(page.getByLabel("Caută firma")).toBeFocused();
  expect(errors).toEqual([]);
});

/** "Înscriși1.234" → 1234 (Romanian thousands separator). */
async function enrolledOn(card: ReturnType<Page["getByTestId"]>): Promise<number> {
  const text = (await card.getByTestId("sequence-figures").textContent()) ?? "";
  const match = /Înscriși([\d.]+)/.exec(text);
  if (!match) throw new Error(`no enrolled figure in "${text}"`);
  return Number(match[1]!.replaceAll(".", ""));
}

test("a manager saves a leads filter, then enrolls its leads from the sequences page and sees the counts move", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, MANAGER);
  // Cold leads that never had a next action first (never scheduled, so in no sequence), not opted out.
  await page.goto("/outreach/leads?state=COLD&optout=no&sort=nextAction&dir=desc");
  const first = page.getByTestId("lead-row").first();
  await expect(first).toBeVisible();
  const leadName = (await first.getByTestId("lead-link").textContent())!.trim();
  // Narrowed to that farm by its name: the saved filter is the list's filters and search.
  await page.getByLabel("Caută").fill(leadName);
  await expect(page).toHaveURL(/q=/);
  await expect.poll(async () => (await page.getByTestId("lead-link").allTextContents()).every((n) => n.includes(leadName))).toBe(true);
  const matching = await page.getByTestId("lead-row").count();

  const viewName = `Ferme reci e2e ${Date.now()}`;
  await page.getByRole("button", { name: "Filtre salvate" }).click();
  await page.getByRole("button", { name: "Salvează filtrele curente" }).click();
  const save = page.getByRole("dialog", { name: "Salvați filtrele curente" });
  await save.getByRole("button", { name: "Salvează" }).click();
  await expect(save.getByText("Scrieți un nume de cel mult 80 de caractere.")).toBeVisible();
  await save.getByLabel(/^Numele filtrului/).fill(viewName);
  await save.getByLabel("Partajat cu toți colegii").check();
  await save.getByRole("button", { name: "Salvează" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Filtrul „${viewName}” a fost salvat.` })).toBeVisible();

  // Opening it on a cleared list brings the same filters back.
  await page.goto("/outreach/leads");
  await page.getByRole("button", { name: "Filtre salvate" }).click();
  await expect(page.getByTestId("saved-view").filter({ hasText: viewName })).toBeVisible();
  await shots(page, "leads-saved-views");
  const openView = page.getByRole("button", { name: `Deschide filtrul „${viewName}”` });
  // (The phone-size screenshot may have closed the menu.)
  if (!(await openView.isVisible())) await page.getByRole("button", { name: "Filtre salvate" }).click();
  await openView.click();
  await expect(page).toHaveURL(/state=COLD/);
  await expect(page).toHaveURL(/optout=no/);
  await expect(page.getByLabel("Caută")).toHaveValue(leadName);
  await expect(page.getByTestId("lead-row")).toHaveCount(matching);

  // On the sequences page: an active sequence's "Înscrie lead-uri" with that saved filter.
  await page.getByRole("navigation", { name: "Navigare principală" }).getByRole("link", { name: "Secvențe", exact: true }).click();
  const enrollButton = page.getByRole("button", { name: /^Înscrie lead-uri: / }).first();
  await expect(enrollButton).toBeVisible();
  const sequenceName = (await enrollButton.getAttribute("aria-label"))!.replace(/^Înscrie lead-uri: /, "");
  const card = page.getByTestId("sequence-card").filter({ has: page.getByRole("heading", { name: sequenceName, exact: true }) });
  const before = await enrolledOn(card);
  await enrollButton.click();
  const dialog = page.getByRole("dialog", { name: `Înscrieți lead-uri în „${sequenceName}”` });
  await dialog.getByRole("button", { name: "Înscrie lead-urile" }).click();
  await expect(dialog.getByText("Alegeți un filtru salvat.")).toBeVisible();
  await dialog.getByLabel(/^Filtrul salvat/).selectOption({ label: viewName });
  // The count is the bulk enroll's own, the same the leads list shows for these filters.
  await expect(dialog.getByTestId("enroll-view-count")).toHaveText(new RegExp(`^Filtrul cuprinde acum ${matching} (de )?lead(-uri)?\\.$`));
  await expect(dialog).toContainText("sunt sărite");
  await shots(page, "sequence-enroll-from-view");
  await dialog.getByRole("button", { name: "Înscrie lead-urile" }).click();
  await expect(dialog.getByTestId("operation-done")).toBeVisible({ timeout: 60_000 });
  const enrolledRow = dialog.getByTestId("operation-done").getByRole("listitem").filter({ hasText: /^înscrise/ });
  await expect(enrolledRow).toBeVisible();
  const enrolled = Number(((await enrolledRow.locator("span").last().textContent()) ?? "").replaceAll(".", ""));
  expect(enrolled).toBeGreaterThanOrEqual(1);
  await shots(page, "sequence-enroll-from-view-done");
  await dialog.getByRole("button", { name: "Închide" }).first().click();
  await expect.poll(() => enrolledOn(card)).toBe(before + enrolled);

  expect(errors).toEqual([]);
});

test("a manager edits a template: the preview follows, another variant, and an unknown variable is an error", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, MANAGER);
  await page.getByRole("navigation", { name: "Navigare principală" }).getByRole("link", { name: "Șabloane", exact: true }).click();
  await expect(page.getByTestId("template-row").first()).toBeVisible();
  await shots(page, "templates");

  await page.getByTestId("template-row").filter({ hasText: "WhatsApp" }).first().getByRole("link").click();
  const preview = page.getByTestId("preview-text");
  await expect(preview).not.toBeEmpty();
  const editor = page.getByLabel("Mesaj");

  await editor.fill("{Bună ziua|Salut|Hei}, {{companyName}}! Test e2e.");
  await expect(preview).toContainText("Test e2e.");
  await expect(page.getByTestId("variant-count")).toHaveText("3 variante posibile");
  // "Another variant" walks the three greetings one by one.
  const another = page.getByRole("button", { name: "Altă variantă" });
  const seen = new Set<string>();
  for (let i = 0; i < 3; i++) {
    await another.click();
    await expect(page.getByTestId("variant-position")).toHaveText(`Varianta ${i + 1} din 3`);
    await expect(preview).toHaveText(/^(Bună ziua|Salut|Hei), /);
    seen.add(((await preview.textContent()) ?? "").split(",")[0]!);
  }
  expect([...seen].sort()).toEqual(["Bună ziua", "Hei", "Salut"]);

  // An unknown variable: the error names it and where it is, the preview shows the gap.
  await editor.fill("Salut {{produsNou}}, {{companyName}}!");
  await expect(page.getByTestId("template-issues")).toContainText("Variabila {{produsNou}} nu este declarată");
  await expect(page.getByTestId("template-issues")).toContainText("(rândul 1, coloana 7)");
  await expect(preview).toContainText("⟦produsNou⟧");
  // An unclosed brace too.
  await editor.fill("{Salut|Bună ziua, {{companyName}}!");
  await expect(page.getByTestId("template-issues")).toContainText("Acoladă „{” deschisă și neînchisă");
  await expect(page.getByText("Corectați greșelile din text ca să vedeți previzualizarea.")).toBeVisible();
  await shots(page, "template-editor");
  expect(errors).toEqual([]);
});

test("a manager reads 30 days of analytics and exports a CSV whose totals are the page's", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, MANAGER);
  await page.getByRole("navigation", { name: "Navigare principală" }).getByRole("link", { name: "Analiză", exact: true }).click();
  await expect(page.getByRole("button", { name: "30 de zile" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("analytics-kpi")).toHaveCount(8);
  const today = DateTime.now().setZone("Europe/Bucharest");
  const day = (d: DateTime) => d.toFormat("dd.MM.yyyy");
  await expect(page.locator("main").getByText(`${day(today.minus({ days: 29 }))} – ${day(today)} (ora României)`)).toBeVisible();

  const table = page.getByTestId("table-channels");
  const totals = table.getByTestId("totals-row");
  await expect(totals).toBeVisible();
  const pageSent = (await totals.locator('[data-column="sent"]').textContent())!.replace(/\./g, "");
  const pageReplies = (await totals.locator('[data-column="replied"]').textContent())!.replace(/\./g, "");
  // The KPI card and the table say the same.
  await expect(page.getByTestId("analytics-kpi").first().getByTestId("kpi-value")).toHaveText((await totals.locator('[data-column="sent"]').textContent())!);

  const download = page.waitForEvent("download");
  await table.getByRole("button", { name: /^Exportă CSV/ }).click();
  const file = await (await download).path();
  const rows = Papa.parse<string[]>((await readFile(file, "utf8")).replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
  const header = rows[0]!;
  const last = rows[rows.length - 1]!;
  expect(last[0]).toBe("Total");
  expect(last[header.indexOf("Trimise")]).toBe(pageSent);
  expect(last[header.indexOf("Răspunsuri")]).toBe(pageReplies);
  // And the file's totals are the sums of its own rows.
  const sum = (col: string) => rows.slice(1, -1).reduce((n, r) => n + Number(r[header.indexOf(col)]), 0);
  expect(String(sum("Trimise"))).toBe(pageSent);

  // Another preset and the comparison switch keep the page consistent.
  await page.getByRole("button", { name: "7 zile" }).click();
  await expect(page).toHaveURL(new RegExp(`from=${today.minus({ days: 6 }).toISODate()}`));
  await expect(page.getByRole("button", { name: "7 zile" })).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("button", { name: "30 de zile" }).click();
  await expect(page.getByTestId("table-channels").getByTestId("totals-row")).toBeVisible();
  await shots(page, "analytics");
  expect(errors).toEqual([]);
});

test("an admin changes the sending window and the app applies it at once", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, ADMIN);
  await page.getByRole("navigation", { name: "Navigare principală" }).getByRole("link", { name: "Setări", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Setări" })).toBeVisible();
  await expect(page.getByLabel("Ora de început")).toHaveValue("9");
  await shots(page, "settings");

  // Validation as the admin types: the same schema as the procedure.
  await page.getByLabel("Ora de sfârșit").fill("8");
  await expect(page.getByText("Ora de sfârșit trebuie să fie după ora de început.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Salvează setările" })).toBeDisabled();

  // Every day, a window that has just closed: the hour now is outside [start, end).
  const hour = DateTime.now().setZone("Europe/Bucharest").hour;
  const [start, end] = hour >= 23 ? [0, 23] : [hour + 1, 24];
  for (const day of ["Luni", "Marți", "Miercuri", "Joi", "Vineri", "Sâmbătă", "Duminică"]) await page.getByLabel(day, { exact: true }).check();
  await page.getByLabel("Sărbători legale").selectOption("");
  await page.getByLabel("Ora de început").fill(String(start));
  await page.getByLabel("Ora de sfârșit").fill(String(end));
  await page.getByRole("button", { name: "Salvează setările" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Setări salvate și aplicate" })).toBeVisible();

  // The phones page computes the window from the saved settings: closed now, reopening at `start`.
  // (A fresh load: the point is the server's answer, not this tab's cache.)
  await page.goto("/outreach/phones");
  const summary = page.getByRole("region", { name: "Rezumatul telefoanelor" });
  await expect(summary).toContainText("Închisă");
  await expect(summary).toContainText(`${String(start).padStart(2, "0")}:00`);

  // Open all day: the same page says open, without any restart.
  await page.getByRole("navigation", { name: "Navigare principală" }).getByRole("link", { name: "Setări", exact: true }).click();
  await page.getByLabel("Ora de început").fill("0");
  await page.getByLabel("Ora de sfârșit").fill("24");
  await page.getByRole("button", { name: "Salvează setările" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Setări salvate și aplicate" })).toBeVisible();
  await page.goto("/outreach/phones");
  await expect(summary).toContainText("Deschisă");

  // Back to the seeds' window (Monday–Friday 09–18, Romanian holidays).
  await page.getByRole("navigation", { name: "Navigare principală" }).getByRole("link", { name: "Setări", exact: true }).click();
  for (const day of ["Sâmbătă", "Duminică"]) await page.getByLabel(day, { exact: true }).uncheck();
  await page.getByLabel("Sărbători legale").selectOption("RO");
  await page.getByLabel("Ora de început").fill("9");
  await page.getByLabel("Ora de sfârșit").fill("18");
  await page.getByRole("button", { name: "Salvează setările" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Setări salvate și aplicate" })).toBeVisible();
  expect(errors).toEqual([]);
});
