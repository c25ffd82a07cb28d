import { expect, test } from "@playwright/test";
import { BACKEND_URL, bearer, backendToken, newUser, signUp } from "./helpers.ts";

test("a new user signs up and is greeted with the name the backend returns", async ({ page }) => {
  const user = newUser("Grace");
  await signUp(page, user);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(user.name);

  // The greeting came through the whole chain: the backend knows this user from the token alone.
  const token = await backendToken(page.request);
  const me = await page.request.get(`${BACKEND_URL}/api/me`, { headers: bearer(token) });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ name: user.name, email: user.email });
});

test("a weak password shows the rule it breaks and creates no account", async ({ page }) => {
  const user = newUser("Weak");
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill("alllowercase1");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "uppercase" })).toHaveText("Password must contain an uppercase letter.");
  await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/sign-up/);
});

test("signing up twice with one email is refused cleanly", async ({ page, browser }) => {
  const user = newUser("Twice");
  await signUp(page, user);
  const other = await browser.newContext();
  const page2 = await other.newPage();
  await page2.goto("/sign-up");
  await page2.getByLabel("Name").fill("Someone else");
  await page2.getByLabel("Email").fill(user.email.toUpperCase());
  await page2.getByLabel("Password", { exact: true }).fill(user.password);
  await page2.getByRole("button", { name: "Create account" }).click();
  // Said on the email field, the one to change (its error is the field's accessible description).
  await expect(page2.getByLabel("Email")).toHaveAccessibleDescription("An account with this email already exists. Sign in instead.");
  await expect(page2).toHaveURL(/\/sign-up/);
  await other.close();
});
