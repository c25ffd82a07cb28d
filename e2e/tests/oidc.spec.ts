// "Continue with Local SSO" in the browser, against the local OpenID provider that `npm test` starts
// (tools/harness/src/local-idp-server.ts: its own login and consent pages; nothing between the app and it is mocked):
// the whole redirect flow ends on the dashboard with a backend token the backend accepts until sign-out, and
// every way it can fail ends on the sign-in page with one sentence saying what happened
// (frontend/src/lib/sign-in-errors.ts). The failures a provider will not produce on request (a tampered ID
// token, a provider that hangs) are proven against the same provider in
// frontend/src/server/sign-in-providers.integration.test.ts.
import { randomUUID } from "node:crypto";
import { expect, type Page, type Request, test } from "@playwright/test";
import { expectAccessible } from "./a11y.ts";
import { BACKEND_URL, backendToken, bearer } from "./helpers.ts";

const PROVIDER = "Local SSO";
const CONTINUE = `Continue with ${PROVIDER}`;
const sentence = (page: Page) => page.locator("#provider-sign-in-error");

/** From our sign-in page to the provider's login page. */
async function toProvider(page: Page): Promise<void> {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: CONTINUE }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Local SSO" })).toBeVisible();
}

/** On the provider's login page: one of its test users, or another address (confirmed unless said otherwise). */
async function logIn(page: Page, who: "alice" | "bob" | "carol" | { email: string; confirmed?: boolean }): Promise<void> {
  await expect(page.getByRole("heading", { name: "Sign in to Local SSO" })).toBeVisible();
  if (typeof who === "string") {
    await page.getByRole("button", { name: new RegExp(`^Sign in as ${who} `) }).click();
    return;
  }
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Local SSO confirms this address").setChecked(who.confirmed ?? true);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function consent(page: Page, answer: "Allow" | "Deny"): Promise<void> {
  await expect(page.getByRole("heading", { name: "Allow access?" })).toBeVisible();
  await page.getByRole("button", { name: answer }).click();
}

const someone = () => ({ email: `sso-${randomUUID().slice(0, 8)}@example.test` });

test("Continue with Local SSO as alice: the dashboard, a backend token the backend accepts, refused once signed out", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: CONTINUE })).toBeVisible();
  await expectAccessible(page, "sign-in with a provider button");
  await toProvider(page);
  await logIn(page, "alice");
  await consent(page, "Allow");
  await expect(page).toHaveURL(/\/dashboard$/);

  const token = await backendToken(page.request);
  const me = await page.request.get(`${BACKEND_URL}/api/me`, { headers: bearer(token) });
  expect(me.status()).toBe(200);
  expect(((await me.json()) as { email: string }).email).toBe("alice@example.test");

  expect((await page.request.post("/api/auth/sign-out", { headers: { origin: new URL(page.url()).origin }, data: {} })).status()).toBe(200);
  const refused = await page.request.get(`${BACKEND_URL}/api/me`, { headers: bearer(token) });
  expect(refused.status()).toBe(401);
});

test("a return path survives the trip to the provider", async ({ page }) => {
  await page.goto("/sign-in?next=%2Fsettings%2Fprofile");
  await page.getByRole("button", { name: CONTINUE }).click();
  await logIn(page, someone());
  await consent(page, "Allow");
  await expect(page).toHaveURL(/\/settings\/profile$/);
});

test("Deny at the provider, or Cancel on its login page: the sign-in page says the sign-in was cancelled", async ({ page }) => {
  await toProvider(page);
  await logIn(page, someone());
  await consent(page, "Deny");
  await expect(page).toHaveURL(/\/sign-in\?via=oidc&error=access_denied$/);
  await expect(sentence(page)).toHaveText("You cancelled signing in at Local SSO, so nothing changed.");
  await expectAccessible(page, "sign-in after a denied consent");

  await page.context().clearCookies();
  await toProvider(page);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(/\/sign-in\?via=oidc&error=access_denied$/);
  await expect(sentence(page)).toHaveText("You cancelled signing in at Local SSO, so nothing changed.");
  // Nobody was signed in.
  expect((await page.request.get("/api/auth/token")).status()).toBe(401);
});

test("no email from the provider, or one it does not confirm: a sentence for each, nobody signed in", async ({ page }) => {
  await toProvider(page);
  await logIn(page, "carol");
  await consent(page, "Allow");
  await expect(page).toHaveURL(/\/sign-in\?via=oidc&error=email_not_found$/);
  await expect(sentence(page)).toHaveText("Local SSO did not share an email address, and an account needs one. Allow it at Local SSO, then try again.");

  await page.context().clearCookies();
  await toProvider(page);
  await logIn(page, { ...someone(), confirmed: false });
  await consent(page, "Allow");
  await expect(page).toHaveURL(/\/sign-in\?via=oidc&error=email_not_verified$/);
  await expect(sentence(page)).toHaveText("Local SSO did not confirm your email address. Confirm it there, then try again.");
  await expectAccessible(page, "sign-in after an unconfirmed address");
  expect((await page.request.get("/api/auth/token")).status()).toBe(401);
});

test("the callback opened twice: in the browser that signed in it stays signed in, in another it says start again", async ({ page, browser }) => {
  const callbacks: string[] = [];
  page.on("request", (r: Request) => {
    if (r.url().includes("/api/auth/callback/oidc?")) callbacks.push(r.url());
  });
  await toProvider(page);
  await logIn(page, someone());
  await consent(page, "Allow");
  await expect(page).toHaveURL(/\/dashboard$/);
  expect(callbacks).toHaveLength(1);

  // Again here: the sign-in was used up, and this browser is signed in, so the sign-in page sends it on.
  await page.goto(callbacks[0]!);
  await expect(page).toHaveURL(/\/dashboard$/);
  expect((await page.request.get("/api/auth/token")).status()).toBe(200);

  // In another browser (a leaked link): no session, one sentence.
  const other = await browser.newContext();
  try {
    const stranger = await other.newPage();
    await stranger.goto(callbacks[0]!);
    await expect(stranger).toHaveURL(/\/sign-in\?error=state_mismatch$/);
    await expect(sentence(stranger)).toHaveText("That sign-in was already finished or has expired. Please start again.");
    expect((await stranger.request.get("/api/auth/token")).status()).toBe(401);
  } finally {
    await other.close();
  }
});

test("Continue with Local SSO on the create-account page signs a new person up", async ({ page }) => {
  const who = someone();
  await page.goto("/sign-up");
  await page.getByRole("button", { name: CONTINUE }).click();
  await logIn(page, who);
  await consent(page, "Allow");
  await expect(page).toHaveURL(/\/dashboard$/);
  const me = await page.request.get(`${BACKEND_URL}/api/me`, { headers: bearer(await backendToken(page.request)) });
  expect(((await me.json()) as { email: string }).email).toBe(who.email);
});
