// Sign-up in the product's default mode: it signs the user in at once with a working backend token,
// mails a confirmation link, and reminds the user until it is opened. (Strict mode:
// tests/strict/sign-up.spec.ts.)
import { expect, test } from "@playwright/test";
import { BACKEND_URL, bearer, backendToken, newUser, signIn, signUp } from "./helpers.ts";
import { actionLink, mailsTo, waitForMail } from "./mail.ts";

test("a new user signs up, lands on the dashboard signed in, and is greeted with the name the backend returns", async ({ page }) => {
  const user = newUser("Grace");
  await signUp(page, user);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(user.name);
  await expect(page.getByTestId("confirm-email-banner")).toContainText(user.email);

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
  // The checklist states the rules, once: the refused submit marks the broken one and moves focus there.
  const rules = page.getByRole("list", { name: "Password rules" });
  await expect(rules).toBeFocused();
  await expect(rules.getByRole("listitem").filter({ hasText: "An uppercase letter" })).toHaveAttribute("data-state", "failed");
  await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);
  await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/sign-up/);
});

test("the confirmation banner: a new link in one click, gone once the link is opened, and dismissible", async ({ page }) => {
  const user = newUser("Banner");
  await signUp(page, user);
  await waitForMail(user.email, /Confirm your email/); // sent at sign-up
  const banner = page.getByTestId("confirm-email-banner");
  const asked = Date.now();
  await banner.getByRole("button", { name: "Send a new link" }).click();
  await expect(banner.getByRole("status")).toContainText(`A new link is on its way to ${user.email}`);
  await page.goto(actionLink(await waitForMail(user.email, /Confirm your email/, { after: asked })));
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("confirm-email-banner")).toHaveCount(0);

  const other = newUser("Quiet");
  await page.context().clearCookies();
  await signUp(page, other);
  await page.getByRole("button", { name: "Dismiss this reminder" }).click();
  await expect(page.getByTestId("confirm-email-banner")).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(other.name);
  await expect(page.getByTestId("confirm-email-banner")).toHaveCount(0);
});

test("signing up with a registered email says so, links to sign-in and reset, and creates nothing", async ({ page, browser }) => {
  const user = newUser("Taken");
  await signUp(page, user);
  const mailsBefore = (await mailsTo(user.email)).length;
  const other = await browser.newContext();
  const page2 = await other.newPage();
  await page2.goto("/sign-up");
  await page2.getByLabel("Name").fill("Someone else");
  await page2.getByLabel("Email").fill(user.email.toUpperCase());
  await page2.getByLabel("Password", { exact: true }).fill("Another-Horse-7-battery");
  await page2.getByRole("button", { name: "Create account" }).click();
  const email = page2.getByLabel("Email");
  await expect(email).toHaveAccessibleDescription(/An account with this email already exists: sign in or reset your password\./);
  await expect(page2).toHaveURL(/\/sign-up$/);
  expect((await page2.request.get("/api/auth/token")).status()).toBe(401); // no session
  await page2.getByRole("link", { name: "Reset your password" }).click();
  await expect(page2).toHaveURL(/\/forgot-password$/);
  // Nothing was created or changed: the owner's password still signs in, the other one does not.
  await signIn(page2, { email: user.email, password: "Another-Horse-7-battery" });
  await expect(page2.getByRole("alert").filter({ hasText: "Invalid email or password" })).toBeVisible();
  await signIn(page2, user);
  await expect(page2).toHaveURL(/\/dashboard$/);
  expect((await mailsTo(user.email)).filter((m) => /Confirm your email/.test(m.subject))).toHaveLength(1);
  expect((await mailsTo(user.email)).length).toBe(mailsBefore);
  await other.close();
});
