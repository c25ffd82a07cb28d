// Two-step sign-in in the browser (docs/security.md "Two-step sign-in"): turned on from Settings with
// the key the page shows in text and codes computed by otplib (an authenticator of its own, RFC
// 6238), the ten backup codes shown once; then signing in asks for the code (a wrong one said, the
// right one lands on the dashboard, whose tasks come from the backend), a backup code works once, and
// "Download your data" after an old sign-in asks for the password and then the code. The settings
// flow at 1280 and 375 px, axe on each state in both themes. An authenticator code that worked is
// refused for two minutes (src/server/throttle.ts), so each code is one not used yet: this period's,
// the next one's or the previous one's (the server accepts all three).
import { readFileSync } from "node:fs";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { generate } from "otplib";
import { expectAccessible } from "./a11y.ts";
import { ageSignIn } from "./database.ts";
import { addTask, newUser, signOut, signUp, type TestUser } from "./helpers.ts";

const MIN_TARGET = 44;

/** An authenticator app: the codes of `secret` it has not given yet. */
class Authenticator {
  private readonly used = new Set<string>();
  constructor(readonly secret: string) {}

  /** A code the server accepts now and has not seen: this period's, else the next one's, else the previous one's. */
  async code(): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    for (const steps of [0, 1, -1]) {
      const code = await generate({ secret: this.secret, epoch: now + steps * 30 });
      if (!this.used.has(code)) {
        this.used.add(code);
        return code;
      }
    }
    throw new Error("no unused code in the three periods the server accepts");
  }

  /** A 6-digit code that none of the three accepted periods gives. */
  async wrongCode(): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const valid = await Promise.all([-1, 0, 1].map((steps) => generate({ secret: this.secret, epoch: now + steps * 30 })));
    for (let n = 0; n < 10; n++) {
      const candidate = String(n).repeat(6);
      if (!valid.includes(candidate)) return candidate;
    }
    throw new Error("unreachable: three codes cannot cover ten candidates");
  }
}



async function expectFitsPhone(page: Page, state: string) {
  const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scrollWidth, `${state}: the page is wider than the screen`).toBeLessThanOrEqual(innerWidth);
  const small: string[] = [];
  for (const button of await page.getByRole("main").getByRole("button").all()) {
    const box = await button.boundingBox();
    if (box && (box.width < MIN_TARGET - 0.5 || box.height < MIN_TARGET - 0.5)) small.push(`${await button.innerText()}: ${Math.round(box.width)} × ${Math.round(box.height)}`);
  }
  expect(small, `${state}: touch targets under 44 px`).toEqual([]);
}

const section = (page: Page): Locator => page.getByRole("main");

/**
 * From Settings, Sign-in methods: the password (a wrong one said first), the key read from the page,
 * a wrong first code said, then the right one; returns the authenticator and the backup codes shown.
 */
async function turnOn(page: Page, user: TestUser, check: (state: string) => Promise<void>): Promise<{ app: Authenticator; backupCodes: string[] }> {
  await page.goto("/settings/sign-in");
  const main = section(page);
  await expect(main.getByTestId("two-factor-status")).toHaveText(/Two-step sign-in is off/);
  await check("two-step sign-in off");
  await main.getByRole("button", { name: "Turn on two-step sign-in" }).click();

  const passwordForm = main.getByRole("form", { name: "Turn on two-step sign-in" });
  await passwordForm.getByLabel("Your password").fill("Not-My-Horse-1-battery");
  await passwordForm.getByRole("button", { name: "Continue" }).click();
  await expect(passwordForm.getByRole("alert")).toHaveText("That is not your password.");
  await passwordForm.getByLabel("Your password").fill(user.password);
  await passwordForm.getByRole("button", { name: "Continue" }).click();

  await expect(main.getByRole("img", { name: "QR code of your two-step sign-in key" })).toBeVisible();
  const key = (await main.getByTestId("two-factor-key").innerText()).replace(/\s+/g, "");
  expect(key).toMatch(/^[A-Z2-7]{16,}$/);
  // The QR code is drawn without a style attribute (the Content-Security-Policy refuses them).
  expect(await main.getByTestId("two-factor-qr").evaluate((svg) => svg.querySelectorAll("[style]").length + (svg.hasAttribute("style") ? 1 : 0))).toBe(0);
  await check("two-step sign-in: scan the key");

  const app = new Authenticator(key);
  const codeForm = main.getByRole("form", { name: "Enter the code your app shows" });
  await codeForm.getByLabel("Code from your authenticator app").fill(await app.wrongCode());
  await codeForm.getByRole("button", { name: "Turn on" }).click();
  await expect(codeForm.getByRole("alert")).toHaveText("That code is not right. Enter the newest code your app shows.");
  await codeForm.getByLabel("Code from your authenticator app").fill(await app.code());
  await codeForm.getByRole("button", { name: "Turn on" }).click();

  const codes = main.getByRole("list", { name: "Backup codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  await expect(main.getByText("Save these now: you will not see them again.")).toBeVisible();
  await expect(page.getByTestId("toast").filter({ hasText: "Two-step sign-in is on" })).toBeVisible();
  await check("two-step sign-in: the backup codes");
  return { app, backupCodes: await codes.allInnerTexts() };
}

/** The sign-in form's first step, the password ("Sign in" exactly: the page also has "Sign in with a passkey"). */
async function signIn(page: Page, user: TestUser): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** The second step of a sign-in: `kind` code typed, Continue pressed. */
async function enterCode(page: Page, code: string, kind: "app" | "backup" = "app") {
  await expect(page).toHaveURL(/\/sign-in\/two-factor/);
  if (kind === "backup") await page.getByRole("button", { name: "Use a backup code instead" }).click();
  await page.getByLabel(kind === "app" ? "Code from your authenticator app" : "Backup code").fill(code);
  await page.getByRole("button", { name: "Continue" }).click();
}

/** A backup code instead of the app's: the first works once (refused the second time), then the second. */
async function signInWithBackupCodes(page: Page, user: TestUser, backupCodes: string[]) {
  await signOut(page);
  await signIn(page, user);
  await enterCode(page, backupCodes[0]!, "backup");
  await expect(page).toHaveURL(/\/dashboard$/);
  await signOut(page);
  await signIn(page, user);
  await enterCode(page, backupCodes[0]!, "backup");
  await expect(page.getByRole("alert").filter({ hasText: "backup code" })).toHaveText("That backup code is not right, or it was used already. Each one works once.");
  await page.getByLabel("Backup code").fill(backupCodes[1]!);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

test("turned on from Settings, sign-in asks for the code, a backup code works once, and the data export asks for the password and the code", async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  const user = newUser("Ada");
  await signUp(page, user);
  await addTask(page, "Water the plants");

  const { app, backupCodes } = await turnOn(page, user, (state) => expectAccessible(page, `${state} at 1280 px`));
  const [file] = await Promise.all([page.waitForEvent("download"), section(page).getByRole("button", { name: "Download as .txt" }).click()]);
  expect(file.suggestedFilename()).toBe("authbridge-backup-codes.txt");
  const saved = readFileSync((await file.path())!, "utf8");
  for (const code of backupCodes) expect(saved).toContain(code);
  await section(page).getByRole("button", { name: "I saved them" }).click();
  await expect(section(page).getByTestId("two-factor-status")).toHaveText(/Two-step sign-in is on/);
  await expect(section(page).getByTestId("backup-codes-left")).toHaveText("You have 10 backup codes left.");
  await expectAccessible(page, "two-step sign-in on at 1280 px");

  // The password alone is not a sign-in: the code page, a wrong code said, the right one to the dashboard.
  await signOut(page);
  await signIn(page, user);
  await expect(page.getByTestId("two-factor-title")).toHaveText("Enter your code");
  await expectAccessible(page, "the second step of sign-in");
  await enterCode(page, await app.wrongCode());
  await expect(page.getByRole("alert").filter({ hasText: "That code is not right" })).toHaveText("That code is not right. Enter the newest code your app shows.");
  await expectAccessible(page, "the second step of sign-in, a wrong code");
  await enterCode(page, await app.code());
  await expect(page).toHaveURL(/\/dashboard$/);
  // The backend answers this session: the task stored before is listed, and a new one is stored.
  await expect(page.getByRole("list", { name: "Tasks" })).toContainText("Water the plants");
  await addTask(page, "Call the bank");

  await signInWithBackupCodes(page, user, backupCodes);
  await page.goto("/settings/sign-in");
  await expect(section(page).getByTestId("backup-codes-left")).toHaveText("You have 8 backup codes left.");

  // An old sign-in: "Confirm it's you" wants the password, then the code; then the file downloads.
  await ageSignIn(user, 11);
  await page.goto("/settings/profile");
  await page.getByRole("button", { name: "Download your data" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(dialog).toContainText("Then the code from your authenticator app.");
  await dialog.getByLabel("Password", { exact: true }).fill(user.password);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  const codeForm = dialog.getByRole("form", { name: "Confirm with your code" });
  await expect(codeForm).toBeVisible();
  await expectAccessible(page, "Confirm it's you: the code");
  await codeForm.getByLabel("Code from your authenticator app").fill(await app.code());
  const [download] = await Promise.all([page.waitForEvent("download"), codeForm.getByRole("button", { name: "Confirm" }).click()]);
  await expect(dialog).toBeHidden();
  const data = JSON.parse(readFileSync((await download.path())!, "utf8")) as { profile: { email: string }; tasks: { title: string }[] };
  expect(data.profile.email).toBe(user.email);
  expect(data.tasks.map((t) => t.title)).toEqual(["Water the plants", "Call the bank"]);
});

test("on a phone (375 px): turn on, new backup codes, turn off; it fits, 44 px targets, axe on each state", async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 375, height: 812 });
  const user = newUser("Grace");
  await signUp(page, user);
  const check = async (state: string) => {
    await expectFitsPhone(page, state);
    await expectAccessible(page, `${state} at 375 px`);
  };
  const { backupCodes } = await turnOn(page, user, check);
  const main = section(page);
  await main.getByRole("button", { name: "I saved them" }).click();
  await expect(main.getByTestId("backup-codes-left")).toHaveText("You have 10 backup codes left.");
  await check("two-step sign-in on");

  // New backup codes: the password, then ten others.
  await main.getByRole("button", { name: "Regenerate backup codes" }).click();
  const regenerate = main.getByRole("form", { name: "Make new backup codes" });
  await regenerate.getByLabel("Your password").fill(user.password);
  await regenerate.getByRole("button", { name: "Make new codes" }).click();
  const listed = main.getByRole("list", { name: "Backup codes" }).getByRole("listitem");
  await expect(listed).toHaveCount(10);
  const fresh = await listed.allInnerTexts();
  expect(fresh.filter((code) => backupCodes.includes(code))).toEqual([]);
  await main.getByRole("button", { name: "I saved them" }).click();

  // Turned off: the password; then sign-in asks for no code.
  await main.getByRole("button", { name: "Turn off" }).click();
  const off = main.getByRole("form", { name: "Turn off two-step sign-in" });
  await off.getByLabel("Your password").fill(user.password);
  await check("turning two-step sign-in off");
  await off.getByRole("button", { name: "Turn off" }).click();
  await expect(main.getByTestId("two-factor-status")).toHaveText(/Two-step sign-in is off/);
  await expect(page.getByTestId("toast").filter({ hasText: "Two-step sign-in is off" })).toBeVisible();
  await signOut(page);
  await signIn(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
});
