// The lock-out that a stranger cannot turn against the owner (docs/security.md "Rate limiting",
// OWASP's device cookies): each attack written first, against the app's real /api/auth/* (route
// handler + throttle + Better Auth) on the real TLS test database. A browser that has signed in holds a device token for the account; its failed
// sign-ins count in its own bucket, every other request in the account's "unknown devices" bucket,
// whose lock never applies to the owner's browser. A password reset lifts every lock of the account.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { type Answer, type AuthApp, authApp } from "@/test/auth-app";
import { captureConsole } from "@/test/console-capture";
import type { ThrottleSettings } from "./throttle-settings";

const PASSWORD = "Correct-Horse-9-battery";
const WRONG = "Wrong-Horse-9-battery";
const NEW_PASSWORD = "Brand-New-Horse-8-staple";
const newEmail = () => `lockout-${randomUUID()}@example.test`;
/** A lock that lasts the whole test: whatever is refused is refused by the lock, not by its end. */
const LONG_LOCK: Partial<ThrottleSettings> = { lock: { afterFailures: 5, baseSeconds: 600, maxSeconds: 600, memorySeconds: 60 } };
/** A lock short enough to wait for. */
const SHORT_LOCK: Partial<ThrottleSettings> = { lock: { afterFailures: 5, baseSeconds: 1, maxSeconds: 1, memorySeconds: 60 } };

const apps: AuthApp[] = [];
const app = (...args: Parameters<typeof authApp>) => {
  const a = authApp(...args);
  apps.push(a);
  return a;
};

afterAll(() => Promise.all(apps.map((a) => a.close())));

const DEVICE_COOKIE = /^(__Host-)?authbridge\.device=/;
/** The device cookie an answer sets, whole (with its attributes), if any. */
const deviceSetCookie = (a: Answer) => a.setCookies.find((c) => DEVICE_COOKIE.test(c));

/** A browser: a cookie jar that keeps what answers set and sends it back. */
class Browser {
  readonly jar = new Map<string, string>();
  constructor(private readonly app: AuthApp) {}

  get cookie(): string | undefined {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join("; ") || undefined;
  }

  /** The device cookie's `name=value`, if this browser holds one. */
  get device(): string | undefined {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).find((c) => DEVICE_COOKIE.test(c));
  }

  async post(path: string, body: unknown): Promise<Answer> {
    const answer = await this.app.post(path, body, this.cookie);
    for (const header of answer.setCookies) {
      const pair = header.split(";")[0]!;
      const name = pair.slice(0, pair.indexOf("="));
      const value = pair.slice(pair.indexOf("=") + 1);
      if (value === "" || /max-age=0/i.test(header)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return answer;
  }

  signIn(email: string, password: string): Promise<Answer> {
    return this.post("/sign-in/email", { email, password });
  }
}

/** A browser that just signed in to `email` (so it holds that account's device token). */
async function ownersBrowser(a: AuthApp, email: string): Promise<Browser> {
  const browser = new Browser(a);
  expect((await browser.signIn(email, PASSWORD)).status).toBe(200);
  expect(browser.device).toBeDefined();
  return browser;
}

/** A new account (the sign-up's own cookies are dropped: a test decides which browser holds what). */
async function account(a: AuthApp): Promise<string> {
  const email = newEmail();
  expect((await a.post("/sign-up/email", { name: "Owner", email, password: PASSWORD })).status).toBe(200);
  return email;
}

/**
 * A stranger's flood: `attempts` wrong passwords for `email`, each from a new browser (no cookies);
 * the statuses. Well past the lock, so every later attempt meets it.
 */
async function flood(a: AuthApp, email: string, attempts = 12): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < attempts; i++) statuses.push((await a.post("/sign-in/email", { email, password: WRONG })).status);
  return statuses;
}
const LOCKED_AFTER_FIVE = [...Array(5).fill(401), ...Array(7).fill(429)];

const expectRateLimited = (r: Answer) => {
  expect(r.status).toBe(429);
  expect(r.body).toEqual({ code: "RATE_LIMITED", message: expect.stringMatching(/^Too many attempts\. Please try again in \d+ (seconds?|minutes)\.$/) });
  expect(deviceSetCookie(r)).toBeUndefined();
};

/**
 * Better Auth logs each refused sign-in ("User not found", "Invalid password"): captured, and only
 * those (and the mailer's own lines: the mail that sign-ups and resets send is not what is tested here).
 */
const quietSignInLogs = () => {
  const warnings = captureConsole("warn");
  return () => {
    for (const line of warnings.lines()) expect(line).toMatch(/User not found|Invalid password|^mail: /);
  };
};

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

describe("a stranger's flood of wrong passwords", () => {
  it("locks unknown browsers out, never the owner's browser, which signs in at once", async () => {
    const quiet = quietSignInLogs();
    const a = app({}, LONG_LOCK);
    const email = await account(a);
    const owner = await ownersBrowser(a, email);

    expect(await flood(a, email)).toEqual(LOCKED_AFTER_FIVE);
    expectRateLimited(await a.post("/sign-in/email", { email, password: PASSWORD })); // the stranger, with the right password
    expectRateLimited(await new Browser(a).signIn(email, PASSWORD)); // a browser without the token

    const back = await owner.signIn(email, PASSWORD);
    expect(back.status).toBe(200);
    expect(back.cookie).toMatch(/session_token=/);
    // And it stays so while the flood goes on.
    expect(await flood(a, email, 3)).toEqual([429, 429, 429]);
    expect((await owner.signIn(email, PASSWORD)).status).toBe(200);
    quiet();
  });

  it("counts a forged, altered or other account's device token as unknown", async () => {
    const quiet = quietSignInLogs();
    const a = app({}, LONG_LOCK);
    const [email, other] = [await account(a), await account(a)];
    const owner = await ownersBrowser(a, email);
    const othersBrowser = await ownersBrowser(a, other);
    // A token signed with another secret, for the same email (an app with another BETTER_AUTH_SECRET).
    const foreign = new Browser(app({ BETTER_AUTH_SECRET: randomBytes(32).toString("base64url") }, LONG_LOCK));
    expect((await foreign.signIn(email, PASSWORD)).status).toBe(200);

    expect(await flood(a, email)).toEqual(LOCKED_AFTER_FIVE);
    const genuine = owner.device!;
    const [name, value] = [genuine.slice(0, genuine.indexOf("=")), genuine.slice(genuine.indexOf("=") + 1)];
    const altered = [0, Math.floor(value.length / 2), value.length - 1].map((i) => {
      const c = value[i] === "A" ? "B" : "A";
      return `${name}=${value.slice(0, i)}${c}${value.slice(i + 1)}`;
    });
    for (const cookie of [...altered, foreign.device!, othersBrowser.device!, `${name}=${value}${value}`, `${name}=`]) {
      expectRateLimited(await a.post("/sign-in/email", { email, password: PASSWORD }, cookie));
    }
    // The other account's own browser still signs in to it; the genuine token still works.
    expect((await othersBrowser.signIn(other, PASSWORD)).status).toBe(200);
    expect((await a.post("/sign-in/email", { email, password: PASSWORD }, genuine)).status).toBe(200);
    quiet();
  });
});

describe("a stranger's flood of wrong passwords: the same answer for every email", () => {
  it("answers the same 429 for an existing and an unknown email, whatever device token the browser holds", async () => {
    const quiet = quietSignInLogs();
    const a = app({}, LONG_LOCK);
    const existing = await account(a);
    const missing = newEmail();
    const holder = await ownersBrowser(a, await account(a)); // a valid token, for a third account
    for (const email of [existing, missing]) expect((await flood(a, email)).slice(0, 6)).toEqual([401, 401, 401, 401, 401, 429]);

    const comparable = (r: Answer) => ({ status: r.status, body: r.body, setCookies: r.setCookies });
    for (const cookie of [undefined, holder.cookie]) {
      let pair = [await a.post("/sign-in/email", { email: existing, password: WRONG }, cookie), await a.post("/sign-in/email", { email: missing, password: WRONG }, cookie)];
      // Both are computed a few milliseconds apart; retry if a second boundary fell between them.
      for (let i = 0; i < 3 && pair[0]!.body?.message !== pair[1]!.body?.message; i++) {
        pair = await Promise.all([a.post("/sign-in/email", { email: existing, password: WRONG }, cookie), a.post("/sign-in/email", { email: missing, password: WRONG }, cookie)]);
      }
      expectRateLimited(pair[0]!);
      expect(comparable(pair[0]!)).toEqual(comparable(pair[1]!));
    }
    quiet();
  }, 60_000);
});

describe("the owner's own device", () => {
  it("locks itself only with its wrong passwords; a success resets its counters", async () => {
    const quiet = quietSignInLogs();
    const a = app({}, SHORT_LOCK);
    const email = await account(a);
    const [laptop, phone] = [await ownersBrowser(a, email), await ownersBrowser(a, email)];
    const wrong = [];
    for (let i = 0; i < 6; i++) wrong.push((await laptop.signIn(email, WRONG)).status);
    expect(wrong).toEqual([401, 401, 401, 401, 401, 429]);
    expectRateLimited(await laptop.signIn(email, PASSWORD)); // locked, even with the right password

    // The laptop's failures are its own: the phone and an unknown browser still sign in.
    expect((await phone.signIn(email, PASSWORD)).status).toBe(200);
    expect((await new Browser(a).signIn(email, PASSWORD)).status).toBe(200);

    // Asked again until the lock has passed (a bounded poll; a refusal while locked changes nothing): then let in.
    await expect.poll(async () => (await laptop.signIn(email, PASSWORD)).status, { timeout: 5_000, interval: 100 }).toBe(200);
    // The success forgot the laptop's failures: five more wrong ones are 401 again, the sixth locks.
    const again = [];
    for (let i = 0; i < 6; i++) again.push((await laptop.signIn(email, WRONG)).status);
    expect(again).toEqual([401, 401, 401, 401, 401, 429]);
    quiet();
  });
});

describe("a successful password reset", () => {
  /**
   * Asks for a reset link for `email` and returns its token, read from Better Auth's row (the link
   * itself, mailed: mail/account-mail.integration.test.ts; the whole journey: e2e/tests/lockout.spec.ts).
   */
  async function resetToken(a: AuthApp, email: string): Promise<string> {
    expect((await a.post("/request-password-reset", { email, redirectTo: "/reset-password" })).status).toBe(200);
    const { rows } = await a.pool.query<{ identifier: string }>(
      `SELECT v.identifier FROM verification v JOIN "user" u ON v.value = u.id WHERE u.email = $1 AND v.identifier LIKE 'reset-password:%'`,
      [email],
    );
    expect(rows).toHaveLength(1);
    return rows[0]!.identifier.slice("reset-password:".length);
  }

  it("lifts every lock of the account at once: a new browser, the owner's locked device, a locked password check", async () => {
    const quiet = quietSignInLogs();
    const a = app({}, LONG_LOCK);
    const email = await account(a);
    const laptop = await ownersBrowser(a, email);
    // The current password checked wrong five times with the laptop's session: that check is locked too.
    const change = (currentPassword: string) => a.post("/change-password", { currentPassword, newPassword: "Another-Horse-7-staple" }, laptop.cookie);
    for (let i = 0; i < 5; i++) expect((await change(WRONG)).status).toBe(400);
    expectRateLimited(await change(PASSWORD));
    // The owner forgot the password: the laptop locks itself, and a stranger floods the account.
    for (let i = 0; i < 5; i++) expect((await laptop.signIn(email, WRONG)).status).toBe(401);
    expectRateLimited(await laptop.signIn(email, WRONG));
    expect(await flood(a, email)).toEqual(LOCKED_AFTER_FIVE);

    // A made-up token, or none, resets nothing and lifts nothing.
    const token = await resetToken(a, email);
    expect((await a.post("/reset-password", { token: `${token}x`, newPassword: NEW_PASSWORD })).status).toBe(400);
    expect((await a.post("/reset-password", { newPassword: NEW_PASSWORD })).status).toBe(400);
    expectRateLimited(await new Browser(a).signIn(email, PASSWORD));
    expectRateLimited(await laptop.signIn(email, PASSWORD));

    expect((await new Browser(a).post("/reset-password", { token, newPassword: NEW_PASSWORD })).status).toBe(200);
    const fresh = new Browser(a);
    expect((await fresh.signIn(email, NEW_PASSWORD)).status).toBe(200); // a new browser, at once
    expect((await laptop.signIn(email, NEW_PASSWORD)).status).toBe(200); // the locked device, at once
    expect((await a.post("/change-password", { currentPassword: NEW_PASSWORD, newPassword: "Another-Horse-7-staple" }, laptop.cookie)).status).toBe(200);
    quiet();
  }, 60_000);

  it("lifts it for the owner, then the stranger starts from nothing: five more failures lock unknown devices again", async () => {
    const quiet = quietSignInLogs();
    const a = app({}, LONG_LOCK);
    const email = await account(a);
    expect(await flood(a, email)).toEqual(LOCKED_AFTER_FIVE);
    // The token in the query, which Better Auth accepts too.
    const token = await resetToken(a, email);
    expect((await a.post(`/reset-password?token=${encodeURIComponent(token)}`, { newPassword: NEW_PASSWORD })).status).toBe(200);
    expect((await new Browser(a).signIn(email, NEW_PASSWORD)).status).toBe(200);
    expect(await flood(a, email)).toEqual(LOCKED_AFTER_FIVE);
    quiet();
  }, 60_000);
});
