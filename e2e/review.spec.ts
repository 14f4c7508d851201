import path from "node:path";
import { expect, test, type Page } from "@playwright/test";

/**
 * The review queue against the real app and the seeded past (prisma/seed: open approval items hold
 * the answer the reply worker drafted). A rep claims an item, edits the draft and sends it; a manager
 * reassigns an item. The lead page is not built yet on main, so the sent answer is checked in the
 * item's own record through the API (reviews.get) rather than on the lead's timeline.
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

async function openReview(page: Page) {
  await page.getByRole("navigation", { name: "Navigare principală" }).getByRole("link", { name: "Revizuire", exact: true }).click();
  await expect(page.locator("main").getByRole("heading", { level: 1, name: "Revizuire" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Elemente de revizuit" })).toBeVisible();
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

test("a rep claims an item with a drafted answer, edits it and sends it", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "rep1@agroverde.ro");
  await openReview(page);
  await expect(page.getByRole("tab", { name: /^Toate/ })).toHaveAttribute("aria-selected", "true");
  await page.screenshot({ path: path.join(SCREENSHOTS, "review-rep-list.png"), fullPage: true });

  // An item with a drafted answer that nobody holds yet (the rep's own come first, then the free ones).
  const row = page.getByRole("list", { name: "Elemente de revizuit" }).getByRole("button").filter({ hasText: "Răspuns pregătit" }).filter({ hasText: "Neatribuit" }).first();
  await expect(row).toBeVisible();
  const reviewId = await row.getAttribute("data-review-id");
  expect(reviewId).toBeTruthy();
  await row.click();
  await expect(page).toHaveURL(new RegExp(`item=${reviewId}`));
  const panel = page.locator("article");
  await expect(panel.getByRole("heading", { name: "De ce este aici" })).toBeVisible();
  await expect(panel.locator("[data-trigger]")).toBeVisible();

  await panel.getByRole("button", { name: "Preiau", exact: true }).click();
  await expect(page.getByText("Elementul vă aparține acum.")).toBeVisible();
  await expect(panel.getByText("Atribuit", { exact: true })).toBeVisible();

  const draft = panel.getByLabel("Răspunsul pregătit");
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
  expect(["QUEUED", "SENT", "FAILED"]).toContain(record.answer!.status);

  // Sending again is impossible: the item left the open list.
  await expect(page.locator(`[data-review-id="${reviewId}"]`)).toHaveCount(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, "review-rep-sent.png"), fullPage: true });
  expect(errors).toEqual([]);
});

test("a manager filters by breach and reassigns an item to a rep", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "manager1@agroverde.ro");
  await openReview(page);
  await page.getByRole("checkbox", { name: "Doar peste termen" }).check();
  await expect(page).toHaveURL(/breached=1/);
  await page.getByRole("checkbox", { name: "Doar peste termen" }).uncheck();

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
  await signIn(page, "rep1@agroverde.ro");
  await openReview(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, "review-phone-list.png"), fullPage: true });
  await page.getByRole("list", { name: "Elemente de revizuit" }).getByRole("button").first().click();
  await expect(page.getByRole("button", { name: "Înapoi la listă" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Elemente de revizuit" })).toBeHidden();
  await page.screenshot({ path: path.join(SCREENSHOTS, "review-phone-item.png"), fullPage: true });
  await page.getByRole("button", { name: "Înapoi la listă" }).click();
  await expect(page.getByRole("list", { name: "Elemente de revizuit" })).toBeVisible();
});
