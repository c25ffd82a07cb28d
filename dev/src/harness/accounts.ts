// Users, sessions and tokens for the bench and the fault scenarios, two ways:
// - straight into the database + a token minted here by the contract (docs/jwt-contract.md), when
//   only the backend runs;
// - through the real frontend (Better Auth sign-up/sign-in, then GET /api/auth/token), when it runs.
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import { type HttpAnswer, send } from "./http-load.ts";

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

const b64url = (s: string | Buffer) => Buffer.from(s).toString("base64url");

/** The backend token exactly as frontend/src/server/jwt-issuer.ts issues it. */
export function mintToken(env: Record<string, string>, userId: string, sessionId: string, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const header = { alg: "HS256", typ: "at+jwt" };
  const claims = {
    iss: env.BACKEND_JWT_ISSUER ?? "authbridge-frontend",
    sub: userId,
    aud: env.BACKEND_JWT_AUDIENCE ?? "authbridge-backend",
    iat,
    exp: iat + Number(env.BACKEND_JWT_LIFETIME_SECONDS ?? 2592000),
    jti: randomBytes(16).toString("base64url"),
    sid: sessionId,
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const sig = createHmac("sha256", Buffer.from(env.BETTER_AUTH_SECRET, "utf8")).update(input).digest("base64url");
  return `${input}.${sig}`;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * A distinct client address per simulated user. Better Auth's per-IP rate limit reads X-Forwarded-For
 * (its default `ipAddressHeaders`); a load test from one machine stands for many users behind a proxy.
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

/** A fresh unique address for sign-up. */
export const uniqueEmail = (tag: string) => `${tag}-${randomBytes(6).toString("hex")}@bench.invalid`;
