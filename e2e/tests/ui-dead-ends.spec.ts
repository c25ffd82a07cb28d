// No dead ends (docs/architecture.md, "A session can end while a page is open"; docs/security.md
// "Forgotten password"): a session revoked from another device always reaches a sign-in page that says
// why and returns to the page with what was typed, whether the user acts on the page (a task, a
// settings form) or just navigates; a reset link is judged as its page opens (a dead one says so before
// anything is typed, with a button to a new one), names its account, asks a browser signed in to
// another account first, and a reset signs in. At 375 and 1280 px, axe in both themes on every state.
import { type Browser, expect, type Page, test } from "@playwright/test";
import { expectAccessible } from "./a11y.ts";
import { newUser, signIn, signUp, type TestUser } from "./helpers.ts";
import { actionLink, waitForMail } from "./mail.ts";

const WIDTHS = [375, 1280] as const;
const NEW_PASSWORD = "Quill-Harbour-Lantern-58";

/** Signs in on the sign-in page that is open (keeping its ?next=). */
async function signInHere(page: Page, user: TestUser) {
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** From `page` (signed in), revokes every other device on /settings/sessions. */
async function revokeOthers(page: Page) {
  await page.goto("/settings/sessions");
  const rows = page.getByTestId("session-row");
  await expect(rows.first()).toBeVisible();
  for (let left = await rows.count(); left > 1; left--) {
    await page.getByRole("button", { name: /^Revoke / }).first().click();
    await expect(rows).toHaveCount(left - 1);
  }
}

/** A second browser of `user`, signed in, at `width`. */
async function secondDevice(browser: Browser, user: TestUser, width: number) {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  const page = await context.newPage();
  await signIn(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  return { context, page };
}

/** The sign-in page that says "You were signed out" and returns to `path` (percent-encoded: nothing in it is special to a RegExp). */
const signedOutAt = (path: string) => new RegExp(`/sign-in\\?next=${encodeURIComponent(path)}&reason=signed-out$`);

for (const width of WIDTHS) {
  test(`revoked from another device at ${width} px: adding a task or just navigating lands on a sign-in page that says why, and comes back with the task`, async ({ page, browser }) => {
    const user = newUser("Revoked");
    await signUp(page, user);
    const { context, page: phone } = await secondDevice(browser, user, width);
    await phone.goto("/dashboard?show=open");

    await revokeOthers(page);
    await phone.getByLabel("Title").fill("Written after the revoke");
    await phone.getByRole("button", { name: "Add task" }).click();
    await expect(phone).toHaveURL(signedOutAt("/dashboard?show=open"));
    await expect(phone.getByTestId("signed-out-notice")).toContainText("You were signed out.");
    await expectAccessible(phone, `sign-in after a revoke, ${width} px`);
    await signInHere(phone, user);
    await expect(phone).toHaveURL(/\/dashboard\?show=open$/);
    await expect(phone.getByLabel("Title")).toHaveValue("Written after the revoke");

    // Nothing typed, just a click elsewhere: the same page, the same reason.
    await revokeOthers(page);
    await phone.goto("/settings/password");
    await expect(phone).toHaveURL(signedOutAt("/settings/password"));
    await expect(phone.getByTestId("signed-out-notice")).toContainText("You were signed out.");
    await signInHere(phone, user);
    await expect(phone).toHaveURL(/\/settings\/password$/);
    await context.close();
  });

  test(`revoked from another device at ${width} px: the settings forms go to sign-in and back, the new address of a change of email kept`, async ({ page, browser }) => {
    const user = newUser("Settings");
    await signUp(page, user);
    const { context, page: phone } = await secondDevice(browser, user, width);

    await phone.goto("/settings/profile");
    await revokeOthers(page);
    await phone.getByLabel("Name").fill("A New Name");
    await phone.getByRole("button", { name: "Save profile" }).click();
    await expect(phone).toHaveURL(signedOutAt("/settings/profile"));
    await signInHere(phone, user);
    await expect(phone).toHaveURL(/\/settings\/profile$/);

    await revokeOthers(page);
    const next = newUser("Moved").email;
    await phone.getByLabel("New email").fill(next);
    await phone.getByLabel("Current password").fill(user.password);
    await phone.getByRole("button", { name: "Send confirmation links" }).click();
    await expect(phone).toHaveURL(signedOutAt("/settings/profile"));
    await signInHere(phone, user);
    await expect(phone).toHaveURL(/\/settings\/profile$/);
    await expect(phone.getByLabel("New email")).toHaveValue(next);
    await expect(phone.getByLabel("Current password")).toHaveValue(""); // a password is never kept
    await expect(phone.getByTestId("toast").filter({ hasText: "Restored what you were typing." })).toBeVisible();
    await expectAccessible(phone, `profile, the change of email restored, ${width} px`);

    await revokeOthers(page);
    await phone.goto("/settings/danger");
    await expect(phone).toHaveURL(signedOutAt("/settings/danger"));
    await context.close();
  });

  test(`a reset link at ${width} px: a live one names its account, asks a browser signed in elsewhere, and signs in; a used or cut one says so at once`, async ({ page, browser }) => {
    const user = newUser("Resetting");
    await signUp(page, user);
    const other = await browser.newContext({ viewport: { width, height: 800 } });
    const mailbox = await other.newPage();
    await mailbox.goto("/forgot-password");
    await mailbox.getByLabel("Email").fill(user.email);
    const asked = Date.now();
    await mailbox.getByRole("button", { name: "Send me a link" }).click();
    await expect(mailbox.getByTestId("reset-requested")).toBeVisible();
    const link = actionLink(await waitForMail(user.email, /Reset your password/, { after: asked }));
    const title = (p: Page) => p.getByTestId("reset-title");

    // A browser signed in to another account is asked; nothing changes by itself.
    const someone = await browser.newContext({ viewport: { width, height: 800 } });
    const theirs = await someone.newPage();
    await signUp(theirs, newUser("Someone"));
    await theirs.goto(link);
    await expect(title(theirs)).toHaveText("You're signed in to another account");
    await expect(theirs.getByText(user.email)).toBeVisible();
    await expectAccessible(theirs, `reset link in another account's browser, ${width} px`);
    await theirs.getByRole("link", { name: "Stay signed in" }).click();
    await expect(theirs).toHaveURL(/\/dashboard$/);

    // The live link: the account it resets, then signed in on the dashboard.
    await mailbox.goto(link);
    await expect(title(mailbox)).toHaveText("Choose a new password");
    await expect(mailbox.getByText(user.email)).toBeVisible();
    await expectAccessible(mailbox, `reset form, ${width} px`);
    await mailbox.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await mailbox.getByRole("button", { name: "Set new password" }).click();
    await expect(mailbox).toHaveURL(/\/dashboard$/);
    await expect(mailbox.getByRole("heading", { level: 1 })).toContainText(user.name);
    await expect(mailbox.getByTestId("toast").filter({ hasText: "Password changed. You are signed in." })).toBeVisible();
    await expectAccessible(mailbox, `dashboard after a reset, ${width} px`);

    // Every other session ended, and says so.
    await page.goto("/settings/profile");
    await expect(page).toHaveURL(signedOutAt("/settings/profile"));

    // The same link again: dead, said before any password is typed, with the way to a new one.
    await mailbox.goto(link);
    await expect(title(mailbox)).toHaveText("This link no longer works");
    await expect(mailbox.getByLabel("New password", { exact: true })).toHaveCount(0);
    await expectAccessible(mailbox, `used reset link, ${width} px`);
    await mailbox.getByRole("link", { name: "Send me a new link" }).click();
    await expect(mailbox).toHaveURL(/\/forgot-password$/);

    const cut = new URL(link);
    cut.searchParams.set("token", cut.searchParams.get("token")!.slice(0, 20));
    await mailbox.goto(cut.href);
    await expect(title(mailbox)).toHaveText("This link does not work");
    await expect(mailbox.getByRole("link", { name: "Send me a new link" })).toBeVisible();
    await expectAccessible(mailbox, `cut reset link, ${width} px`);
    await Promise.all([other.close(), someone.close()]);
  });
}
