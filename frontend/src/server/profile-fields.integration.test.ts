// The account field rules (src/lib/profile-rules.ts, src/lib/password-policy.ts) and the body cap
// (body-limit.ts) on /api/auth/*, through the app's route handler and Better Auth as the app
// configures it, on the real (TLS) test database: every refusal is a 4xx in our error shape and
// stores nothing (docs/security.md "Profile fields").
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseServerEnv } from "@/config/env-schema";
import { resolveFromRepoRoot } from "@/config/repo-root";
import { authOptions } from "./auth-options";
import { authRouteHandler } from "./auth-route";
import { AUTH_BODY_LIMIT_BYTES } from "./body-limit";
import { createPool, poolConfigFor } from "./db";
import { WRITES_BY_PATH } from "./password-hook";

if (!process.env.DATABASE_URL) {
  throw new Error(
    "profile-fields.integration needs DATABASE_URL (and the other test variables): run `npm test` from the repo root, or `source .dev/test-env.sh` first.",
  );
}

// Email verification off: users here sign in at once (the verification flow: account-mail.integration.test.ts).
const env = parseServerEnv({ ...process.env, REQUIRE_EMAIL_VERIFICATION: "false" });
const pool = createPool(poolConfigFor(env.DATABASE_URL, env.DATABASE_CA_CERT ? resolveFromRepoRoot(env.DATABASE_CA_CERT) : undefined));
// Rate limits off: this file sends far more requests from one address than they allow (they are
// tested in auth-route.integration.test.ts); everything else is the app's configuration.
const auth = betterAuth({ ...authOptions(env, pool), rateLimit: { enabled: false } });
const handle = authRouteHandler((r) => auth.handler(r));
afterAll(() => pool.end());

const base = env.BETTER_AUTH_URL;
const PASSWORD = "Correct-Horse-9-battery";
const newEmail = () => `fields-${randomUUID()}@example.test`;
const MB = 1024 * 1024;

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> | null;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: Record<string, unknown> | null = null;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    throw new Error(`not JSON (${res.status}): ${text.slice(0, 200)}`);
  }
  return { status: res.status, headers: res.headers, body };
}

function post(path: string, body: unknown, opts: { cookie?: string; origin?: string | null } = {}): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.origin !== null) headers.origin = opts.origin ?? base;
  if (opts.cookie) headers.cookie = opts.cookie;
  return handle(new Request(`${base}/api/auth${path}`, { method: "POST", headers, body: JSON.stringify(body) })).then(answer);
}

function sessionCookie(res: Answer): string {
  const raw = res.headers.getSetCookie().find((c) => c.includes("session_token="));
  if (!raw) throw new Error(`no session cookie (${res.status})`);
  return raw.split(";")[0]!;
}

async function signUp() {
  const email = newEmail();
  const r = await post("/sign-up/email", { name: "Ada Lovelace", email, password: PASSWORD });
  expect(r.status).toBe(200);
  return { email, cookie: sessionCookie(r) };
}

async function storedUser(email: string) {
  const { rows } = await pool.query<{ name: string; image: string | null }>('select name, image from "user" where email = $1', [email]);
  return rows[0];
}

/** A refusal in our one error shape, never a 5xx and never a stack trace. */
function expectRefusal(r: Answer, status: number, code: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body).toMatchObject({ code });
  expect(typeof r.body!.message).toBe("string");
  expect(JSON.stringify(r.body)).not.toMatch(/\bat .*\.(ts|js|mjs):\d+|invalid byte sequence|0x00/);
}

describe("request body cap", () => {
  it("sign-up with a 50 MB image: 413 PAYLOAD_TOO_LARGE, nothing stored", async () => {
    const email = newEmail();
    const t0 = performance.now();
    const r = await post("/sign-up/email", { name: "Big", email, password: PASSWORD, image: `https://example.com/${"a".repeat(50 * MB)}` });
    const ms = performance.now() - t0;
    expectRefusal(r, 413, "PAYLOAD_TOO_LARGE");
    expect(r.body).toEqual({ code: "PAYLOAD_TOO_LARGE", message: "The request body is larger than 64 KiB." });
    expect(await storedUser(email)).toBeUndefined();
    expect(ms).toBeLessThan(2_000);
  });

  it("chunked body (no Content-Length): refused once it passes 64 KiB, without reading the rest", async () => {
    const chunk = new TextEncoder().encode("a".repeat(16 * 1024));
    let pulled = 0;
    const upload = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 50 * MB) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const request = new Request(`${base}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: upload,
      duplex: "half",
    } as RequestInit);
    expect(request.headers.get("content-length")).toBeNull();
    const r = await answer(await handle(request));
    expectRefusal(r, 413, "PAYLOAD_TOO_LARGE");
    expect(pulled).toBeGreaterThan(AUTH_BODY_LIMIT_BYTES);
    expect(pulled).toBeLessThanOrEqual(AUTH_BODY_LIMIT_BYTES + 3 * chunk.byteLength);
  });

  it("a body just under the cap reaches Better Auth (unknown keys are ignored)", async () => {
    const email = newEmail();
    const r = await post("/sign-up/email", { name: "Padded", email, password: PASSWORD, padding: "x".repeat(AUTH_BODY_LIMIT_BYTES - 200) });
    expect(r.status).toBe(200);
    expect(await storedUser(email)).toEqual({ name: "Padded", image: null });
  });
});

describe("sign-up field rules", () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["an image over 2,048 characters", { image: `https://example.com/${"a".repeat(2_100)}` }, "IMAGE_TOO_LONG"],
    ["an http image", { image: "http://example.com/ada.png" }, "IMAGE_INVALID"],
    ["a javascript: image", { image: "javascript:alert(1)" }, "IMAGE_INVALID"],
    ["a NUL in the image", { image: "https://example.com/a\u0000.png" }, "IMAGE_INVALID"],
    ["a NUL in the name", { name: "Ada\u0000Lovelace" }, "NAME_INVALID_CHARACTERS"],
    ["a line break in the name", { name: "Ada\nLovelace" }, "NAME_INVALID_CHARACTERS"],
    ["a blank name", { name: " \t " }, "NAME_REQUIRED"],
    ["a 101-character name", { name: "a".repeat(101) }, "NAME_TOO_LONG"],
    ["a name that is not a string", { name: { first: "Ada" } }, "NAME_REQUIRED"],
    ["a 255-character email", { email: `${"a".repeat(243)}@example.com` }, "EMAIL_TOO_LONG"],
    ["a NUL in the email", { email: "ada\u0000@example.com" }, "INVALID_EMAIL"],
    ["an empty password", { password: "" }, "PASSWORD_REQUIRED"],
  ];

  for (const [what, override, code] of cases) {
    it(`refuses ${what}: 422 ${code}, nothing stored`, async () => {
      const email = newEmail();
      const r = await post("/sign-up/email", { name: "Ada Lovelace", email, password: PASSWORD, ...override });
      expectRefusal(r, 422, code);
      expect(r.body!.fields).toEqual(expect.arrayContaining([expect.objectContaining({ code })]));
      expect(await storedUser(email)).toBeUndefined();
      // (PostgreSQL cannot even be asked about an address with a NUL in it.)
      if (typeof override.email === "string" && !override.email.includes("\u0000")) {
        expect(await storedUser(override.email.toLowerCase())).toBeUndefined();
      }
    });
  }

  it("names every failing field at once, in form order", async () => {
    const r = await post("/sign-up/email", { name: "", email: "nope", password: "short", image: "ftp://x" });
    expect(r.status).toBe(422);
    const fields = (r.body!.fields as Array<{ field: string }>).map((f) => f.field);
    expect([...new Set(fields)]).toEqual(["name", "email", "image", "password"]);
  });

  it("stores a valid https image and the trimmed name", async () => {
    const email = newEmail();
    const image = "https://images.example.com/ada.png";
    const r = await post("/sign-up/email", { name: "  Ada Lovelace  ", email, password: PASSWORD, image });
    expect(r.status).toBe(200);
    expect(await storedUser(email)).toEqual({ name: "Ada Lovelace", image });
  });
});

describe("update-user", () => {
  let user: { email: string; cookie: string };
  beforeAll(async () => {
    user = await signUp();
  });
  const update = (body: unknown) => post("/update-user", body, { cookie: user.cookie });

  it("refuses a 5 MB image and a 1,000,000-character name with 413 (the body cap), changing nothing", async () => {
    expectRefusal(await update({ image: `https://example.com/${"a".repeat(5 * MB)}` }), 413, "PAYLOAD_TOO_LARGE");
    expectRefusal(await update({ name: "a".repeat(1_000_000) }), 413, "PAYLOAD_TOO_LARGE");
    expect(await storedUser(user.email)).toEqual({ name: "Ada Lovelace", image: null });
  });

  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["a 3,000-character image", { image: `https://example.com/${"a".repeat(3_000)}` }, "IMAGE_TOO_LONG"],
    ["a data: image", { image: "data:image/png;base64,iVBORw0KGgo=" }, "IMAGE_INVALID"],
    ["a NUL in the image", { image: "https://example.com/\u0000" }, "IMAGE_INVALID"],
    ["an image that is a number", { image: 42 }, "IMAGE_INVALID"],
    ["a 101-character name", { name: "a".repeat(101) }, "NAME_TOO_LONG"],
    ["an empty name", { name: "" }, "NAME_REQUIRED"],
    ["a blank name", { name: "   " }, "NAME_REQUIRED"],
    ["a null name", { name: null }, "NAME_REQUIRED"],
    ["a NUL in the name", { name: "Ada\u0000" }, "NAME_INVALID_CHARACTERS"],
    ["a DEL in the name", { name: "Ada\u007F" }, "NAME_INVALID_CHARACTERS"],
    ["a right-to-left override in the name", { name: "Ada\u202Egnp.exe" }, "NAME_INVALID_CHARACTERS"],
  ];
  for (const [what, body, code] of cases) {
    it(`refuses ${what}: 422 ${code}, changing nothing`, async () => {
      expectRefusal(await update(body), 422, code);
      expect(await storedUser(user.email)).toEqual({ name: "Ada Lovelace", image: null });
    });
  }

  it("stores a valid name (trimmed) and image, and removes the image with null", async () => {
    expect((await update({ name: "  Augusta Ada King ", image: "https://images.example.com/a.png" })).status).toBe(200);
    expect(await storedUser(user.email)).toEqual({ name: "Augusta Ada King", image: "https://images.example.com/a.png" });
    expect((await update({ image: null })).status).toBe(200);
    expect(await storedUser(user.email)).toEqual({ name: "Augusta Ada King", image: null });
    expect((await update({ name: "Ada Lovelace" })).status).toBe(200);
  });
});

describe("every endpoint that writes a field", () => {
  it("lists exactly the writers of name, email, image and password (Better Auth's and our plugins')", () => {
    expect(Object.keys(WRITES_BY_PATH).sort()).toEqual(
      ["/change-password", "/email-change/request", "/reset-password", "/sign-up/email", "/update-user", "/verify-address/with-new-password"].sort(),
    );
    // Each listed path is a real endpoint of this Better Auth version.
    const paths = new Set(Object.values(auth.api).map((e) => (e as { path?: string }).path));
    for (const path of Object.keys(WRITES_BY_PATH)) expect(paths.has(path), path).toBe(true);
  });

  it("a change of email checks the new address before anything else (even the password)", async () => {
    const { cookie } = await signUp();
    expectRefusal(await post("/email-change/request", { newEmail: `${"a".repeat(300)}@example.com` }, { cookie }), 422, "EMAIL_TOO_LONG");
    expectRefusal(await post("/email-change/request", { newEmail: "ada\u0000@example.com" }, { cookie }), 422, "INVALID_EMAIL");
  });

  it("control characters in the name, email or image of any writer: 4xx, never a 500", async () => {
    const { cookie } = await signUp();
    const nasty = ["\u0000", "\u0001\u001F", "\uD800", "\u0000".repeat(1000)];
    let tried = 0;
    for (const [path, writes] of Object.entries(WRITES_BY_PATH)) {
      if (!writes.name && !writes.emailKey && !writes.image) continue;
      for (const bad of nasty) {
        const body: Record<string, unknown> = { name: `Ada${bad}`, image: `https://example.com/${bad}`, password: PASSWORD };
        if (writes.emailKey) body[writes.emailKey] = `ada${bad}@example.com`;
        const r = await post(path, body, { cookie });
        tried++;
        expect(r.status, `${path} ${JSON.stringify(bad)} → ${JSON.stringify(r.body)}`).toBe(422);
        expect(typeof r.body?.code).toBe("string");
      }
    }
    expect(tried).toBe(3 * nasty.length);
  });

  it("control characters in a password are not stored anywhere and never a 500 (it is hashed)", async () => {
    const { cookie } = await signUp();
    const r = await post("/change-password", { currentPassword: PASSWORD, newPassword: "Correct-Horse-9-\u0000\u0001" }, { cookie });
    expect(r.status).toBe(200);
  });
});

describe("Origin", () => {
  it("a request that carries the session cookie must send our Origin: 403 without it or with another", async () => {
    const { cookie } = await signUp();
    expectRefusal(await post("/update-user", { name: "No Origin" }, { cookie, origin: null }), 403, "MISSING_OR_NULL_ORIGIN");
    expectRefusal(await post("/update-user", { name: "Evil" }, { cookie, origin: "https://evil.example" }), 403, "INVALID_ORIGIN");
    expect((await post("/update-user", { name: "Same Origin" }, { cookie })).status).toBe(200);
  });
});
