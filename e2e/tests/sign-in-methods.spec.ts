// Sign-in methods in the browser (docs/security.md "Sign-in providers and linking"), against the local
// OpenID provider that `npm test` starts ("Local SSO", tools/harness/src/local-idp-server.ts): its own login and
// consent pages, nothing mocked between the app and it. Linking from Settings, then signing in with
// it; unlinking the last way in refused with a sentence, and a password set by an emailed link; the
// squatter who signed up first with someone's address is out the moment the owner arrives through
// the provider.
import { expect, type Page, test } from "@playwright/test";
import { expectAccessible } from "./a11y.ts";
import { GOOD_PASSWORD, newUser, signIn, signUp } from "./helpers.ts";
import { actionLink, waitForMail } from "./mail.ts";

const PROVIDER = "Local SSO";

/** At the provider's pages: signs in as `email` (confirmed by the provider unless said otherwise), then allows. */
async function atProvider(page: Page, email: string, confirmed = true): Promise<void> {
  await expect(page.getByRole("heading", { name: "Sign in to Local SSO" })).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Local SSO confirms this address").setChecked(confirmed);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Allow access?" })).toBeVisible();
  await page.getByRole("button", { name: "Allow" }).click();
}

/**
 * From the sign-in page through the provider, as `email`. The browser's cookies are forgotten first (the
 * provider's session too), so the provider asks who signs in, as it would on another device.
 */
async function signInWithProvider(page: Page, email: string, confirmed = true): Promise<void> {
  await page.context().clearCookies();
  await page.goto("/sign-in");
  await page.getByRole("button", { name: `Continue with ${PROVIDER}` }).click();
  await atProvider(page, email, confirmed);
}

const methodRow = (page: Page, provider: string) => page.locator(`[data-testid="sign-in-method"][data-provider="${provider}"]`);

test("link the local SSO from Settings, sign out, and sign in with it", async ({ page }) => {
  const user = newUser("Linker");
  await signUp(page, user);
  await page.goto("/settings/sign-in");
  await expect(page.getByRole("heading", { name: "Sign-in methods" })).toBeVisible();
  await expect(methodRow(page, "oidc")).toHaveAttribute("data-linked", "false");
  await expect(methodRow(page, "password")).toHaveAttribute("data-linked", "true");
  await expectAccessible(page, "sign-in methods, nothing linked");

  // Whatever address the provider gives, even one it does not confirm: the signed-in session proves the account.
  const elsewhere = newUser("Elsewhere").email;
  await page.getByRole("button", { name: `Link ${PROVIDER}` }).click();
  await atProvider(page, elsewhere, false);
  await expect(page).toHaveURL(/\/settings\/sign-in\?linked=oidc$/);
  await expect(page.getByTestId("link-done")).toHaveText(`${PROVIDER} is linked: you can sign in with it. Every other session of your account was signed out.`);
  await expect(methodRow(page, "oidc")).toHaveAttribute("data-linked", "true");
  await expectAccessible(page, "sign-in methods, just linked");

  // Signed out (the session ends on the server; the menu's sign-out may also offer to end the provider's own
  // session, which is the provider's page, not ours), then in through the provider.
  expect((await page.request.post("/api/auth/sign-out", { headers: { origin: new URL(page.url()).origin }, data: {} })).status()).toBe(200);
  expect((await page.request.get("/api/auth/token")).status()).toBe(401);
  await signInWithProvider(page, elsewhere, false);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/settings/profile");
  await expect(page.getByText(`Your email is ${user.email}`)).toBeVisible();
});

test("the last way in: unlinking it is refused with a sentence; a password set by an emailed link makes a second one", async ({ page }) => {
  const email = newUser("Provided").email;
  await signInWithProvider(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/settings/sign-in");
  await expect(methodRow(page, "password")).toHaveAttribute("data-linked", "false");

  await methodRow(page, "oidc").getByRole("button", { name: `Unlink ${PROVIDER}` }).click();
  const dialog = page.getByRole("alertdialog", { name: `Unlink ${PROVIDER}?` });
  await expectAccessible(page, "sign-in methods, unlink confirmation");
  await dialog.getByRole("button", { name: "Unlink" }).click();
  await expect(page.getByTestId("sign-in-methods-error")).toHaveText("This is the only way you can sign in. Set a password or link another provider first.");
  await expectAccessible(page, "sign-in methods, last way in refused");
  await page.reload();
  await expect(methodRow(page, "oidc")).toHaveAttribute("data-linked", "true");

  const asked = Date.now();
  await methodRow(page, "password").getByRole("button", { name: "Set a password" }).click();
  await expect(page.getByTestId("password-link-sent")).toContainText(email);
  await page.goto(actionLink(await waitForMail(email, /Reset your password/, { after: asked })));
  await page.getByLabel("New password", { exact: true }).fill(GOOD_PASSWORD);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  await page.goto("/settings/sign-in");
  await expect(methodRow(page, "password")).toHaveAttribute("data-linked", "true");
  await methodRow(page, "oidc").getByRole("button", { name: `Unlink ${PROVIDER}` }).click();
  await page.getByRole("alertdialog", { name: `Unlink ${PROVIDER}?` }).getByRole("button", { name: "Unlink" }).click();
  await expect(methodRow(page, "oidc")).toHaveAttribute("data-linked", "false");
  await page.context().clearCookies();
  await signIn(page, { email, password: GOOD_PASSWORD });
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("the squatter: someone signs up first with the owner's address; the owner arrives through the provider, and the squatter is out", async ({ page, browser }) => {
  const owner = newUser("Owner");
  const squatter = { ...owner, name: "Not The Owner", password: "Squatters-Horse-5-key" };
  await signUp(page, squatter); // signed in at once, the address unconfirmed (the product's default mode)

  const ownerContext = await browser.newContext();
  const ownerPage = await ownerContext.newPage();
  await signInWithProvider(ownerPage, owner.email);
  await expect(ownerPage).toHaveURL(/\/dashboard$/);
  await ownerPage.goto("/settings/sign-in");
  await expect(methodRow(ownerPage, "oidc")).toHaveAttribute("data-linked", "true");
  // The squatter's password is gone with everything else the owner did not create.
  await expect(methodRow(ownerPage, "password")).toHaveAttribute("data-linked", "false");

  // The squatter's session ended, and their password opens nothing.
  expect((await page.request.get("/api/auth/token")).status()).toBe(401);
  await page.goto("/settings/profile");
  await expect(page).toHaveURL(/\/sign-in/);
  await signIn(page, squatter);
  await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password" })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  await ownerContext.close();
});

test("on a phone: the page fits 320 and 375 px, its controls are 44 px at least, axe passes", async ({ page }) => {
  await signUp(page, newUser("Thumb"));
  for (const width of [320, 375]) {
    await page.setViewportSize({ width, height: 740 });
    await page.goto("/settings/sign-in");
    await expect(page.getByRole("heading", { name: "Sign-in methods" })).toBeVisible();
    const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(scrollWidth, `wider than ${width} px`).toBeLessThanOrEqual(innerWidth);
    for (const control of await page.locator('main [data-testid="sign-in-method"] :is(button, a)').all()) {
      const box = (await control.boundingBox())!;
      expect(Math.min(box.width, box.height), `${await control.innerText()} at ${width} px`).toBeGreaterThanOrEqual(43.5);
    }
  }
  await expectAccessible(page, "sign-in methods at 375 px");
});
