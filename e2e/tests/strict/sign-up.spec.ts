// Strict mode's sign-up: no session before the emailed link is opened, and nothing tells whether an
// address already has an account (docs/security.md "Email verification").
import { expect, test } from "@playwright/test";
import { backendToken, bearer, newUser, signIn, submitSignUp } from "../helpers.ts";
import { actionLink, mailsTo, waitForMail } from "../mail.ts";
import { signUpAndConfirm, STRICT_BACKEND_URL } from "./strict.ts";

test("sign up, confirm through the emailed link (signed in, on the dashboard), then sign in elsewhere", async ({ page, browser }) => {
  const user = newUser("Verified");
  await submitSignUp(page, user, /\/check-email$/);
  expect((await page.request.get("/api/auth/token")).status()).toBe(401); // no session before the link
  await page.goto(actionLink(await waitForMail(user.email, /Confirm your email/)));
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(user.name);
  await expect(page.getByTestId("confirm-email-banner")).toHaveCount(0);
  const me = await page.request.get(`${STRICT_BACKEND_URL}/api/me`, { headers: bearer(await backendToken(page.request)) });
  expect(me.status()).toBe(200);

  const other = await browser.newContext();
  const page2 = await other.newPage();
  await signIn(page2, user);
  await expect(page2).toHaveURL(/\/dashboard$/);
  // The link again: already used, and the page says so instead of signing anyone in.
  await page2.context().clearCookies();
  await page2.goto(actionLink(await waitForMail(user.email, /Confirm your email/)));
  await expect(page2).toHaveURL(/\/check-email\?link=used$/);
  await expect(page2.getByTestId("check-email-title")).toHaveText("This link was already used");
  await other.close();
});

test("signing in before confirming says what to do; a broken link offers a new one", async ({ page }) => {
  const user = newUser("Pending");
  await submitSignUp(page, user, /\/check-email$/);

  await signIn(page, user);
  await expect(page.getByText("Confirm your email address first")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);

  const link = new URL(actionLink(await waitForMail(user.email, /Confirm your email/)));
  link.searchParams.set("token", `${link.searchParams.get("token")}x`);
  await page.goto(link.href);
  await expect(page).toHaveURL(/\/check-email\?link=invalid$/);
  await expect(page.getByTestId("check-email-title")).toHaveText("This link does not work");
  // This tab signed up: the page knows the address and resends in one click (check-email.spec.ts).
  await expect(page.getByTestId("sent-to")).toContainText(user.email);
  const asked = Date.now();
  await page.getByRole("button", { name: "Send a new link" }).click();
  await expect(page.getByTestId("link-sent")).toContainText(`A new link is on its way to ${user.email}`);
  await page.goto(actionLink(await waitForMail(user.email, /Confirm your email/, { after: asked })));
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("signing up twice with one email reveals nothing, and tells the owner", async ({ page, browser }) => {
  const user = newUser("Twice");
  await signUpAndConfirm(page, user);
  const started = Date.now();
  const other = await browser.newContext();
  const page2 = await other.newPage();
  await page2.goto("/sign-up");
  await page2.getByLabel("Name").fill("Someone else");
  await page2.getByLabel("Email").fill(user.email.toUpperCase());
  await page2.getByLabel("Password", { exact: true }).fill(user.password);
  await page2.getByRole("button", { name: "Create account" }).click();
  // The same page as a new account gets: nothing says the address is taken.
  await expect(page2).toHaveURL(/\/check-email$/);
  await expect(page2.getByTestId("check-email-title")).toHaveText("Check your email");
  // The owner hears of it, with a way back in if it was them.
  const notice = await waitForMail(user.email, /You already have an account/, { after: started });
  expect(new URL(actionLink(notice)).pathname).toBe("/forgot-password");
  expect((await mailsTo(user.email)).filter((m) => /Confirm your email/.test(m.subject))).toHaveLength(1);
  await other.close();
});
