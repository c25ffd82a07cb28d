// Users, sessions and tokens for the bench and the fault scenarios, two ways:
// - straight into the database + a token from the contract's test minter (contracts/jwt/test-tokens.ts),
//   when only the backend runs;
// - through the real frontend (Better Auth sign-up/sign-in, then GET /api/auth/token), when it runs.
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import { mintTestToken } from "../../../contracts/jwt/test-tokens.ts";
import { type HttpAnswer, send } from "./http-client.ts";

/** A pg client for the app database in env (TLS verified against DATABASE_CA_CERT). */
export async function appDb(env: Record<string, string>): Promise<pg.Client> {
  const u = new URL(env.DATABASE_URL);
  const client = new pg.Client({
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)),
    ssl: env.DATABASE_CA_CERT ? { ca: fs.readFileSync(env.DATABASE_CA_CERT, "utf8"), rejectUnauthorized: true } : undefined,
    connectionTimeoutMillis: 10_000,
  });
  await client.connect();
  return client;
}

export interface Account {
  userId: string;
  sessionId: string;
  email: string;
}

/** A user and one live session, as Better Auth writes them. */
export async function insertAccount(db: pg.Client, label: string): Promise<Account> {
  const userId = `${label}_${randomUUID().replaceAll("-", "")}`;
  const sessionId = `${label}_s_${randomUUID().replaceAll("-", "")}`;
  const email = `${userId}@bench.invalid`;
  await db.query('INSERT INTO "user" (id, name, email) VALUES ($1, $2, $3)', [userId, label, email]);
  await db.query("INSERT INTO session (id, expires_at, token, user_id) VALUES ($1, now() + interval '1 day', $2, $3)", [
    sessionId,
    randomBytes(24).toString("base64url"),
    userId,
  ]);
  return { userId, sessionId, email };
}

/** The backend token exactly as packages/better-auth/src/issuer.ts issues it (the contract's test minter). */
export function mintToken(env: Record<string, string>, userId: string, sessionId: string, now = Date.now()): string {
  const config = {
    secret: env.BETTER_AUTH_SECRET,
    issuer: env.BACKEND_JWT_ISSUER ?? "authbridge-frontend",
    audience: env.BACKEND_JWT_AUDIENCE ?? "authbridge-backend",
    lifetimeSeconds: Number(env.BACKEND_JWT_LIFETIME_SECONDS ?? 2592000),
  };
  return mintTestToken({ config, userId, sessionId, iat: Math.floor(now / 1000) });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * A distinct client address per simulated user, sent as X-Forwarded-For. The frontend trusts no
 * client-sent address header by default (`advanced.ipAddress` in frontend/src/server/auth-options.ts);
 * the bench and fault worlds set AUTH_TRUSTED_IP_HEADER=x-forwarded-for, so a load test from one
 * machine stands for many users behind a proxy, each with its own rate-limit bucket.
 */
export function clientIp(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${(i & 255) || 1}`;
}

/** A password that passes the composition policy and is not a common one. */
export const PASSWORD = "Bench-Pass-4fK9q2";

export interface SignedIn {
  answer: HttpAnswer;
  cookie: string | null;
}

/** name=value pairs of every Set-Cookie, as a Cookie header. */
export function cookieOf(a: HttpAnswer): string | null {
  const set = a.headers["set-cookie"] ?? [];
  const pairs = set.map((c) => c.split(";", 1)[0]).filter((p) => p && !p.endsWith("="));
  return pairs.length ? pairs.join("; ") : null;
}

function authHeaders(frontendUrl: string, ip: string, cookie?: string): Record<string, string> {
  return { origin: frontendUrl, "x-forwarded-for": ip, ...(cookie ? { cookie } : {}) };
}

export async function signUp(frontendUrl: string, email: string, ip: string, password = PASSWORD, name = "Bench User"): Promise<SignedIn> {
  const answer = await send({
    method: "POST",
    url: `${frontendUrl}/api/auth/sign-up/email`,
    headers: authHeaders(frontendUrl, ip),
    json: { name, email, password },
  });
  return { answer, cookie: cookieOf(answer) };
}

export async function signIn(frontendUrl: string, email: string, ip: string, password = PASSWORD): Promise<SignedIn> {
  const answer = await send({
    method: "POST",
    url: `${frontendUrl}/api/auth/sign-in/email`,
    headers: authHeaders(frontendUrl, ip),
    json: { email, password },
  });
  return { answer, cookie: cookieOf(answer) };
}

/** GET /api/auth/token with a session cookie → the backend token, or an Error naming the answer. */
export async function backendToken(frontendUrl: string, cookie: string, ip = "10.0.0.1"): Promise<string> {
  const a = await send({ url: `${frontendUrl}/api/auth/token`, headers: authHeaders(frontendUrl, ip, cookie) });
  if (a.status !== 200) throw new Error(`GET /api/auth/token answered ${a.status}: ${a.body.slice(0, 200)}`);
  const token = (JSON.parse(a.body) as { token?: string }).token;
  if (!token) throw new Error("GET /api/auth/token answered without a token");
  return token;
}

/** Better Auth's sign-out-everywhere (deletes every session of the user). */
export function revokeSessions(frontendUrl: string, cookie: string, ip = "10.0.0.1"): Promise<HttpAnswer> {
  return send({ method: "POST", url: `${frontendUrl}/api/auth/revoke-sessions`, headers: authHeaders(frontendUrl, ip, cookie), json: {} });
}

/** Better Auth's sign-out (deletes this session). */
export function signOut(frontendUrl: string, cookie: string, ip = "10.0.0.1"): Promise<HttpAnswer> {
  return send({ method: "POST", url: `${frontendUrl}/api/auth/sign-out`, headers: authHeaders(frontendUrl, ip, cookie), json: {} });
}

/** Better Auth's change-password (the frontend forces revokeOtherSessions: every session is replaced). */
export function changePassword(frontendUrl: string, cookie: string, newPassword: string, ip = "10.0.0.1"): Promise<HttpAnswer> {
  return send({
    method: "POST",
    url: `${frontendUrl}/api/auth/change-password`,
    headers: authHeaders(frontendUrl, ip, cookie),
    json: { currentPassword: PASSWORD, newPassword, revokeOtherSessions: true },
  });
}

/** A fresh unique address for sign-up. */
export const uniqueEmail = (tag: string) => `${tag}-${randomBytes(6).toString("hex")}@bench.invalid`;
