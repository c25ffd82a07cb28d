import { expect, test } from "@playwright/test";
import { BACKEND_URL, bearer, backendToken, newUser, signIn, signOut, signOutEverywhere, signUp } from "./helpers.ts";

test("a wrong password shows a generic error that does not say which part was wrong", async ({ page, browser }) => {
  const user = newUser("Wrong");
  await signUp(page, user);
  const ctx = await browser.newContext();
  const fresh = await ctx.newPage();
  await signIn(fresh, { email: user.email, password: "Not-the-password-1" });
  const alert = fresh.getByRole("alert").first();
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(/invalid email or password/i);
  await expect(fresh).toHaveURL(/\/sign-in/);
  await ctx.close();
});

test("unauthenticated visits to the dashboard redirect to sign-in", async ({ page }) => {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("after sign-out the dashboard redirects to sign-in, and sign-in brings the user back", async ({ page }) => {
  const user = newUser("Out");
  await signUp(page, user);
  await signOut(page);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in/);
  await signIn(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(user.name);
});

test("a token captured before sign-out-everywhere is refused by the backend afterwards", async ({ page }) => {
  const user = newUser("Revoke");
  await signUp(page, user);
  const token = await backendToken(page.request);
  const before = await page.request.get(`${BACKEND_URL}/api/me`, { headers: bearer(token) });
  expect(before.status()).toBe(200);

  await signOutEverywhere(page);

  const after = await page.request.get(`${BACKEND_URL}/api/me`, { headers: bearer(token) });
  expect(after.status()).toBe(401);
  expect(after.headers()["www-authenticate"]).toContain('error="invalid_token"');
  expect(await after.json()).toMatchObject({ code: "TOKEN_REVOKED" });
});
