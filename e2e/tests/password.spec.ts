import { expect, test } from "@playwright/test";
import { BACKEND_URL, bearer, backendToken, newUser, openUserMenu, signIn, signUp } from "./helpers.ts";

test("changing the password ends every other session and refuses every earlier token", async ({ page, browser }) => {
  const user = newUser("Rotate");
  await signUp(page, user);
  const otherCtx = await browser.newContext();
  const other = await otherCtx.newPage();
  await signIn(other, user);
  await expect(other).toHaveURL(/\/dashboard$/);
  const earlierToken = await backendToken(page.request);

  await openUserMenu(page);
  await page.getByRole("menuitem", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Password" }).click();
  await expect(page).toHaveURL(/\/settings\/password$/);
  await page.getByLabel("Current password").fill(user.password);
  await page.getByLabel("New password").fill("Brand-new-Passw0rd-42");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toHaveText("Password changed. Every other session has been signed out.");

  const refused = await page.request.get(`${BACKEND_URL}/api/me`, { headers: bearer(earlierToken) });
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ code: "TOKEN_REVOKED" });

  // This browser keeps working with its new session; the other one is signed out.
  const fresh = await backendToken(page.request);
  expect((await page.request.get(`${BACKEND_URL}/api/me`, { headers: bearer(fresh) })).status()).toBe(200);
  await other.goto("/dashboard");
  await expect(other).toHaveURL(/\/sign-in/);

  await signIn(other, { email: user.email, password: "Brand-new-Passw0rd-42" });
  await expect(other).toHaveURL(/\/dashboard$/);
  await otherCtx.close();
});

test("a new password that breaks the policy is refused with the rule it breaks", async ({ page }) => {
  const user = newUser("Policy");
  await signUp(page, user);
  await page.goto("/account/password"); // the old address leads to the settings tab
  await expect(page).toHaveURL(/\/settings\/password$/);
  await page.getByLabel("Current password").fill(user.password);
  const newPassword = page.getByLabel("New password");
  const submit = page.getByRole("button", { name: "Change password" });

  const rules = page.getByRole("list", { name: "Password rules" });
  const rule = (label: string) => rules.getByRole("listitem").filter({ hasText: label });

  // Composition rules: judged in the browser first, so the request never leaves the page. The checklist
  // is the only place that states them: the refused submit marks it and moves focus there.
  await newPassword.fill("password");
  await submit.click();
  await expect(rules).toBeFocused();
  await expect(rule("An uppercase letter")).toHaveAttribute("data-state", "failed");
  await expect(rule("A digit")).toHaveAttribute("data-state", "failed");
  await expect(rule("A lowercase letter")).toHaveAttribute("data-state", "met");
  await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);
  await expect(newPassword).toHaveAttribute("aria-invalid", "true");

  // Easy to guess: zxcvbn, the same judge in the browser and on the server, says why in one sentence.
  await newPassword.fill("Password123!");
  await submit.click();
  await expect(rule("Hard to guess")).toHaveAttribute("data-state", "failed");
  await expect(rule("Hard to guess")).toContainText("This is too close to a password many people use; add a word or two that only you would pick.");
  await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);
  await expect(page.getByRole("status")).toHaveCount(0);
  // The old password still works: nothing changed.
  const ctx = await page.context().browser()!.newContext();
  const again = await ctx.newPage();
  await signIn(again, user);
  await expect(again).toHaveURL(/\/dashboard$/);
  await ctx.close();
});
