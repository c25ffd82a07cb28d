// Sessions that end while a page is open, and where sign-in returns to: a second tab signed out
// goes to a sign-in page that says "You were signed out", and after signing in again the user is back
// on the same page with the typed task. Only same-site return paths are followed.
import { expect, type Page, test } from "@playwright/test";
import { expectAccessible } from "./a11y.ts";
import { type TestUser, newUser, signOut, signUp } from "./helpers.ts";

test("signed out in another tab: the next action goes to a sign-in page that says so, and sign-in returns to the page with the typed task", async ({ page, context }) => {
  const user = newUser("Tabs");
  await signUp(page, user);
  const other = await context.newPage();
  await other.goto("/dashboard?show=open");
  await expect(other.getByTestId("greeting")).toContainText(user.name);

  await signOut(page); // tab one

  await other.getByLabel("Title").fill("Written while signed out elsewhere");
  await other.getByRole("button", { name: "Add task" }).click();
  // Straight on to sign-in (the form said so on its way: signed-out-notice.tsx); the task is kept for afterwards.
  await expect(other).toHaveURL(/\/sign-in\?next=%2Fdashboard%3Fshow%3Dopen&reason=signed-out$/);
  await expect(other.getByTestId("signed-out-notice")).toContainText("You were signed out.");
  await expectAccessible(other, "sign-in, signed out notice");
  await other.getByLabel("Email").fill(user.email);
  await other.getByLabel("Password", { exact: true }).fill(user.password);
  await other.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(other).toHaveURL(/\/dashboard\?show=open$/);
  await expect(other.getByLabel("Title")).toHaveValue("Written while signed out elsewhere");
  await expect(other.getByTestId("toast").filter({ hasText: "Restored the task you were writing." })).toBeVisible();
});

/** Signs in on the sign-in page that is open (keeping its ?next=). */
async function signInHere(page: Page, user: TestUser) {
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test("a page visited signed out comes back after sign-in; a foreign return path is ignored", async ({ page }) => {
  const user = newUser("Return");
  await signUp(page, user);
  await signOut(page);

  await page.goto("/settings/password");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings%2Fpassword$/);
  await signInHere(page, user);
  await expect(page).toHaveURL(/\/settings\/password$/);
  await signOut(page);

  for (const next of ["https://evil.example/", "//evil.example/x", "/\\evil.example"]) {
    await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
    await signInHere(page, user);
    await expect(page).toHaveURL(/\/dashboard$/);
    await signOut(page);
  }
});
