import { expect, test } from "@playwright/test";
import { BACKEND_URL, bearer, backendToken, newUser, signUp } from "./helpers.ts";
import { actionLink, mailsTo, waitForMail } from "./mail.ts";

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

test("signing up twice with one email reveals nothing, and tells the owner", async ({ page, browser }) => {
  const user = newUser("Twice");
  await signUp(page, user);
  const started = Date.now();
  const other = await browser.newContext();
  const page2 = await other.newPage();
  await page2.goto("/sign-up");
  await page2.getByLabel("Name").fill("Someone else");
  await page2.getByLabel("Email").fill(user.email.toUpperCase());
  await page2.getByLabel("Password", { exact: true }).fill(user.password);
  await page2.getByRole("button", { name: "Create account" }).click();
  // The same page as a new account gets (docs/security.md "Email verification"): nothing says the address is taken.
  await expect(page2).toHaveURL(/\/check-email$/);
  await expect(page2.getByTestId("check-email-title")).toHaveText("Check your email");
  // The owner hears of it, with a way back in if it was them.
  const notice = await waitForMail(user.email, /You already have an account/, { after: started });
  expect(new URL(actionLink(notice)).pathname).toBe("/forgot-password");
  expect((await mailsTo(user.email)).filter((m) => /Confirm your email/.test(m.subject))).toHaveLength(1);
  await other.close();
});
