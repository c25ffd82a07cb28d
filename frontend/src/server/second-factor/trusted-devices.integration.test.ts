// Trusted devices (docs/security.md "Trusted devices") through the app's whole auth route on the real
// TLS test database: "Trust this device" lets that browser's own sign-in through without a code, and
// the trust ends with its session (revoked from another device, "Sign out everywhere"), with a password
// reset and with two-step sign-in turned off; a trust cookie without its binding is no trust.
// Two-step sign-in itself: two-factor.integration.test.ts. Needs the test database: `npm test` from the
// repo root, or `source .dev/test-env.sh`.
import { describe, expect, it } from "vitest";
import { linksOf, waitForMail } from "@/test/mail-catcher";
import { Browser, codeAt, enrolledAccount, PASSWORD, pendingSignIn } from "@/test/second-factor";
import { app, events, tokenClaims } from "@/test/two-factor-app";

/** An enrolled account, and a browser that signed in with a code and trusts itself, then signed out. */
async function trustedDevice() {
  const account = await enrolledAccount(new Browser(app));
  const { browser } = await pendingSignIn(app, account.email);
  expect((await browser.post("/two-factor/verify-totp", { code: await codeAt(account.secret), trustDevice: true })).status).toBe(200);
  expect(browser.cookie("trust_device")).toBeDefined();
  return { ...account, browser };
}

/** A sign-in with the password in `browser`: signed in at once (true), or waiting for a code (false). */
async function signsInWithoutCode(browser: Browser, email: string): Promise<boolean> {
  const answer = await browser.post("/sign-in/email", { email, password: PASSWORD });
  expect(answer.status).toBe(200);
  return answer.body!.twoFactorRedirect !== true;
}

describe("trusted devices", () => {
  it("lets its own sign-out and sign-in again through without a code, renewed each time", async () => {
    const { email, userId, browser } = await trustedDevice();
    const trust = browser.cookie("trust_device");
    expect((await browser.post("/sign-out")).status).toBe(200);
    expect(await signsInWithoutCode(browser, email)).toBe(true);
    // Renewed; a trusted sign-in proved the password only.
    expect(browser.cookie("trust_device")).not.toBe(trust);
    expect((await tokenClaims(browser)).amr).toEqual(["pwd"]);
    expect(await events(userId, "sign-in")).toEqual([expect.objectContaining({ method: "totp" }), expect.objectContaining({ method: "password" })]);
    expect((await browser.post("/sign-out")).status).toBe(200);
    expect(await signsInWithoutCode(browser, email)).toBe(true);
    // Another browser is not trusted.
    expect(await signsInWithoutCode(new Browser(app), email)).toBe(false);
  });

  it("survives the device's own change of password, which replaces its session", async () => {
    const { email, browser } = await trustedDevice();
    const changed = await browser.post("/change-password", { currentPassword: PASSWORD, newPassword: "Another-Horse-7-staple" });
    expect(changed.status).toBe(200);
    expect((await browser.post("/sign-out")).status).toBe(200);
    const answer = await browser.post("/sign-in/email", { email, password: "Another-Horse-7-staple" });
    expect(answer.body!.twoFactorRedirect).toBeUndefined();
  });

  it("a trust cookie without its binding (made before the binding existed, or tampered) is no trust", async () => {
    const { email, browser } = await trustedDevice();
    await app.pool.query("DELETE FROM verification WHERE identifier LIKE 'trust-binding-%' AND value = (SELECT id FROM session WHERE token = $1)", [browser.sessionToken()]);
    expect((await browser.post("/sign-out")).status).toBe(200);
    expect(await signsInWithoutCode(browser, email)).toBe(false);
  });
});

describe("trusted devices: what ends them", () => {
  it("ends when the device's session is revoked from another device", async () => {
    const { email, secret, browser } = await trustedDevice();
    const other = await pendingSignIn(app, email);
    expect((await other.browser.post("/two-factor/verify-totp", { code: await codeAt(secret, 1) })).status).toBe(200);
    expect((await other.browser.post("/revoke-session", { token: browser.sessionToken() })).status).toBe(200);
    // The revoked browser signs in again: its trust went with its session.
    expect(await signsInWithoutCode(browser, email)).toBe(false);
    expect(browser.cookie("trust_device")).toBeUndefined();
  });

  it("ends for every device when signing out everywhere, even one signed out already", async () => {
    const { email, secret, browser } = await trustedDevice();
    expect((await browser.post("/sign-out")).status).toBe(200);
    const other = await pendingSignIn(app, email);
    expect((await other.browser.post("/two-factor/verify-totp", { code: await codeAt(secret, 1) })).status).toBe(200);
    expect((await other.browser.post("/revoke-sessions")).status).toBe(200);
    expect(await signsInWithoutCode(browser, email)).toBe(false);
  });

  it("ends with a password reset and with two-step sign-in turned off", async () => {
    const first = await trustedDevice();
    expect((await first.browser.post("/sign-out")).status).toBe(200);
    expect((await app.post("/request-password-reset", { email: first.email, redirectTo: "/reset-password" })).status).toBe(200);
    const token = new URL(linksOf(await waitForMail(first.email, /Reset your password/))[0]!).searchParams.get("token")!;
    expect((await app.post("/reset-password", { token, newPassword: PASSWORD })).status).toBe(200);
    expect(await signsInWithoutCode(first.browser, first.email)).toBe(false);

    const second = await trustedDevice();
    const off = await second.browser.post("/two-factor/disable", { password: PASSWORD });
    expect(off.status).toBe(200);
    // On again (a new enrolment): the old trust does not come back with it.
    const started = await second.browser.post("/two-factor/enable", { password: PASSWORD });
    const secret = new URL(String(started.body!.totpURI)).searchParams.get("secret")!;
    expect((await second.browser.post("/two-factor/verify-totp", { code: await codeAt(secret) })).status).toBe(200);
    expect((await second.browser.post("/sign-out")).status).toBe(200);
    expect(await signsInWithoutCode(second.browser, second.email)).toBe(false);
  });
});
