// `npm run screenshots`: the README's pictures (docs/screenshots/), taken by Playwright from the running
// app (`npm run dev`, or any URL in SCREENSHOTS_URL), in the light and the dark theme: sign-up, the
// dashboard and settings, on a desktop (1200 px) and on a phone (375 px, `-phone` in the file name). It signs up a fresh demo user; when the app asks to confirm the email first,
// the link is read from the mail catcher (MAIL_CATCHER_URL, `npm run dev`'s inbox by default).
import { mailLinks, waitForMail } from "@authbridge/mail-client";
import { chromium, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BASE_URL = process.env.SCREENSHOTS_URL ?? "http://localhost:3000";
const MAIL_CATCHER_URL = process.env.MAIL_CATCHER_URL ?? "http://127.0.0.1:1080";
const OUT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "docs", "screenshots");
const VIEWPORT = { width: 1200, height: 820 };
const PHONE = { width: 375, height: 812 };
const THEMES = ["light", "dark"] as const;
type Theme = (typeof THEMES)[number];

const user = {
  name: "Ada Lovelace",
  email: `ada-${Date.now().toString(36)}@example.com`,
  password: "Analytical-Engine-1843",
};

/** Waits for the confirmation mail to `to` and returns its link (only when the app asks for one). */
async function confirmationLink(to: string): Promise<string> {
  const mail = await waitForMail(to, /./, { timeoutMs: 20_000, catcherUrl: MAIL_CATCHER_URL });
  const link = mailLinks(mail).find((l) => l.includes("verify-email"));
  if (!link) throw new Error(`the mail to ${to} at ${MAIL_CATCHER_URL} has no confirmation link`);
  return link;
}

/** The page as a visitor sees it: no framework dev badge, no toasts left over, nothing focused or hovered. */
async function shoot(page: Page, name: string, theme: Theme) {
  await page.emulateMedia({ colorScheme: theme });
  await page.locator("html").and(page.locator(`.${theme}`)).waitFor();
  await page.evaluate(() => {
    document.querySelectorAll("nextjs-portal").forEach((el) => el.remove());
    (document.activeElement as HTMLElement | null)?.blur();
  });
  for (const button of await page.getByRole("button", { name: "Dismiss notification" }).all()) await button.click();
  // The reminder to confirm the address (a fresh demo user has not): dismissed for this browser session.
  for (const button of await page.getByRole("button", { name: "Dismiss this reminder" }).all()) await button.click();
  await page.mouse.move(0, 0);
  await page.waitForTimeout(150);
  const file = path.join(OUT_DIR, `${name}-${theme}.png`);
  await page.screenshot({ path: file, fullPage: false });
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

/** Four tasks on the dashboard, one of them done. */
async function addDemoTasks(page: Page) {
  const tasks = [
    ["Draft the notes on the Analytical Engine", "Translate Menabrea's article, then add notes A to G."],
    ["Compute the Bernoulli numbers", "Note G: the first published algorithm."],
    ["Write to Charles Babbage", ""],
    ["Order more punched cards", ""],
  ] as const;
  for (const [title, description] of tasks) {
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Description").fill(description);
    await page.getByRole("button", { name: "Add task" }).click();
    await page.getByRole("list", { name: "Tasks" }).getByText(title, { exact: true }).waitFor();
  }
  await page.getByRole("listitem").filter({ hasText: "Write to Charles Babbage" }).getByRole("checkbox", { name: "Completed" }).check();
  await page.getByRole("listitem").filter({ hasText: "Write to Charles Babbage" }).and(page.locator('[aria-busy="false"]')).waitFor();
}

async function main() {
  mkdirSync(OUT_DIR, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const options = { baseURL: BASE_URL, deviceScaleFactor: 1, reducedMotion: "reduce" } as const;
    const context = await browser.newContext({ ...options, viewport: VIEWPORT });
    const page = await context.newPage();
    const phoneSignUp = await (await browser.newContext({ ...options, viewport: PHONE })).newPage();

    // Sign-up, half filled in: the password checklist ticks as the user types.
    for (const [p, suffix] of [[page, ""], [phoneSignUp, "-phone"]] as const) {
      await p.goto("/sign-up");
      await p.getByLabel("Name").fill(user.name);
      await p.getByLabel("Email").fill(user.email);
      await p.getByLabel("Password", { exact: true }).fill("analytical");
      await p.getByText("A single word is easy to guess", { exact: false }).waitFor();
      for (const theme of THEMES) await shoot(p, `sign-up${suffix}`, theme);
    }
    await phoneSignUp.context().close();

    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/(dashboard|check-email)$/);
    if (page.url().endsWith("/check-email")) await page.goto(await confirmationLink(user.email));
    await page.waitForURL(/\/dashboard$/);

    await addDemoTasks(page);
    await page.reload();
    for (const theme of THEMES) await shoot(page, "dashboard", theme);
    const phone = await (await browser.newContext({ ...options, viewport: PHONE, storageState: await context.storageState() })).newPage();
    await phone.goto("/dashboard");
    for (const theme of THEMES) await shoot(phone, "dashboard-phone", theme);

    for (const [p, suffix] of [[page, ""], [phone, "-phone"]] as const) {
      await p.goto("/settings/password");
      await p.getByLabel("Current password").fill(user.password);
      await p.getByLabel("New password").fill("Difference-Engine");
      for (const theme of THEMES) await shoot(p, `settings${suffix}`, theme);
    }
    await phone.context().close();
    await context.close();
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(`screenshots: ${(err as Error).message}`);
  process.exit(1);
});
