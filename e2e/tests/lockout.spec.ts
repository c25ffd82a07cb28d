// The lock-out a stranger cannot turn against the owner (docs/security.md "Device tokens"), in the
// browser against the production build: the owner's browser holds a device token from its sign-up,
// a stranger floods wrong passwords through the API until the account locks, and the owner still
// signs in through the form at once, while the stranger and any other browser stay refused; a
// password reset lifts the lock for every browser. Default lock: 5 failures, then 30 seconds.
import { type APIRequestContext, expect, test } from "@playwright/test";
import { GOOD_PASSWORD, newUser, signIn, signOut, signUp } from "./helpers.ts";
import { actionLink, waitForMail } from "./mail.ts";

const DEVICE_COOKIE = /^(__Host-)?authbridge\.device$/;

/** Wrong passwords for `email` through the API, at most 12, until the first 429: the statuses. */
async function flood(request: APIRequestContext, email: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 12 && statuses.at(-1) !== 429; i++) {
    const answer = await request.post("/api/auth/sign-in/email", { data: { email, password: `Wrong-Horse-${i}-battery` } });
    statuses.push(answer.status());
  }
  return statuses;
}

test("a stranger's flood of wrong passwords locks out unknown browsers, never the owner's own", async ({ page, browser }) => {
  const owner = newUser("Owner");
  // The default mode signs the new user in at once, and the sign-up gives this browser its device token.
  await signUp(page, owner);
  const device = (await page.context().cookies()).find((c) => DEVICE_COOKIE.test(c.name));
  expect(device, "the device cookie").toBeDefined();
  expect(device).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/", secure: device!.name.startsWith("__Host-") });
  expect(device!.value).not.toContain(owner.email.split("@")[0]!);
  // Signing out ends the session, not the device token.
  await signOut(page);
  expect((await page.context().cookies()).some((c) => DEVICE_COOKIE.test(c.name))).toBe(true);

  const strangers = await browser.newContext();
  expect(await flood(strangers.request, owner.email)).toEqual([401, 401, 401, 401, 401, 429]);

  // The owner's browser: through the form, on to the dashboard at once.
  await signIn(page, owner);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(owner.name);

  // The stranger, even with the right password, is still refused while the lock holds.
  const right = await strangers.request.post("/api/auth/sign-in/email", { data: { email: owner.email, password: owner.password } });
  expect(right.status()).toBe(429);
  expect(await right.json()).toMatchObject({ code: "RATE_LIMITED" });
  expect(Number(right.headers()["retry-after"])).toBeGreaterThanOrEqual(1);

  // So is any browser without the token, through the form: it is told how long to wait.
  const elsewhere = await browser.newContext();
  const other = await elsewhere.newPage();
  await signIn(other, owner);
  await expect(other.getByRole("alert").filter({ hasText: /Too many attempts\. Please try again in/ })).toBeVisible();
  await expect(other).toHaveURL(/\/sign-in/);
  await Promise.all([strangers.close(), elsewhere.close()]);
});

test("a password reset lifts the lock at once: the owner signs in from a new browser with the new password", async ({ page, browser }) => {
  const owner = newUser("Reset");
  await signUp(page, owner);
  await signOut(page);
  const strangers = await browser.newContext();
  expect(await flood(strangers.request, owner.email)).toEqual([401, 401, 401, 401, 401, 429]);

  // From a browser that has never signed in: locked, so the owner asks for a reset.
  const fresh = await browser.newContext();
  const phone = await fresh.newPage();
  await signIn(phone, owner);
  await expect(phone.getByRole("alert").filter({ hasText: /Too many attempts/ })).toBeVisible();
  await phone.getByRole("link", { name: "Forgot password?" }).click();
  await expect(phone).toHaveURL(/\/forgot-password$/);
  await phone.getByLabel("Email").fill(owner.email);
  const asked = Date.now();
  await phone.getByRole("button", { name: "Send me a link" }).click();
  await expect(phone.getByTestId("reset-requested")).toBeVisible();
  await phone.goto(actionLink(await waitForMail(owner.email, /Reset your password/, { after: asked })));
  const newPassword = "Brand-New-Horse-8";
  expect(newPassword).not.toBe(GOOD_PASSWORD);
  await phone.getByLabel("New password", { exact: true }).fill(newPassword);
  await phone.getByRole("button", { name: "Set new password" }).click();
  await expect(phone).toHaveURL(/\/dashboard$/); // the reset signed this browser in

  // Well within the 30-second lock: the same new browser signs in at once.
  await signOut(phone);
  await signIn(phone, { email: owner.email, password: newPassword });
  await expect(phone).toHaveURL(/\/dashboard$/);
  await Promise.all([strangers.close(), fresh.close()]);
});
