// Every page of the app passes axe in both themes (the account pages included), and nothing is wider
// than a phone's screen: no sideways scrolling at 375 px.
import { expect, type Page, test } from "@playwright/test";
import { expectAccessible } from "./a11y.ts";
import { newUser, openUserMenu, signUp } from "./helpers.ts";

async function expectNoSidewaysScroll(page: Page, state: string) {
  const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scrollWidth, `${state}: page wider than the screen`).toBeLessThanOrEqual(innerWidth);
}

test("the signed-out account pages pass axe", async ({ page }) => {
  for (const [path, heading] of [
    ["/sign-in", "Sign in"],
    ["/forgot-password", /password/i],
    ["/check-email", /email/i],
    ["/reset-password", /password/i],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
    await expectAccessible(page, path);
  }
});

test("the settings tabs pass axe, and every page fits a phone screen", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signUp(page, newUser("Phone"));
  await expectNoSidewaysScroll(page, "dashboard");
  await page.getByLabel("Title").fill("A task with a rather long title that has to wrap on a narrow screen");
  await page.getByRole("button", { name: "Add task" }).click();
  await expect(page.getByRole("list", { name: "Tasks" }).getByRole("listitem")).toHaveCount(1);
  await expectNoSidewaysScroll(page, "dashboard with a task");
  await openUserMenu(page);
  await expectNoSidewaysScroll(page, "user menu");
  await page.keyboard.press("Escape");
  for (const path of ["/settings/profile", "/settings/password", "/settings/sessions", "/settings/danger"]) {
    await page.goto(path);
    await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: /./ }).first()).toBeVisible();
    await expectNoSidewaysScroll(page, path);
    await expectAccessible(page, path);
  }
  await page.goto("/");
  await expectNoSidewaysScroll(page, "home");
});
