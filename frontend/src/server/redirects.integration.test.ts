// Open redirects and bad input at /api/auth/*, written as the attacks, against the app's route as
// src/app/api/auth/[...all]/route.ts builds it (route handler + throttle + Better Auth) on the real TLS
// test database: every callbackURL / redirectTo / errorCallbackURL / newUserCallbackURL, in the query
// or a JSON body, must be on BETTER_AUTH_URL's origin (400 INVALID_REDIRECT otherwise, before Better
// Auth runs); the ones our pages send still work; and a token Better Auth cannot make sense of is a
// 4xx, never a 500. docs/security.md "Redirects"; the rule itself: src/lib/return-path.test.ts.
// Where auth-options.ts turns one of Better Auth's endpoints off, what happens past the check is
// asserted on Better Auth with that endpoint on (`shipped`): /verify-email and /change-email.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES } from "@/lib/error-codes";
import { type AuthApp, authApp } from "@/test/auth-app";
import { captureConsole } from "@/test/console-capture";
import { ensureMailCatcher } from "@/test/mail-catcher";
import { mintTestToken, signJws } from "../../../contracts/jwt/test-tokens";
import { authOptions } from "./auth-options";
import { authRouteHandler, REDIRECT_PARAMETERS } from "./auth-route";

if (!process.env.DATABASE_URL) {
  throw new Error(
    "redirects.integration needs DATABASE_URL (and the other test variables): run `npm test` from the repo root, or `source .dev/test-env.sh` first.",
  );
}

const PASSWORD = "Correct-Horse-9-battery";
const newEmail = () => `redirect-${randomUUID()}@example.test`;

const apps: AuthApp[] = [];
let stopCatcher: () => void = () => undefined;
beforeAll(async () => {
  stopCatcher = await ensureMailCatcher();
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  stopCatcher();
});

// The default mode: sign-up signs in at once (strict mode changes nothing here).
const main = authApp({ REQUIRE_EMAIL_VERIFICATION: "false" });
apps.push(main);
const base = main.env.BETTER_AUTH_URL;

/** Sends a request through `handle` as a browser on our origin would; what a test asserts on. */
async function through(handle: (r: Request) => Promise<Response>, method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await handle(new Request(`${base}/api/auth${path}`, { method, headers: { origin: base, ...headers }, body }));
  const raw = res.headers.getSetCookie().find((c) => c.includes("session_token=") && !/max-age=0/i.test(c));
  return { status: res.status, location: res.headers.get("location"), cookie: raw?.split(";")[0], body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

/** Better Auth with its own /verify-email and /change-email on, behind the app's route handler. */
const appOptions = authOptions(main.env, main.pool);
const shippedAuth = betterAuth({ ...appOptions, disabledPaths: [], user: { ...appOptions.user, changeEmail: { enabled: true } } });
const shippedHandle = authRouteHandler((r) => shippedAuth.handler(r), { publicUrl: base });
const shipped = {
  get: (path: string, cookie?: string) => through(shippedHandle, "GET", path, undefined, cookie ? { cookie } : {}),
  post: (path: string, body: unknown, cookie?: string) =>
    through(shippedHandle, "POST", path, JSON.stringify(body), { "content-type": "application/json", ...(cookie ? { cookie } : {}) }),
};

/** Targets on other origins, or that a browser or Better Auth would resolve to one. */
const FOREIGN = [
  "https://evil.example/",
  "//evil.example",
  "/.//evil.example",
  "/\\evil.example",
  "/%2e%2e//evil.example",
  "javascript:alert(1)",
  `${base}@evil.example/`,
];

const expectInvalidRedirect = (r: { status: number; body: Record<string, unknown> | null; location: string | null }, parameter: string) => {
  expect(r.status).toBe(400);
  expect(r.location).toBeNull();
  expect(r.body).toEqual({
    code: "INVALID_REDIRECT",
    message: ERROR_CODES.INVALID_REDIRECT,
    fields: [{ field: parameter, code: "INVALID_REDIRECT", message: ERROR_CODES.INVALID_REDIRECT }],
  });
};

const usersWith = async (email: string) => (await main.pool.query('SELECT 1 FROM "user" WHERE email = $1', [email])).rowCount;

async function signedUp(): Promise<{ email: string; cookie: string }> {
  const email = newEmail();
  const r = await main.post("/sign-up/email", { name: "Ada Lovelace", email, password: PASSWORD });
  expect(r.status).toBe(200);
  return { email, cookie: r.cookie! };
}

describe("GET /api/auth/verify-email?callbackURL=", () => {
  it("does not redirect to /.//evil.example (Better Auth 1.7.25 answered 302 Location: //evil.example?error=…), with no session at all", async () => {
    const r = await main.get("/verify-email?token=x&callbackURL=/.//evil.example");
    expectInvalidRedirect(r, "callbackURL");
    expect(r.cookie).toBeUndefined();
  });

  it.each(FOREIGN)("refuses the callback %j", async (target) => {
    expectInvalidRedirect(await main.get(`/verify-email?token=x&callbackURL=${encodeURIComponent(target)}`), "callbackURL");
  });

  it("refuses a foreign callback repeated after a good one", async () => {
    expectInvalidRedirect(await main.get("/verify-email?token=x&callbackURL=/dashboard&callbackURL=//evil.example"), "callbackURL");
  });

  it("keeps Better Auth's answer for a callback on our site: back to it with ?error=INVALID_TOKEN", async () => {
    const relative = await shipped.get("/verify-email?token=x&callbackURL=/dashboard");
    expect(relative.status).toBe(302);
    expect(relative.location).toBe("/dashboard?error=INVALID_TOKEN");
    const absolute = await shipped.get(`/verify-email?token=x&callbackURL=${encodeURIComponent(`${base}/settings/profile`)}`);
    expect(absolute.status).toBe(302);
    expect(absolute.location).toBe(`${base}/settings/profile?error=INVALID_TOKEN`);
  });
});

describe("a redirect target in a JSON body", () => {
  it.each(FOREIGN)("sign-up with the callback %j: 400, and no account is created", async (callbackURL) => {
    const email = newEmail();
    const r = await main.post("/sign-up/email", { name: "Ada Lovelace", email, password: PASSWORD, callbackURL });
    expectInvalidRedirect(r, "callbackURL");
    expect(r.cookie).toBeUndefined();
    expect(await usersWith(email)).toBe(0);
  });

  it("sign-up (and its alias /sign-up) with a callback on our site: created and signed in", async () => {
    for (const path of ["/sign-up/email", "/sign-up"]) {
      const email = newEmail();
      const r = await main.post(path, { name: "Ada Lovelace", email, password: PASSWORD, callbackURL: "/dashboard" });
      expect(r.status).toBe(200);
      expect(r.cookie).toMatch(/session_token=/);
      expect(await usersWith(email)).toBe(1);
    }
    const aliased = await main.post("/sign-up", { name: "Ada Lovelace", email: newEmail(), password: PASSWORD, callbackURL: "//evil.example" });
    expectInvalidRedirect(aliased, "callbackURL");
  });

  it("sign-in: a foreign callback (which Better Auth hands the client to navigate to) is refused before the password is checked", async () => {
    const { email } = await signedUp();
    for (const callbackURL of FOREIGN) {
      const r = await main.post("/sign-in/email", { email, password: PASSWORD, callbackURL });
      expectInvalidRedirect(r, "callbackURL");
      expect(r.cookie).toBeUndefined();
    }
    const ok = await main.post("/sign-in/email", { email, password: PASSWORD, callbackURL: "/dashboard" });
    expect(ok.status).toBe(200);
    expect(ok.cookie).toMatch(/session_token=/);
    expect(ok.body).toMatchObject({ redirect: true, url: "/dashboard" });
  });

  it("checks errorCallbackURL and newUserCallbackURL too, and names the parameter", async () => {
    const { email } = await signedUp();
    for (const name of ["errorCallbackURL", "newUserCallbackURL"]) {
      expectInvalidRedirect(await main.post("/sign-in/email", { email, password: PASSWORD, [name]: "//evil.example" }), name);
    }
    const ok = await main.post("/sign-in/email", { email, password: PASSWORD, errorCallbackURL: "/sign-in", newUserCallbackURL: `${base}/dashboard` });
    expect(ok.status).toBe(200);
  });
});

describe("a redirect target in a JSON body: the mail, email-change and deletion routes", () => {
  it("send-verification-email with a foreign callback: 400; with ours: 200", async () => {
    const { email } = await signedUp();
    expectInvalidRedirect(await main.post("/send-verification-email", { email, callbackURL: "/.//evil.example" }), "callbackURL");
    expect((await main.post("/send-verification-email", { email, callbackURL: "/dashboard" })).status).toBe(200);
  });

  it("request-password-reset with a foreign redirectTo: 400; with ours: 200", async () => {
    const { email } = await signedUp();
    expectInvalidRedirect(await main.post("/request-password-reset", { email, redirectTo: "https://evil.example/reset" }), "redirectTo");
    expect((await main.post("/request-password-reset", { email, redirectTo: "/reset-password" })).status).toBe(200);
  });

  it("change-email with a foreign callback: 400 and the address is unchanged; with ours: Better Auth's 200", async () => {
    const { email, cookie } = await signedUp();
    const newEmailAddress = newEmail();
    expectInvalidRedirect(await main.post("/change-email", { newEmail: newEmailAddress, callbackURL: "javascript:alert(1)" }, cookie), "callbackURL");
    expectInvalidRedirect(await shipped.post("/change-email", { newEmail: newEmailAddress, callbackURL: "javascript:alert(1)" }, cookie), "callbackURL");
    expect(await usersWith(email)).toBe(1);
    expect((await shipped.post("/change-email", { newEmail: newEmailAddress, callbackURL: "/settings/profile" }, cookie)).status).toBe(200);
  });

  it("delete-user with a foreign callback: 400 and the account stays; with ours: deleted", async () => {
    const { email, cookie } = await signedUp();
    expectInvalidRedirect(await main.post("/delete-user", { password: PASSWORD, callbackURL: `${base}@evil.example/` }, cookie), "callbackURL");
    expect(await usersWith(email)).toBe(1);
    expect((await main.post("/delete-user", { password: PASSWORD, callbackURL: "/" }, cookie)).status).toBe(200);
    expect(await usersWith(email)).toBe(0);
  });

  it.each([null, 42, ["/dashboard"], { href: "/dashboard" }, ""])("refuses a callback that is not a non-empty string: %j", async (callbackURL) => {
    const email = newEmail();
    expectInvalidRedirect(await main.post("/sign-up/email", { name: "Ada Lovelace", email, password: PASSWORD, callbackURL }), "callbackURL");
    expect(await usersWith(email)).toBe(0);
  });

  it("checks every one of the four parameters, in the query of a POST as well as in its body", async () => {
    expect(REDIRECT_PARAMETERS).toEqual(["callbackURL", "redirectTo", "errorCallbackURL", "newUserCallbackURL"]);
    for (const name of REDIRECT_PARAMETERS) {
      expectInvalidRedirect(await main.post(`/sign-in/email?${name}=${encodeURIComponent("//evil.example")}`, { email: newEmail(), password: PASSWORD }), name);
      expectInvalidRedirect(await main.post("/sign-in/email", { email: newEmail(), password: PASSWORD, [name]: "//evil.example" }), name);
    }
  });
});

describe("the route without a public URL", () => {
  // authRouteHandler's default: no absolute URL is ours, so only root-relative paths pass.
  const handle = authRouteHandler((r) => shippedAuth.handler(r));
  const verify = (callbackURL: string) => through(handle, "GET", `/verify-email?token=x&callbackURL=${encodeURIComponent(callbackURL)}`);

  it("accepts a root-relative callback and refuses even one on BETTER_AUTH_URL's origin", async () => {
    expect(await verify("/dashboard")).toMatchObject({ status: 302, location: "/dashboard?error=INVALID_TOKEN" });
    expectInvalidRedirect(await verify(`${base}/dashboard`), "callbackURL");
  });
});

describe("bodies other than a JSON object", () => {
  const signIn = (query: string, body: string, type: string) => through(shippedHandle, "POST", `/sign-in/email${query}`, body, { "content-type": type });
  const FORM = "application/x-www-form-urlencoded";

  it("a form (which sign-in and sign-up accept): every copy of each parameter is checked, as the query's are", async () => {
    const { email } = await signedUp();
    const form = (...extra: [string, string][]) => new URLSearchParams([["email", email], ["password", PASSWORD], ...extra]).toString();
    const refused = await signIn("", form(["callbackURL", "//evil.example"]), FORM);
    expectInvalidRedirect(refused, "callbackURL");
    expect(refused.cookie).toBeUndefined();
    const repeated = await signIn("", form(["redirectTo", "/dashboard"], ["redirectTo", "https://evil.example/"]), `${FORM}; charset=utf-8`);
    expectInvalidRedirect(repeated, "redirectTo");
    const ok = await signIn("", form(["callbackURL", "/dashboard"]), FORM);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ redirect: true, url: "/dashboard" });
  });

  it("not JSON, or JSON that is not an object: no parameters in it, the query still checked, and Better Auth refuses the body", async () => {
    expectInvalidRedirect(await signIn("?callbackURL=%2F%2Fevil.example", "not json", "application/json"), "callbackURL");
    const array = await signIn("", JSON.stringify([{ email: newEmail(), password: PASSWORD, callbackURL: "//evil.example" }]), "application/json");
    expect(array.status).toBe(400);
    expect(array.body).not.toMatchObject({ code: "INVALID_REDIRECT" });
    const text = await signIn("", "not json", "application/json");
    expect(text.status).toBe(400);
    expect(text.body).not.toMatchObject({ code: "INVALID_REDIRECT" });
  });
});

describe("a token Better Auth cannot make sense of, at GET /api/auth/verify-email", () => {
  const config = {
    secret: main.env.BETTER_AUTH_SECRET,
    issuer: main.env.BACKEND_JWT_ISSUER,
    audience: main.env.BACKEND_JWT_AUDIENCE,
    lifetimeSeconds: main.env.BACKEND_JWT_LIFETIME_SECONDS,
  };
  const now = () => Math.floor(Date.now() / 1000);
  const backendToken = () => mintTestToken({ config, userId: "usr_1", sessionId: "ses_1", iat: now() });

  it("the app: a backend token (same secret, typ at+jwt, no email claim) is a 4xx, never a 500", async () => {
    const errors = captureConsole("error");
    for (const query of [`token=${backendToken()}`, `token=${backendToken()}&callbackURL=/dashboard`]) {
      const r = await main.get(`/verify-email?${query}`);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.cookie).toBeUndefined();
    }
    expect(errors.lines()).toEqual([]); // nothing logged as an unexpected error
  });

  it("Better Auth's own endpoint: the same token fails its zod parse, which answers 400 VALIDATION_ERROR (Better Auth alone: 500), with or without a callback", async () => {
    const errors = captureConsole("error");
    for (const query of [`token=${backendToken()}`, `token=${backendToken()}&callbackURL=/dashboard`]) {
      const r = await shipped.get(`/verify-email?${query}`);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ code: "VALIDATION_ERROR", message: ERROR_CODES.VALIDATION_ERROR });
      expect(r.location).toBeNull();
      expect(r.cookie).toBeUndefined();
    }
    expect(errors.lines()).toEqual([]);
  });

  it("so does any token signed with our secret whose claims are malformed", async () => {
    const exp = now() + 600;
    for (const claims of [{ email: "not an email", exp }, { email: 42, exp }, { email: newEmail(), updateTo: 7, exp }]) {
      const token = signJws({ alg: "HS256", typ: "JWT" }, claims, main.env.BETTER_AUTH_SECRET);
      const r = await shipped.get(`/verify-email?token=${token}`);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: "VALIDATION_ERROR" });
    }
  });

  it("a token that does not verify at all keeps Better Auth's own answer (401 INVALID_TOKEN, or the callback with ?error=)", async () => {
    const other = signJws({ alg: "HS256", typ: "JWT" }, { email: newEmail(), exp: now() + 600 }, `${main.env.BETTER_AUTH_SECRET}-other`);
    const plain = await shipped.get(`/verify-email?token=${other}`);
    expect(plain.status).toBe(401);
    expect(plain.body).toMatchObject({ code: "INVALID_TOKEN" });
    expect((await shipped.get(`/verify-email?token=${other}&callbackURL=/dashboard`)).location).toBe("/dashboard?error=INVALID_TOKEN");
  });
});
