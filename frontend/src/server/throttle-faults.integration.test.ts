// The throttle (throttle.ts, throttle-store.ts) when its bookkeeping meets a fault, on the real (TLS)
// test database, with the real Better Auth behind the app's route handler: an attempt that Better Auth
// could not finish is un-counted, a counter write that fails after the answer costs the user nothing,
// and a cleanup the database refuses is only logged. Faults come from a TCP proxy that cuts the
// database (test/tcp-proxy.ts) or from the database itself, never from mocks.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import type { Pool } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseServerEnv } from "@/config/env-schema";
import { resolveFromRepoRoot } from "@/config/repo-root";
import { captureConsole } from "@/test/console-capture";
import { ensureMailCatcher, SMTP_URL } from "@/test/mail-catcher";
import { startTcpProxy, type TcpProxy } from "@/test/tcp-proxy";
import { authOptions } from "./auth-options";
import { authRouteHandler } from "./auth-route";
import { createPool, poolConfigFor } from "./db";
import { authThrottle, type ThrottledAuth } from "./throttle";
import { createThrottleStore, throttleKeys } from "./throttle-store";

if (!process.env.DATABASE_URL) {
  throw new Error(
    "throttle-faults.integration needs DATABASE_URL (and the other test variables): run `npm test` from the repo root, or `source .dev/test-env.sh` first.",
  );
}

// Email verification off: users here sign in at once; sign-up mail goes into the test catcher.
const env = parseServerEnv({ ...process.env, SMTP_URL, REQUIRE_EMAIL_VERIFICATION: "false" });
const caCert = env.DATABASE_CA_CERT ? resolveFromRepoRoot(env.DATABASE_CA_CERT) : undefined;
const base = env.BETTER_AUTH_URL;
const PASSWORD = "Correct-Horse-9-battery";
const WRONG = "Wrong-Horse-9-battery";
const newEmail = () => `throttle-faults-${randomUUID()}@example.test`;
const accountKey = (email: string) => throttleKeys(env.BETTER_AUTH_SECRET)("sign-in-account", email);

const pools: Pool[] = [];
const newPool = (databaseUrl = env.DATABASE_URL) => {
  const pool = createPool(poolConfigFor(databaseUrl, caCert));
  pools.push(pool);
  return pool;
};
const direct = newPool();
let proxy: TcpProxy;
let stopCatcher: () => void = () => undefined;
beforeAll(async () => {
  stopCatcher = await ensureMailCatcher();
  const target = new URL(env.DATABASE_URL);
  proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
});
afterAll(async () => {
  // The pools end before the proxy goes, so no idle connection is cut under them later.
  await Promise.all(pools.map((p) => p.end()));
  await proxy.close();
  stopCatcher();
});

const throughProxy = () => {
  const url = new URL(env.DATABASE_URL);
  url.port = String(proxy.port);
  return url.toString();
};

/** The app's /api/auth/* with Better Auth and the throttle's counters each on a pool of the test's choice. */
function app(auth: ThrottledAuth, countersPool: Pool) {
  const handle = authRouteHandler(authThrottle(auth, countersPool, env));
  return async (path: string, body: unknown) => {
    const res = await handle(
      new Request(`${base}/api/auth${path}`, {
        method: "POST",
        headers: { origin: base, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };
}

const signUp = async (post: ReturnType<typeof app>) => {
  const email = newEmail();
  expect((await post("/sign-up/email", { name: "Faulty", email, password: PASSWORD })).status).toBe(200);
  return email;
};

const hitsOf = async (key: string) => (await direct.query<{ hits: number }>("SELECT hits FROM auth_throttle WHERE key = $1", [key])).rows[0]?.hits;

describe("a sign-in attempt", () => {
  it("that Better Auth could not finish (its database went away, the counters' did not) is un-counted and answers 503", async () => {
    const warnings = captureConsole("warn");
    const errors = captureConsole("error");
    const post = app(betterAuth(authOptions(env, newPool(throughProxy()))), direct);
    const email = await signUp(post);
    for (let i = 0; i < 2; i++) expect((await post("/sign-in/email", { email, password: WRONG })).status).toBe(401);
    expect(await hitsOf(accountKey(email))).toBe(2);

    await proxy.cut();
    const during = await post("/sign-in/email", { email, password: PASSWORD });
    await proxy.restore();
    expect(during.status).toBe(503);
    expect(during.body).toMatchObject({ code: "DATABASE_UNAVAILABLE" });
    // Counted before it ran, taken back when it failed: two failures still, not three.
    expect(await hitsOf(accountKey(email))).toBe(2);
    expect((await post("/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
    expect(await hitsOf(accountKey(email))).toBeUndefined(); // a success forgets the failures

    expect(warnings.lines()).toContain("auth: database unavailable on /api/auth/sign-in/email");
    // A wrong password's security event is written after its answer (security-events/record.ts): the cut may lose it, logged.
    for (const line of warnings.lines()) expect(line).toMatch(/Invalid password|^auth: database unavailable on |^database: idle connection lost|^security events: could not record sign-in-failed /);
    for (const line of errors.lines()) expect(line).toMatch(/INTERNAL_SERVER_ERROR|ECONNREFUSED/);
  });

  it("whose success cannot be recorded (the counters' database went away after the answer) still signs the user in, and says so in the log", async () => {
    const warnings = captureConsole("warn");
    const auth = betterAuth(authOptions(env, direct));
    const countersPool = newPool(throughProxy());
    const email = await signUp(app(auth, direct));
    // The counters' database goes away while Better Auth answers, after the attempt was counted.
    const cutAfterAnswer: ThrottledAuth = {
      api: auth.api,
      options: auth.options,
      $context: auth.$context,
      handler: async (request) => {
        const response = await auth.handler(request);
        await proxy.cut();
        return response;
      },
    };
    const answer = await app(cutAfterAnswer, countersPool)("/sign-in/email", { email, password: PASSWORD });
    await proxy.restore();
    expect(answer.status).toBe(200);
    expect(answer.headers.getSetCookie().some((c) => c.includes("session_token="))).toBe(true);
    expect(answer.body).toMatchObject({ user: { email } });
    // The cause: the connection the cut dropped (if the pool handed it out before it saw the close), or the refused new one.
    const unrecorded = /^auth throttle: could not record a success \((Connection terminated unexpectedly|ECONNREFUSED)\)$/;
    expect(warnings.lines().filter((line) => unrecorded.test(line))).toHaveLength(1);
    for (const line of warnings.lines()) expect(line).toMatch(new RegExp(`${unrecorded.source}|^database: idle connection lost`));
    // The success was not recorded: the attempt stays counted until the next success or its memory ends.
    expect(await hitsOf(accountKey(email))).toBe(1);
  });
});

describe("a sign-in attempt with an email that is not an address", () => {
  it("with an email that is not an address is refused 400 INVALID_EMAIL before anything is counted or asked of Better Auth", async () => {
    const warnings = captureConsole("warn");
    const post = app(betterAuth(authOptions(env, direct)), direct);
    const answer = await post("/sign-in/email", { email: "not-an-address", password: PASSWORD });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      code: "INVALID_EMAIL",
      message: "Invalid email",
      fields: [{ field: "email", code: "INVALID_EMAIL", message: "Invalid email" }],
    });
    expect(await hitsOf(accountKey("not-an-address"))).toBeUndefined();
    expect(warnings.lines()).toEqual([]); // Better Auth, which logs each refused sign-in, never saw it
  });
});

describe("the counters' cleanup", () => {
  it("that the database refuses is logged, and the counting call it rode on answers as usual", async () => {
    const warnings = captureConsole("warn");
    // A batch size PostgreSQL refuses (LIMIT -1: SQLSTATE 2201W), so the background delete fails.
    const store = createThrottleStore(direct, { everySeconds: 0, batch: -1 });
    const key = throttleKeys(env.BETTER_AUTH_SECRET)("cleanup-fault-test", randomUUID());
    expect(await store.hit(key, { limit: 1, seconds: 60 })).toEqual({ allowed: true });
    await expect.poll(() => warnings.lines(), { timeout: 5_000 }).toEqual(["auth throttle: cleanup failed (2201W)"]);
    expect(await hitsOf(key)).toBe(1);
    await direct.query("DELETE FROM auth_throttle WHERE key = $1", [key]);
  });
});
