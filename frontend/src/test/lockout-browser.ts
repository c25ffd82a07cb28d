// The app's /api/auth/* driven as browsers do, for the lock-out tests (src/server/lockout.integration.test.ts,
// src/server/device-token.integration.test.ts): a browser that keeps its cookies, the owner's signed-in browser,
// a stranger's flood of wrong passwords, and what a refusal looks like.
import { randomUUID } from "node:crypto";
import { afterAll, expect } from "vitest";
import type { ThrottleSettings } from "@/server/throttle-settings";
import { type Answer, type AuthApp, authApp } from "./auth-app";
import { captureConsole } from "./console-capture";

export const PASSWORD = "Correct-Horse-9-battery";
export const WRONG = "Wrong-Horse-9-battery";
export const NEW_PASSWORD = "Brand-New-Horse-8-staple";
export const newEmail = () => `lockout-${randomUUID()}@example.test`;
/** A lock that lasts the whole test: whatever is refused is refused by the lock, not by its end. */
export const LONG_LOCK: Partial<ThrottleSettings> = { lock: { afterFailures: 5, baseSeconds: 600, maxSeconds: 600, memorySeconds: 60 } };
/** A lock short enough to wait for. */
export const SHORT_LOCK: Partial<ThrottleSettings> = { lock: { afterFailures: 5, baseSeconds: 1, maxSeconds: 1, memorySeconds: 60 } };

const apps: AuthApp[] = [];
export const app = (...args: Parameters<typeof authApp>) => {
  const a = authApp(...args);
  apps.push(a);
  return a;
};

afterAll(() => Promise.all(apps.map((a) => a.close())));

const DEVICE_COOKIE = /^(__Host-)?authbridge\.device=/;
/** The device cookie an answer sets, whole (with its attributes), if any. */
export const deviceSetCookie = (a: Answer) => a.setCookies.find((c) => DEVICE_COOKIE.test(c));

/** A browser: a cookie jar that keeps what answers set and sends it back. */
export class Browser {
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
export async function ownersBrowser(a: AuthApp, email: string): Promise<Browser> {
  const browser = new Browser(a);
  expect((await browser.signIn(email, PASSWORD)).status).toBe(200);
  expect(browser.device).toBeDefined();
  return browser;
}

/** A new account (the sign-up's own cookies are dropped: a test decides which browser holds what). */
export async function account(a: AuthApp): Promise<string> {
  const email = newEmail();
  expect((await a.post("/sign-up/email", { name: "Owner", email, password: PASSWORD })).status).toBe(200);
  return email;
}

/**
 * A stranger's flood: `attempts` wrong passwords for `email`, each from a new browser (no cookies);
 * the statuses. Well past the lock, so every later attempt meets it.
 */
export async function flood(a: AuthApp, email: string, attempts = 12): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < attempts; i++) statuses.push((await a.post("/sign-in/email", { email, password: WRONG })).status);
  return statuses;
}
export const LOCKED_AFTER_FIVE = [...Array(5).fill(401), ...Array(7).fill(429)];

export const expectRateLimited = (r: Answer) => {
  expect(r.status).toBe(429);
  expect(r.body).toEqual({ code: "RATE_LIMITED", message: expect.stringMatching(/^Too many attempts\. Please try again in \d+ (seconds?|minutes)\.$/) });
  expect(deviceSetCookie(r)).toBeUndefined();
};

/**
 * Better Auth logs each refused sign-in ("User not found", "Invalid password"): captured, and only
 * those (and the mailer's own lines: the mail that sign-ups and resets send is not what is tested here).
 */
export const quietSignInLogs = () => {
  const warnings = captureConsole("warn");
  return () => {
    for (const line of warnings.lines()) expect(line).toMatch(/User not found|Invalid password|^mail: /);
  };
};
