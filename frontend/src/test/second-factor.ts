// Test helpers for two-step sign-in and passkeys: a browser (the app's /api/auth/* with a cookie jar),
// an account enrolled in two-step sign-in, and authenticator codes computed by otplib, a TOTP
// (RFC 6238) implementation of its own, from the secret the enrolment's otpauth:// URI shows.
import { randomUUID } from "node:crypto";
import { generate } from "otplib";
import { expect } from "vitest";
import type { Answer, AuthApp } from "./auth-app";
import { CookieJar } from "./local-idp";

export const PASSWORD = "Correct-Horse-9-battery";
export const WRONG_PASSWORD = "Wrong-Horse-1-battery";
const newEmail = (prefix = "second-factor") => `${prefix}-${randomUUID()}@example.test`;

/** One browser: every answer's cookies kept for the next request, as a browser keeps them. */
export class Browser {
  readonly jar = new CookieJar();
  constructor(readonly app: AuthApp) {}

  async post(path: string, body: unknown = {}): Promise<Answer> {
    const answer = await this.app.post(path, body, this.jar.header() || undefined);
    this.jar.take(answer.setCookies);
    return answer;
  }

  async get(path: string): Promise<Answer> {
    const answer = await this.app.get(path, this.jar.header() || undefined);
    this.jar.take(answer.setCookies);
    return answer;
  }

  /** The value of the cookie whose name ends with `suffix` (`session_token`, `two_factor`, `trust_device`), if held. */
  cookie(suffix: string): string | undefined {
    const pair = this.jar
      .header()
      .split("; ")
      .find((p) => p.slice(0, p.indexOf("=")).endsWith(suffix));
    return pair?.slice(pair.indexOf("=") + 1);
  }

  /** The session token this browser holds (Better Auth's cookie is `<token>.<signature>`), if any. */
  sessionToken(): string | undefined {
    const value = this.cookie("session_token");
    return value ? decodeURIComponent(value).split(".")[0] : undefined;
  }
}

/** A new account signed in in `browser` (the default mode: sign-up signs in). */
export async function signUp(browser: Browser, email = newEmail()): Promise<{ email: string; userId: string }> {
  const answer = await browser.post("/sign-up/email", { name: "Ada Lovelace", email, password: PASSWORD });
  expect(answer.status).toBe(200);
  return { email, userId: String((answer.body!.user as { id: string }).id) };
}

/** The base32 secret of an otpauth:// URI. */
const secretOf = (totpURI: string) => new URL(totpURI).searchParams.get("secret")!;

/** The code an authenticator app shows `steps` periods of 30 s from now (Better Auth accepts -1, 0 and +1). */
export const codeAt = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

export interface Enrolled {
  email: string;
  userId: string;
  secret: string;
  backupCodes: string[];
}

/** A new account with two-step sign-in on (password, then the first code), signed in in `browser`. */
export async function enrolledAccount(browser: Browser, email = newEmail()): Promise<Enrolled> {
  const { userId } = await signUp(browser, email);
  const started = await browser.post("/two-factor/enable", { password: PASSWORD });
  expect(started.status).toBe(200);
  const secret = secretOf(String(started.body!.totpURI));
  const backupCodes = started.body!.backupCodes as string[];
  const confirmed = await browser.post("/two-factor/verify-totp", { code: await codeAt(secret, -1) });
  expect(confirmed.status).toBe(200);
  return { email, userId, secret, backupCodes };
}

/** The first step of a sign-in with the password, in a fresh browser: it waits for the code. */
export async function pendingSignIn(app: AuthApp, email: string): Promise<{ browser: Browser; answer: Answer }> {
  const browser = new Browser(app);
  const answer = await browser.post("/sign-in/email", { email, password: PASSWORD });
  return { browser, answer };
}
