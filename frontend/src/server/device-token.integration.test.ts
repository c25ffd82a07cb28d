// The device token a sign-in (or a sign-up that signs in) gives the browser (device-token.ts, docs/security.md
// "Device tokens"), against the app's real /api/auth/* on the real TLS test database: its cookie, where it is
// Secure, and how many a browser keeps. What it is for, the lock a stranger cannot turn against the owner:
// lockout.integration.test.ts. Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { describe, expect, it } from "vitest";
import { account, app, Browser, deviceSetCookie, expectRateLimited, flood, LOCKED_AFTER_FIVE, LONG_LOCK, newEmail, ownersBrowser, PASSWORD, quietSignInLogs, WRONG } from "@/test/lockout-browser";

describe("the device token", () => {
  it("is set when a sign-in succeeds, and only then: HttpOnly, SameSite=Lax, long-lived, naming neither email nor password", async () => {
    const quiet = quietSignInLogs();
    const a = app({}, LONG_LOCK);
    const email = await account(a);
    const browser = new Browser(a);
    const failed = await browser.signIn(email, WRONG);
    expect(failed.status).toBe(401);
    expect(deviceSetCookie(failed)).toBeUndefined();
    const unknown = await browser.signIn(newEmail(), PASSWORD);
    expect(unknown.status).toBe(401);
    expect(deviceSetCookie(unknown)).toBeUndefined();

    const signedIn = await browser.signIn(email, PASSWORD);
    expect(signedIn.status).toBe(200);
    const header = deviceSetCookie(signedIn)!;
    expect(header).toMatch(/^authbridge\.device=[^;]+; /); // plain name over http (no Secure, so no __Host- prefix)
    const attributes = header.split(";").slice(1).map((s) => s.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(["path=/", "httponly", "samesite=lax"]));
    expect(attributes).not.toContain("secure");
    expect(attributes.some((s) => s.startsWith("domain="))).toBe(false);
    const maxAge = Number(attributes.find((s) => s.startsWith("max-age="))!.slice("max-age=".length));
    expect(maxAge).toBeGreaterThanOrEqual(365 * 24 * 60 * 60);
    const value = browser.device!.split("=").slice(1).join("=");
    for (const secret of [email, email.split("@")[0]!, Buffer.from(email).toString("base64url"), PASSWORD]) expect(value).not.toContain(secret);
    quiet();
  });

  it("is __Host- prefixed and Secure where the app's cookies are secure (https), and works there", async () => {
    const quiet = quietSignInLogs();
    const a = app({ BETTER_AUTH_URL: "https://app.example.test" }, LONG_LOCK);
    const email = await account(a);
    const owner = await ownersBrowser(a, email);
    expect(owner.device).toMatch(/^__Host-authbridge\.device=/);
    expect([...owner.jar.keys()]).not.toContain("authbridge.device");
    expect(await flood(a, email)).toEqual(LOCKED_AFTER_FIVE);
    expect((await owner.signIn(email, PASSWORD)).status).toBe(200);
    const header = deviceSetCookie(await owner.signIn(email, PASSWORD))!;
    expect(header.split(";").map((s) => s.trim().toLowerCase())).toEqual(expect.arrayContaining(["secure", "path=/", "httponly", "samesite=lax"]));
    quiet();
  });
});

describe("the device token: from a sign-up, and how many a browser keeps", () => {
  it("is also set by a sign-up that signs the new user in (the default mode), never by one that does not", async () => {
    const quiet = quietSignInLogs();
    const a = app({}, LONG_LOCK);
    const email = newEmail();
    const creator = new Browser(a);
    const created = await creator.post("/sign-up/email", { name: "Owner", email, password: PASSWORD });
    expect(created.status).toBe(200);
    expect(deviceSetCookie(created)).toBeDefined();
    // An existing email: refused (422), nothing issued.
    const again = await new Browser(a).post("/sign-up/email", { name: "Stranger", email, password: PASSWORD });
    expect(again.status).toBe(422);
    expect(deviceSetCookie(again)).toBeUndefined();
    // The creator's browser is the owner's: the stranger's flood does not lock it out.
    expect(await flood(a, email)).toEqual(LOCKED_AFTER_FIVE);
    expect((await creator.signIn(email, PASSWORD)).status).toBe(200);

    // Strict mode: a sign-up signs nobody in (and answers an existing email alike), so it issues nothing.
    const strict = app({ REQUIRE_EMAIL_VERIFICATION: "true" }, LONG_LOCK);
    for (const address of [newEmail(), email]) {
      const answer = await new Browser(strict).post("/sign-up/email", { name: "Strict", email: address, password: PASSWORD });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ token: null });
      expect(deviceSetCookie(answer)).toBeUndefined();
    }
    quiet();
  });

  it("is kept for at most 5 accounts per browser, newest first", async () => {
    const quiet = quietSignInLogs();
    const a = app({}, LONG_LOCK);
    const emails = await Promise.all(Array.from({ length: 6 }, () => account(a)));
    const shared = new Browser(a);
    for (const email of emails) expect((await shared.signIn(email, PASSWORD)).status).toBe(200);
    // Signing in to the second again makes it the newest: the oldest left is now the third.
    expect((await shared.signIn(emails[1]!, PASSWORD)).status).toBe(200);
    const [oldest, second, third] = emails;
    for (const email of [oldest!, second!, third!]) expect(await flood(a, email)).toEqual(LOCKED_AFTER_FIVE);
    expectRateLimited(await shared.signIn(oldest!, PASSWORD)); // dropped: an unknown device for that account
    expect((await shared.signIn(second!, PASSWORD)).status).toBe(200);
    expect((await shared.signIn(third!, PASSWORD)).status).toBe(200);
    quiet();
  }, 60_000);
});
