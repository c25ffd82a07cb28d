// /api/auth/* under faults and abuse, on the real (TLS) test database: the database going
// away and coming back, the duplicate sign-up race, and the pool's timeout policy (the throttle,
// which answers 429, has its own: throttle.integration.test.ts). The database is cut with a TCP proxy (no mocks).
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import net from "node:net";
import { betterAuth } from "better-auth";
import type { Pool } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseServerEnv } from "@/config/env-schema";
import { resolveFromRepoRoot } from "@/config/repo-root";
import { captureConsole } from "@/test/console-capture";
import { ensureMailCatcher } from "@/test/mail-catcher";
import { startTcpProxy, type TcpProxy } from "@/test/tcp-proxy";
import { authOptions } from "./auth-options";
import { authRouteHandler } from "./auth-route";
import { createPool, observedPool, poolConfigFor } from "./db";
import { collectDatabaseErrors } from "./db-errors";
import { CONNECT_TIMEOUT_MS, STATEMENT_TIMEOUT_MS } from "./db-policy";

if (!process.env.DATABASE_URL) {
  throw new Error(
    "auth-route.integration needs DATABASE_URL (and the other test variables): run `npm test` from the repo root, or `source .dev/test-env.sh` first.",
  );
}

const baseEnv = parseServerEnv(process.env);
const caCert = baseEnv.DATABASE_CA_CERT ? resolveFromRepoRoot(baseEnv.DATABASE_CA_CERT) : undefined;
const base = baseEnv.BETTER_AUTH_URL;
const PASSWORD = "Correct-Horse-9-battery";
const newEmail = () => `route-${randomUUID()}@example.test`;
let nextIp = 1;
/** A fresh client address per call (for instances that trust X-Forwarded-For). */
const freshIp = () => `198.51.100.${nextIp++}`;

const pools: Pool[] = [];
// Every sign-up mails a confirmation link: into the test catcher, so a test's captured console holds only what it provoked.
let stopCatcher: () => void = () => undefined;
beforeAll(async () => {
  stopCatcher = await ensureMailCatcher();
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  stopCatcher();
});

/** Better Auth as the app builds it, behind the app's route handler, on a database URL of our choice. */
function app(overrides: Record<string, string> = {}, databaseUrl = baseEnv.DATABASE_URL) {
  // Email verification off: users here sign in at once (the verification flow: account-mail.integration.test.ts).
  const env = parseServerEnv({ ...process.env, REQUIRE_EMAIL_VERIFICATION: "false", ...overrides });
  const pool = createPool(poolConfigFor(databaseUrl, caCert));
  pools.push(pool);
  const auth = betterAuth(authOptions(env, pool));
  const handle = authRouteHandler((r) => auth.handler(r));
  return async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await handle(
      new Request(`${base}/api/auth${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: base, ...headers },
        body: JSON.stringify(body),
      }),
    );
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: (text ? JSON.parse(text) : null) as Record<string, unknown> | null };
  };
}

const viaPort = (port: number) => {
  const url = new URL(baseEnv.DATABASE_URL);
  url.port = String(port);
  return url.toString();
};

// Better Auth's own limiter is off (auth-options.ts) and app() has no throttle in front: nothing here is limited.
const OPEN_LIMITS = { AUTH_TRUSTED_IP_HEADER: "x-forwarded-for" };

function expectDatabaseUnavailable(r: { status: number; headers: Headers; body: Record<string, unknown> | null; text: string }) {
  expect(r.status).toBe(503);
  expect(r.headers.get("retry-after")).toBe("5");
  expect(r.body).toEqual({ code: "DATABASE_UNAVAILABLE", message: "Accounts are temporarily unavailable (database unreachable). Please try again in a few seconds." });
  expect(r.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|localhost|\bat \w+ \(/);
}

describe("database unavailable", () => {
  let proxy: TcpProxy;
  let firstPool = 0;
  beforeAll(async () => {
    firstPool = pools.length;
    const target = new URL(baseEnv.DATABASE_URL);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  });
  afterAll(async () => {
    // This block's pools end before the proxy goes, so no idle connection is cut under them later.
    await Promise.all(pools.splice(firstPool).map((p) => p.end()));
    await proxy.close();
  });

  it("answers sign-in and sign-up 503 DATABASE_UNAVAILABLE + Retry-After while it is down, and recovers without a restart", async () => {
    const warnings = captureConsole("warn");
    const post = app(OPEN_LIMITS, viaPort(proxy.port));
    const email = newEmail();
    const ip = { "x-forwarded-for": freshIp() };
    expect((await post("/sign-up/email", { name: "Before", email, password: PASSWORD }, ip)).status).toBe(200);

    await proxy.cut(); // open connections dropped, new ones refused
    const t0 = performance.now();
    expectDatabaseUnavailable(await post("/sign-in/email", { email, password: PASSWORD }, ip));
    expectDatabaseUnavailable(await post("/sign-up/email", { name: "During", email: newEmail(), password: PASSWORD }, ip));
    expect(performance.now() - t0).toBeLessThan(5_000); // retries are bounded (~1 s each)

    await proxy.restore();
    const again = await post("/sign-in/email", { email, password: PASSWORD }, ip);
    expect(again.status).toBe(200);
    // Logged once per refused request (the path, never a host or credential); the cut may also
    // drop an idle connection, which the pool logs, and keep a confirmation mail from counting
    // against its recipient's budget, which the mailer logs (it is not sent then).
    expect(warnings.lines()).toEqual(
      expect.arrayContaining(["auth: database unavailable on /api/auth/sign-in/email", "auth: database unavailable on /api/auth/sign-up/email"]),
    );
    for (const line of warnings.lines()) {
      expect(line).toMatch(/^(auth: database unavailable on \/api\/auth\/sign-(in|up)\/email|database: idle connection lost \(.+\)|mail: .+ not sent: its budget could not be counted \(.+\))$/);
    }
  });

  it("answers 503 when the database port is closed from the start", async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const warnings = captureConsole("warn");
    const post = app(OPEN_LIMITS, viaPort(closed));
    expectDatabaseUnavailable(await post("/sign-up/email", { name: "Nobody", email: newEmail(), password: PASSWORD }, { "x-forwarded-for": freshIp() }));
    expect(warnings.lines()).toEqual(["auth: database unavailable on /api/auth/sign-up/email"]);
  });
});

describe("duplicate sign-up race", () => {
  it("50 concurrent sign-ups with one email: one user, 49 × the same refusal as a sequential duplicate", async () => {
    const errors = captureConsole("error");
    const post = app(OPEN_LIMITS);
    const email = newEmail();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => post("/sign-up/email", { name: `Racer ${i}`, email, password: PASSWORD }, { "x-forwarded-for": freshIp() })),
    );
    const sequential = await post("/sign-up/email", { name: "Late", email, password: PASSWORD }, { "x-forwarded-for": freshIp() });
    expect(sequential.status).toBe(422);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    const refusals = answers.filter((a) => a.status !== 200);
    expect(refusals.map((a) => a.status)).toEqual(Array(49).fill(422));
    for (const r of refusals) expect(r.body).toEqual(sequential.body);
    expect(sequential.body).toEqual({ code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL", message: "User already exists. Use another email." });
    const db = createPool(poolConfigFor(baseEnv.DATABASE_URL, caCert));
    pools.push(db);
    const { rows } = await db.query<{ n: string }>('select count(*) as n from "user" where email = $1', [email]);
    expect(rows[0]?.n).toBe("1");
    // Better Auth logs each insert that lost the race (how many depends on timing), and nothing else.
    for (const line of errors.lines()) expect(line).toContain("Failed to create user");
  }, 60_000);
});

describe("pool timeout policy", () => {
  it("sets the statement timeout on every connection, without a startup parameter", async () => {
    const config = poolConfigFor(baseEnv.DATABASE_URL, caCert);
    expect(config).toMatchObject({ connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true });
    expect(config).not.toHaveProperty("statement_timeout"); // PgBouncer refuses it in the startup packet
    const pool = createPool(config);
    pools.push(pool);
    const clients = await Promise.all([pool.connect(), pool.connect()]);
    for (const c of clients) expect((await c.query("show statement_timeout")).rows[0].statement_timeout).toBe(`${STATEMENT_TIMEOUT_MS / 1000}s`);
    clients.forEach((c) => c.release());
  });

  it("retries a failing connect a bounded number of times, with backoff", async () => {
    // A server that accepts and hangs up at once: a transient failure.
    let accepted = 0;
    const flaky = net.createServer((s) => {
      accepted++;
      s.destroy();
    });
    await new Promise<void>((r) => flaky.listen(0, "127.0.0.1", r));
    const pool = createPool(poolConfigFor(viaPort((flaky.address() as net.AddressInfo).port), caCert));
    pools.push(pool);
    const errors: unknown[] = [];
    const t0 = performance.now();
    await expect(collectDatabaseErrors(errors, () => observedPool(pool).connect())).rejects.toThrow();
    const ms = performance.now() - t0;
    flaky.close();
    expect(accepted).toBe(3);
    expect(ms).toBeGreaterThanOrEqual(1_000 - 50); // 250 + 750 ms of backoff
    expect(ms).toBeLessThan(3_000);
    expect(errors).toHaveLength(1); // the request records the final failure
  });

  it("never retries refused credentials", async () => {
    const target = new URL(baseEnv.DATABASE_URL);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const url = new URL(viaPort(proxy.port));
    url.password = "wrong-password";
    const pool = createPool(poolConfigFor(url.toString(), caCert));
    pools.push(pool);
    await expect(observedPool(pool).connect()).rejects.toMatchObject({ code: "28P01" });
    await proxy.close();
    expect(proxy.accepted).toBe(1);
  });
});
