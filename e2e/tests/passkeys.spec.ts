// Passkeys (docs/security.md "Passkeys") in Chromium with its own virtual authenticator (DevTools
// protocol WebAuthn domain: a platform authenticator that keeps discoverable credentials and verifies
// the user), so the browser runs the real ceremonies against the real server and database:
// - Settings: none yet (the empty state), one added with a name, listed, renamed, removed after a
//   confirmation; at 375 and 1280 px, axe on each state in both themes;
// - the sign-in: "Sign in with a passkey" to the dashboard with no password and no second step even
//   with two-step sign-in on, where the backend answers (the tasks load); once removed in Settings,
//   the same passkey is refused with its sentence;
// - the browser's own offer in the email field (autocomplete "username webauthn"): picked with the
//   keyboard, it signs in;
// - a browser without WebAuthn, and the network failing, each said in one sentence;
// - "Confirm it's you" with a passkey: an old sign-in downloads its data after the passkey alone,
//   although two-step sign-in is on (the passkey is both factors).
import { type CDPSession, expect, type Page, test } from "@playwright/test";
import { expectAccessible } from "./a11y.ts";
import { withDatabase } from "./database.ts";
import { addTask, newUser, signOut, signUp, type TestUser } from "./helpers.ts";


/** A virtual authenticator in this page's browser, as a phone's or laptop's built-in one. */
async function addAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return { cdp, authenticatorId };
}


async function openPasskeys(page: Page) {
  await page.goto("/settings/sign-in");
  await expect(page.getByRole("heading", { name: "Passkeys" })).toBeVisible();
}

/** Adds a passkey named `name` from Settings and waits until the list shows it. */
async function addPasskey(page: Page, name: string) {
  const form = page.getByRole("form", { name: "Add a passkey" });
  await form.getByLabel("Name of the new passkey").fill(name);
  await form.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByTestId("toast")).toContainText(`Passkey “${name}” added`);
  await expect(page.getByRole("list", { name: "Your passkeys" }).getByTestId("passkey-name")).toHaveText([name]);
}


for (const width of [375, 1280] as const) {
  test(`Settings at ${width} px: no passkeys yet, one added with a name, renamed, removed after a confirmation`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    const { cdp, authenticatorId } = await addAuthenticator(page);
    await signUp(page, newUser("Keys"));
    await openPasskeys(page);
    await expect(page.getByTestId("passkeys-empty")).toHaveText(/You have no passkeys yet\. A passkey lets you sign in with your fingerprint, face or screen lock/);
    await expectAccessible(page, `no passkeys at ${width} px`);

    // The default name is this device's, as the sessions list names it.
    const field = page.getByLabel("Name of the new passkey");
    await expect(field).toHaveValue(/Chrom\w* \d+ on Linux/);
    // A name the server would refuse is said before the browser's prompt (nothing is created).
    await field.fill("x".repeat(101));
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await expect(page.getByRole("form", { name: "Add a passkey" }).getByRole("alert")).toHaveText("A passkey's name must be at most 100 characters.");
    await expect(field).toBeFocused();
    expect((await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials).toHaveLength(0);

    await addPasskey(page, "Work laptop");
    const row = page.getByTestId("passkey-row");
    await expect(row).toContainText(/Added (just now|\d+ minutes? ago)/);
    expect((await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials).toHaveLength(1);
    await expectAccessible(page, `one passkey at ${width} px`);
    if (width === 375) {
      for (const name of ["Rename Work laptop", "Remove Work laptop"]) {
        expect((await page.getByRole("button", { name }).boundingBox())!.height).toBeGreaterThanOrEqual(44);
      }
    }

    // The same authenticator again: it holds this account's passkey already.
    await page.getByLabel("Name of the new passkey").fill("Again");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await expect(page.getByRole("form", { name: "Add a passkey" }).getByRole("alert")).toHaveText(
      "A passkey on this device is registered already. Use it to sign in, or add one on another device.",
    );

    await page.getByRole("button", { name: "Rename Work laptop" }).click();
    const rename = page.getByRole("form", { name: "Rename Work laptop" });
    await expect(rename.getByLabel("New name")).toBeFocused();
    await expectAccessible(page, `renaming at ${width} px`);
    await rename.getByLabel("New name").fill("Desk key");
    await rename.getByRole("button", { name: "Save name" }).click();
    await expect(rename).toBeHidden();
    await expect(page.getByTestId("passkey-name")).toHaveText(["Desk key"]);
    await page.reload();
    await expect(page.getByTestId("passkey-name")).toHaveText(["Desk key"]);

    await page.getByRole("button", { name: "Remove Desk key" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Remove this passkey?" });
    await expect(confirm).toContainText("You will no longer be able to sign in with “Desk key”");
    await expectAccessible(page, `removing at ${width} px`);
    await confirm.getByRole("button", { name: "Remove passkey" }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByTestId("passkeys-empty")).toBeVisible();
    await expect(page.getByLabel("Name of the new passkey")).toBeFocused();
  });
}

test("a passkey signs in with no password and no code, the backend answers; once removed it is refused", async ({ page }) => {
  const user: TestUser = newUser("Pass");
  await addAuthenticator(page);
  await signUp(page, user);
  await addTask(page, "Buy stamps");
  await openPasskeys(page);
  await addPasskey(page, "My phone");
  // Two-step sign-in on: a password sign-in would now ask for a code; a passkey is both steps in one.
  await withDatabase((db) => db.query(`UPDATE "user" SET two_factor_enabled = true WHERE email = $1`, [user.email]));
  // This test is the button's: Chromium's virtual authenticator may answer the email field's offer by
  // itself, so the offer (its own test below) is kept out of the pages that follow.
  await page.addInitScript(() => {
    Object.defineProperty(PublicKeyCredential, "isConditionalMediationAvailable", { value: async () => false });
  });
  await signOut(page);

  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("list", { name: "Tasks" }).getByRole("listitem").filter({ hasText: "Buy stamps" })).toBeVisible();
  await expect(page.getByLabel("Password", { exact: true })).toHaveCount(0);

  await openPasskeys(page);
  await page.getByRole("button", { name: "Remove My phone" }).click();
  await page.getByRole("alertdialog", { name: "Remove this passkey?" }).getByRole("button", { name: "Remove passkey" }).click();
  await expect(page.getByTestId("passkeys-empty")).toBeVisible();
  await signOut(page);

  // The device still holds it; this site no longer knows it.
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.locator("#passkey-error")).toHaveText("This passkey is not registered here any more. Sign in with your password, then add it again in Settings.");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expectAccessible(page, "a removed passkey refused");
});

test("an old sign-in confirms it's them with a passkey alone, and the data downloads", async ({ page }) => {
  const user = newUser("Confirm");
  await addAuthenticator(page);
  await signUp(page, user);
  await openPasskeys(page);
  await addPasskey(page, "Laptop");
  // Signed in 11 minutes ago, with two-step sign-in on: the export wants a recent sign-in with a second factor.
  await withDatabase(async (db) => {
    await db.query(`UPDATE "user" SET two_factor_enabled = true WHERE email = $1`, [user.email]);
    const { rowCount } = await db.query(
      `UPDATE session SET auth_time = now() - interval '11 minutes' WHERE user_id = (SELECT id FROM "user" WHERE email = $1)`,
      [user.email],
    );
    expect(rowCount).toBe(1);
  });

  await page.goto("/settings/profile");
  await page.getByRole("button", { name: "Download your data" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(dialog.getByRole("button", { name: "Use a passkey" })).toBeVisible();
  await expectAccessible(page, "Confirm it's you with a passkey offered");
  const [download] = await Promise.all([page.waitForEvent("download"), dialog.getByRole("button", { name: "Use a passkey" }).click()]);
  await expect(dialog).toBeHidden();
  expect(download.suggestedFilename()).toMatch(/^authbridge-export-\d{4}-\d{2}-\d{2}\.json$/);
  // The same session was confirmed: still one session, and still signed in here.
  const sessions = await withDatabase((db) => db.query(`SELECT count(*)::int AS n FROM session WHERE user_id = (SELECT id FROM "user" WHERE email = $1)`, [user.email]));
  expect(sessions.rows[0].n).toBe(1);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("the browser offers the passkey in the email field, and picking it signs in", async ({ page }) => {
  await addAuthenticator(page);
  await signUp(page, newUser("Offer"));
  await openPasskeys(page);
  await addPasskey(page, "Laptop");
  // The sign-in page opens the offer once it is up: its ceremony's options are asked for first.
  const offerOpened = page.waitForResponse((r) => r.url().endsWith("/api/auth/passkey/generate-authenticate-options") && r.ok());
  await signOut(page);
  await offerOpened;
  const email = page.getByLabel("Email");
  await expect(email).toHaveAttribute("autocomplete", "username webauthn");
  await email.focus();
  // Nothing happens until the person picks the offer.
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("a browser without passkeys, and a request that never arrives, each get their sentence", async ({ page }) => {
  await signUp(page, newUser("NoKeys"));
  // Another tab of the same browser, where the server cannot be reached for the passkey's options.
  const offline = await page.context().newPage();
  await offline.route("**/api/auth/passkey/generate-register-options**", (route) => route.abort("internetdisconnected"));
  await addAuthenticator(offline);
  await openPasskeys(offline);
  await offline.getByRole("button", { name: "Add a passkey" }).click();
  await expect(offline.getByRole("form", { name: "Add a passkey" }).getByRole("alert")).toHaveText("Couldn't reach the server — try again.");
  await expect(offline.getByRole("button", { name: "Add a passkey" })).toBeEnabled();
  await offline.close();

  // This browser has no WebAuthn at all.
  await page.addInitScript(() => {
    delete (window as { PublicKeyCredential?: unknown }).PublicKeyCredential;
  });
  await openPasskeys(page);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByRole("form", { name: "Add a passkey" }).getByRole("alert")).toHaveText("This browser cannot use passkeys. Use an up-to-date browser, or another way.");
  await signOut(page);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.locator("#passkey-error")).toHaveText("This browser cannot use passkeys. Use an up-to-date browser, or another way.");
});
