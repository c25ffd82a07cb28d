// The flows that decide who holds an account, in the browser (docs/security.md "Changing the email",
// "Pre-account takeover", "Login CSRF", "Deleting the account"). The rule: whoever controls the email
// address, and only they, ends up holding the account.
import { expect, test } from "@playwright/test";
import { newUser, signIn, signUp, type TestUser } from "./helpers.ts";
import { actionLink, mailLinks, waitForMail } from "./mail.ts";

/** The change-of-email link in a mail: the review link, or the one that opens with the intent to cancel. */
const changeLink = (mail: Parameters<typeof mailLinks>[0], intent?: "cancel") =>
  mailLinks(mail).find((l) => new URL(l).pathname === "/email-change" && new URL(l).searchParams.get("intent") === (intent ?? null))!;

async function askToChange(page: import("@playwright/test").Page, user: TestUser, to: string) {
  await page.goto("/settings/profile");
  await page.getByLabel("New email", { exact: true }).fill(to);
  await page.getByLabel("Current password").fill(user.password);
  await page.getByRole("button", { name: "Send confirmation links" }).click();
  await expect(page.getByRole("status").filter({ hasText: `confirm it from the link we sent to ${to}` })).toBeVisible();
}

test("change of email: the new address confirms, the current one approves, and only then it changes", async ({ page, browser }) => {
  const user = newUser("Mover");
  await signUp(page, user);
  const next = newUser("Moved").email;
  const asked = Date.now();
  await askToChange(page, user, next);

  // The new address first: confirmed, but nothing changes yet.
  const other = await browser.newContext();
  const inbox = await other.newPage();
  await inbox.goto(actionLink(await waitForMail(next, /Confirm this email address/, { after: asked })));
  await expect(inbox.getByTestId("email-change-title")).toHaveText("Confirm this email address?");
  await inbox.getByRole("button", { name: "Confirm this address" }).click();
  await expect(inbox.getByTestId("email-change-result")).toContainText("once the account's current address approves it");
  await page.goto("/settings/profile");
  await expect(page.getByText(`Your email is ${user.email}`)).toBeVisible();

  // The current address approves: done.
  await inbox.goto(changeLink(await waitForMail(user.email, /Approve the change/, { after: asked })));
  await inbox.getByRole("button", { name: "Approve the change" }).click();
  await expect(inbox.getByTestId("email-change-result")).toHaveText(`Done: the account now signs in with ${next}.`);
  await page.reload();
  await expect(page.getByText(`Your email is ${next}`)).toBeVisible();
  await inbox.context().clearCookies();
  await signIn(inbox, { email: next, password: user.password });
  await expect(inbox).toHaveURL(/\/dashboard$/);
  await other.close();
});

test('"this wasn\'t me": the change is cancelled and the intruder\'s session ends', async ({ page, browser }) => {
  const user = newUser("Robbed");
  await signUp(page, user); // `page` plays the intruder holding the owner's session
  const asked = Date.now();
  await askToChange(page, user, newUser("Intruder").email);

  const owner = await browser.newContext();
  const mailbox = await owner.newPage();
  await mailbox.goto(changeLink(await waitForMail(user.email, /Approve the change/, { after: asked }), "cancel"));
  await mailbox.getByRole("button", { name: "This wasn't me: cancel and sign out everywhere" }).click();
  await expect(mailbox.getByTestId("email-change-result")).toContainText("every device signed in to your account was signed out");
  expect((await page.request.get("/api/auth/token")).status()).toBe(401);
  await page.goto("/settings/profile");
  await expect(page).toHaveURL(/\/sign-in/);
  await owner.close();
});

test("pre-account takeover: the address's owner sets the password, and whoever signed up with it is out", async ({ page, browser }) => {
  const victim = newUser("Victim");
  const squatter = { ...victim, name: "Not The Owner", password: "Squatters-Horse-5-key" };
  await signUp(page, squatter); // the attacker, signed in at once (default mode)

  const owner = await browser.newContext();
  const mailbox = await owner.newPage();
  await mailbox.goto(actionLink(await waitForMail(victim.email, /Confirm your email/)));
  await expect(mailbox).toHaveURL(/\/verify-email\/confirm\?token=/);
  await expect(mailbox.getByTestId("confirm-address-title")).toHaveText("Confirm your email");
  await mailbox.getByRole("button", { name: "I didn't create this account, or forgot its password" }).click();
  await mailbox.getByLabel("New password", { exact: true }).fill(victim.password);
  await mailbox.getByRole("button", { name: "Set password and confirm" }).click();
  await expect(mailbox).toHaveURL(/\/dashboard$/);

  expect((await page.request.get("/api/auth/token")).status()).toBe(401);
  await page.context().clearCookies();
  await signIn(page, squatter);
  await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password" })).toBeVisible();
  await owner.close();
});

test("login CSRF: a confirmation link for another account never switches the signed-in browser", async ({ page, browser }) => {
  const mine = newUser("Mine");
  await signUp(page, mine);
  const planted = newUser("Planted");
  const attacker = await browser.newContext();
  await signUp(await attacker.newPage(), planted);
  await page.goto(actionLink(await waitForMail(planted.email, /Confirm your email/)));
  await expect(page.getByTestId("confirm-address-title")).toHaveText("You're signed in to another account");
  await expect(page.getByRole("main").getByText(mine.email)).toBeVisible();
  await page.getByRole("link", { name: "Stay signed in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(mine.name);
  await attacker.close();
});

test("deleting the account needs re-authentication, whatever the session's age", async ({ page }) => {
  const user = newUser("Fresh");
  await signUp(page, user); // a session seconds old
  const bare = await page.request.post("/api/auth/delete-user", { data: {}, headers: { origin: new URL(page.url()).origin } });
  expect(bare.status()).toBe(403);
  expect((await bare.json()).code).toBe("REAUTHENTICATION_REQUIRED");
  expect((await page.request.get("/api/auth/token")).status()).toBe(200);
});
