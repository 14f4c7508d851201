import { chromium } from "@playwright/test";
const base = process.env.BASE ?? "http://127.0.0.1:3370";
const email = process.env.EMAIL ?? "admin1@agroverde.ro";
const widths = (process.env.WIDTHS ?? "1366,375").split(",").map(Number);
const segments = Number(process.env.SEGMENTS ?? 3);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
for (const width of widths) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 }, locale: "ro-RO", timezoneId: "Europe/Bucharest" });
  const page = await ctx.newPage();
  page.on("console", (m) => m.type() === "error" && console.log("console error:", m.text()));
  page.on("pageerror", (e) => console.log("page error:", e.message));
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Parolă").fill("Cerniq!2026");
  await page.getByRole("button", { name: "Intră în cont" }).click();
  await page.waitForURL(/dashboard/);
  for (const path of process.argv.slice(2)) {
    await page.goto(`${base}${path}`);
    await page.waitForTimeout(4000);
    const slug = path.replace(/[^a-z0-9]+/gi, "_");
    for (let i = 0; i < segments; i++) {
      await page.evaluate((y) => window.scrollTo(0, y), i * 850);
      await page.waitForTimeout(300);
      await page.screenshot({ path: `/tmp/shots/${slug}_${width}_${i}.png` });
    }
    console.log("shot", slug, width);
  }
  await ctx.close();
}
await browser.close();
