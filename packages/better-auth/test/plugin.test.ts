// The plugin and the server helpers inside a real Better Auth instance (its memory adapter: no database
// to provision, so `npm run compat` runs this file against each Better Auth version it checks). The app's
// integration tests cover the same endpoint on PostgreSQL through the whole auth route.
import { betterAuth, type BetterAuthPlugin } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { decodeJwt, jwtVerify } from "jose";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  backendToken,
  backendTokenFor,
  backendTokenForSession,
  type BackendTokenOptions,
  type BackendTokenResponse,
  CLAIM_ORDER,
  type IssuedBackendToken,
  REQUIRED_CLAIMS,
  resolveBackendTokenOptions,
} from "@authbridge/better-auth";

const SECRET = "plugin-test-secret-of-more-than-32-bytes-0123456789";
const BASE_URL = "http://localhost:3000";

function makeAuth(options: BackendTokenOptions = { secret: SECRET }) {
  const db: Record<string, unknown[]> = { user: [], session: [], account: [], verification: [] };
  return betterAuth({
    baseURL: BASE_URL,
    secret: SECRET,
    database: memoryAdapter(db),
    emailAndPassword: { enabled: true },
    plugins: [backendToken(options)],
  });
}

/**
 * An app's own plugin that says how and when each session's user signed in: the session fields
 * `amr` and `authTime`, set where sessions are made (as the authbridge frontend's auth-methods.ts does).
 */
const signInMethods = (authTime: Date) =>
  ({
    id: "sign-in-methods",
    schema: {
      session: {
        fields: {
          amr: { type: "string[]", required: false, input: false },
          authTime: { type: "date", required: false, input: false },
        },
      },
    },
    init: () => ({
      options: {
        databaseHooks: {
          session: { create: { before: (session: object) => Promise.resolve({ data: { ...session, amr: ["pwd"], authTime } }) } },
        },
      },
    }),
  }) satisfies BetterAuthPlugin;
type Auth = ReturnType<typeof makeAuth>;

let signUps = 0;
/** Signs a new user up; the Cookie header of their session. */
async function signUp(auth: Auth): Promise<Headers> {
  signUps += 1;
  const response = await auth.api.signUpEmail({
    body: { email: `user${String(signUps)}@example.com`, password: "correct horse battery staple", name: `User ${String(signUps)}` },
    asResponse: true,
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  expect(cookie).toContain("session_token=");
  return new Headers({ cookie });
}

const getToken = (auth: Auth, headers: Headers = new Headers()) => auth.handler(new Request(`${BASE_URL}/api/auth/token`, { headers }));
const key = new TextEncoder().encode(SECRET);

describe("GET /api/auth/token", () => {
  it("answers a signed-in session with its backend token, never cached", async () => {
    const auth = makeAuth();
    const headers = await signUp(auth);
    const session = (await auth.api.getSession({ headers }))!;
    const before = Math.floor(Date.now() / 1000);
    const response = await getToken(auth, headers);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as BackendTokenResponse;
    const { payload, protectedHeader } = await jwtVerify(body.token, key, {
      algorithms: ["HS256"], typ: "at+jwt", issuer: "authbridge-frontend", audience: "authbridge-backend",
    });
    expect(protectedHeader).toEqual({ alg: "HS256", typ: "at+jwt" });
    expect(Object.keys(payload)).toEqual([...REQUIRED_CLAIMS, "auth_time"]); // no e-mail, no name
    // A session without amr and authTime: its creation is when the user signed in.
    expect(payload.auth_time).toBe(Math.floor(session.session.createdAt.getTime() / 1000));
    expect(payload.sub).toBe(session.user.id);
    expect(payload.sid).toBe(session.session.id);
    expect(payload.sid).not.toBe(session.session.token);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.exp).toBe(payload.iat! + 2592000);
    expect(body.expiresAt).toBe(payload.exp);
  });

  it("refuses a request without a session, and a session that has ended", async () => {
    const auth = makeAuth();
    const anonymous = await getToken(auth);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: "UNAUTHORIZED", message: "Sign in to get a backend token." });

    const headers = await signUp(auth);
    expect((await getToken(auth, headers)).status).toBe(200);
    await auth.api.signOut({ headers });
    expect((await getToken(auth, headers)).status).toBe(401);
  });

  it("is auth.api.getBackendToken on the server: the token for plain Node, a 401 APIError without a session", async () => {
    const auth = makeAuth();
    const headers = await signUp(auth);
    const answer = auth.api.getBackendToken({ headers });
    expectTypeOf(answer).resolves.toEqualTypeOf<{ token: string; expiresAt: number }>(); // typed, not any
    const { token, expiresAt } = await answer;
    expect(decodeJwt(token).exp).toBe(expiresAt);
    await expect(auth.api.getBackendToken({ headers: new Headers() })).rejects.toMatchObject({ statusCode: 401 });
  });

  it("signs with the configured issuer, audience and lifetime", async () => {
    const auth = makeAuth({ secret: SECRET, issuer: "my-frontend", audience: "my-api", lifetimeSeconds: 600 });
    const { token } = await auth.api.getBackendToken({ headers: await signUp(auth) });
    const { payload } = await jwtVerify(token, key, { issuer: "my-frontend", audience: "my-api" });
    expect(payload.exp! - payload.iat!).toBe(600);
  });
});

describe("a session that says how and when its user signed in", () => {
  it("puts its amr and authTime in the token, through the endpoint and the server helpers", async () => {
    const signedIn = new Date(Date.now() - 90_000);
    const db: Record<string, unknown[]> = { user: [], session: [], account: [], verification: [] };
    const auth = betterAuth({
      baseURL: BASE_URL,
      secret: SECRET,
      database: memoryAdapter(db),
      emailAndPassword: { enabled: true },
      plugins: [signInMethods(signedIn), backendToken({ secret: SECRET })],
    });
    const response = await auth.api.signUpEmail({
      body: { email: "methods@example.com", password: "correct horse battery staple", name: "M" },
      asResponse: true,
    });
    const headers = new Headers({ cookie: response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") });
    const session = (await auth.api.getSession({ headers }))!;
    const expected = { amr: ["pwd"], auth_time: Math.floor(signedIn.getTime() / 1000) };
    const { token } = await auth.api.getBackendToken({ headers });
    const { payload } = await jwtVerify(token, key, { typ: "at+jwt" });
    expect(Object.keys(payload)).toEqual([...CLAIM_ORDER]);
    expect(payload).toMatchObject(expected);
    expect((await backendTokenFor(auth, headers))!.claims).toMatchObject(expected);
    expect((await backendTokenForSession(auth, session)).claims).toMatchObject(expected);
  });
});

describe("backendTokenFor / backendTokenForSession", () => {
  it("issue the token of a request's session, as the endpoint does, and nothing without one", async () => {
    const auth = makeAuth();
    const headers = await signUp(auth);
    const session = (await auth.api.getSession({ headers }))!;
    expectTypeOf(backendTokenFor(auth, headers)).resolves.toEqualTypeOf<IssuedBackendToken | null>();
    const issued = (await backendTokenFor(auth, headers))!;
    expect(issued.claims).toMatchObject({ sub: session.user.id, sid: session.session.id, iss: "authbridge-frontend" });
    await jwtVerify(issued.token, key, { typ: "at+jwt" });
    expect(await backendTokenFor(auth, new Headers())).toBeNull();

    const held = await backendTokenForSession(auth, session);
    expect(held.claims).toMatchObject({ sub: session.user.id, sid: session.session.id });
    expect(held.expiresAt).toBe(held.claims.exp);
    await jwtVerify(held.token, key, { typ: "at+jwt" });
  });

  it("refuse an instance without the plugin", async () => {
    const bare = betterAuth({ baseURL: BASE_URL, secret: SECRET, database: memoryAdapter({ user: [], session: [], account: [], verification: [] }) });
    const message = "backendTokenFor: the Better Auth instance has no backendToken() plugin";
    await expect(backendTokenFor(bare, new Headers())).rejects.toThrow(message);
    await expect(backendTokenForSession(bare, { user: { id: "u" }, session: { id: "s" } })).rejects.toThrow(message);
  });
});

describe("backendToken options", () => {
  it("default to the contract's issuer, audience and 30 days", () => {
    expect(resolveBackendTokenOptions({ secret: SECRET })).toEqual({
      secret: SECRET, issuer: "authbridge-frontend", audience: "authbridge-backend", lifetimeSeconds: 2592000,
    });
  });

  it("refuse at start-up what the backend could never accept", () => {
    expect(() => backendToken({ secret: undefined })).toThrow("backendToken: secret must be at least 32 bytes (pass BETTER_AUTH_SECRET)");
    expect(() => backendToken({ secret: "x".repeat(31) })).toThrow("at least 32 bytes");
    expect(() => backendToken({ secret: "я".repeat(15) + "x" })).toThrow("at least 32 bytes"); // 31 bytes of UTF-8
    expect(resolveBackendTokenOptions({ secret: "я".repeat(16) }).secret).toBe("я".repeat(16)); // 32 bytes
    expect(() => backendToken({ secret: SECRET, issuer: "" })).toThrow("backendToken: issuer and audience must not be empty");
    expect(() => backendToken({ secret: SECRET, audience: "" })).toThrow("issuer and audience must not be empty");
    for (const lifetimeSeconds of [0, -5, 2.5]) {
      expect(() => backendToken({ secret: SECRET, lifetimeSeconds })).toThrow("backendToken: lifetimeSeconds must be a positive whole number");
    }
  });
});
