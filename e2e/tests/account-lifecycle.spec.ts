// The account lifecycle by email, in the real browser, reading each email from the test mail
// catcher (mail.ts): forgot → reset (signed in at once) → every old session refused by the backend on
// its very next request; devices; deletion. (Strict mode's sign-up: tests/strict/sign-up.spec.ts; change of email and
// the other flows that decide who holds an account: takeover.spec.ts.)
import { expect, test } from "@playwright/test";
import { BACKEND_URL, backendToken, bearer, GOOD_PASSWORD, newUser, signIn, signOut, signUp } from "./helpers.ts";
import { actionLink, waitForMail } from "./mail.ts";

test("forgot password → reset, signed in → every old session is refused by the backend at once", async ({ page, browser }) => {
  const user = newUser("Forgetful");
  await signUp(page, user);
  const oldToken = await backendToken(page.request);
  expect((await page.request.get(`${BACKEND_URL}/api/tasks`, { headers: bearer(oldToken) })).status()).toBe(200);

  const other = await browser.newContext();
  const page2 = await other.newPage();
  await page2.goto("/sign-in");
  await page2.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page2).toHaveURL(/\/forgot-password$/);
  await page2.getByLabel("Email").fill(user.email);
  const asked = Date.now();
  await page2.getByRole("button", { name: "Send me a link" }).click();
  await expect(page2.getByTestId("reset-requested")).toBeVisible();

  await page2.goto(actionLink(await waitForMail(user.email, /Reset your password/, { after: asked })));
  const newPassword = "Brand-New-Horse-8";
  const field = page2.getByLabel("New password", { exact: true });
  await field.fill("short");
  await expect(page2.getByRole("list", { name: "Password rules" }).locator('[data-met="true"]')).not.toHaveCount(0);
  await field.fill(newPassword);
  await page2.getByRole("button", { name: "Set new password" }).click();
  await expect(page2).toHaveURL(/\/dashboard$/); // the reset signed this browser in
  await expect(page2.getByRole("heading", { level: 1 })).toContainText(user.name);

  // The very next backend request with the old token: refused.
  const refused = await page.request.get(`${BACKEND_URL}/api/tasks`, { headers: bearer(oldToken) });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).code).toBe("TOKEN_REVOKED");
  await waitForMail(user.email, /Your password was changed/, { after: asked });

  await signOut(page2);
  await signIn(page2, { email: user.email, password: GOOD_PASSWORD });
  await expect(page2.getByRole("alert").filter({ hasText: "Invalid email or password" })).toBeVisible();
  await signIn(page2, { email: user.email, password: newPassword });
  await expect(page2).toHaveURL(/\/dashboard$/);
  await other.close();
});

test("sessions: each device listed; revoking one from another browser gets its backend token refused at once", async ({ page, browser }) => {
  const user = newUser("Devices");
  await signUp(page, user); // device 1 (this context)
  const token1 = await backendToken(page.request);

  const other = await browser.newContext({ userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1" });
  const phone = await other.newPage();
  await signIn(phone, user); // device 2
  await expect(phone).toHaveURL(/\/dashboard$/);
  await phone.goto("/settings/sessions");
  const rows = phone.getByTestId("session-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "This device" })).toHaveText(/Safari 17 on iOS \(mobile\)/);
  await expect(rows.filter({ hasNotText: "This device" })).toHaveText(/Chrome/);

  // Revoke the first browser from the phone: its token is refused on its very next request.
  await phone.getByRole("button", { name: /^Revoke Chrome/ }).click();
  await expect(rows).toHaveCount(1);
  const refused = await page.request.get(`${BACKEND_URL}/api/me`, { headers: bearer(token1) });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).code).toBe("TOKEN_REVOKED");
  expect((await phone.request.get(`${BACKEND_URL}/api/me`, { headers: bearer(await backendToken(phone.request)) })).status()).toBe(200);

  // Sign out everywhere, after a confirmation: the phone too.
  await phone.getByRole("button", { name: "Sign out everywhere…" }).click();
  await phone.getByRole("button", { name: "Yes, sign out everywhere" }).click();
  await expect(phone).toHaveURL(/\/sign-in/);
  expect((await phone.request.get("/api/auth/token")).status()).toBe(401);
  await other.close();
});

test("delete the account: the page says what goes; afterwards the backend refuses the old token and a goodbye email arrives", async ({ page }) => {
  const user = newUser("Leaver");
  await signUp(page, user);
  const token = await backendToken(page.request);
  await page.goto("/settings/danger");
  await expect(page.getByTestId("deletion-scope")).toContainText("every task you created");
  await expect(page.getByTestId("deletion-scope")).toContainText("cannot be undone");
  await page.getByLabel("Current password").fill("Not-The-Password-1");
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "current password" })).toHaveText("That is not your current password.");

  const asked = Date.now();
  await page.getByLabel("Current password").fill(user.password);
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(/\/settings\/danger\/deleted$/);
  const refused = await page.request.get(`${BACKEND_URL}/api/tasks`, { headers: bearer(token) });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).code).toBe("TOKEN_REVOKED");
  await waitForMail(user.email, /Your account was deleted/, { after: asked });
  await signIn(page, user);
  await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password" })).toBeVisible();
});

test("delete the account through an emailed link", async ({ page }) => {
  const user = newUser("Linked");
  await signUp(page, user);
  await page.goto("/settings/danger");
  const asked = Date.now();
  await page.getByRole("button", { name: "Email me a deletion link" }).click();
  await expect(page.getByRole("status")).toContainText("We sent a link");
  await page.goto(actionLink(await waitForMail(user.email, /Confirm the deletion/, { after: asked })));
  await page.getByRole("button", { name: "Delete my account now" }).click();
  await expect(page).toHaveURL(/\/settings\/danger\/deleted$/);
  expect((await page.request.get("/api/auth/token")).status()).toBe(401);
});
