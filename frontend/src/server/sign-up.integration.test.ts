// Sign-up as the app runs it (route handler + throttle + Better Auth) on the real TLS test database,
// with real SMTP into the test mail catcher: the default mode signs the user in at once and still
// mails a confirmation link; an existing email is refused plainly and changes nothing; strict mode
// signs nobody in; and `POST /api/auth/sign-up`, the path the product's specification names, is
// `/sign-up/email` in every respect (status, body, cookie, limits).
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthApp, authApp } from "@/test/auth-app";
import { captureConsole } from "@/test/console-capture";
import { ensureMailCatcher, mailsTo, waitForMail } from "@/test/mail-catcher";

const PASSWORD = "Correct-Horse-9-battery";
const newEmail = () => `signup-${randomUUID()}@example.test`;
const apps: AuthApp[] = [];
const app = (...args: Parameters<typeof authApp>) => {
  const a = authApp(...args);
  apps.push(a);
  return a;
};

let stopCatcher: () => void = () => undefined;
beforeAll(async () => {
  stopCatcher = await ensureMailCatcher();
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  stopCatcher();
});

const usersWith = async (a: AuthApp, email: string) =>
  (await a.pool.query<{ name: string }>('SELECT name FROM "user" WHERE email = $1', [email])).rows;

describe("sign-up in the default mode (REQUIRE_EMAIL_VERIFICATION unset)", () => {
  const main = app({ REQUIRE_EMAIL_VERIFICATION: "" });

  it("is the default", () => {
    expect(main.env.REQUIRE_EMAIL_VERIFICATION).toBe(false);
  });

  it("signs the user in at once: a session cookie, a backend token, and a confirmation link in the mail", async () => {
    const email = newEmail();
    const r = await main.post("/sign-up/email", { name: "Ada Lovelace", email, password: PASSWORD });
    expect(r.status).toBe(200);
    expect(r.cookie).toMatch(/session_token=/);
    expect(r.body).toMatchObject({ token: expect.any(String), user: { email, emailVerified: false } });

    const token = await main.get("/token", r.cookie);
    expect(token.status).toBe(200);
    const claims = JSON.parse(Buffer.from(String(token.body!.token).split(".")[1]!, "base64url").toString());
    const session = await main.get("/get-session", r.cookie);
    expect(claims).toMatchObject({ sub: (session.body!.user as { id: string }).id, sid: (session.body!.session as { id: string }).id });
    expect(claims.exp - claims.iat).toBe(30 * 24 * 60 * 60);

    const mail = await waitForMail(email, /Confirm your email/);
    expect(mail.text).toContain(`${main.env.BETTER_AUTH_URL}/verify-email?token=`);
  });

  it("refuses an email that has an account, in plain words, and changes nothing", async () => {
    const email = newEmail();
    expect((await main.post("/sign-up/email", { name: "Owner", email, password: PASSWORD })).status).toBe(200);
    const again = await main.post("/sign-up/email", { name: "Someone else", email: email.toUpperCase(), password: "Another-Horse-7-battery" });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL" });
    expect(again.cookie).toBeUndefined();
    expect(await usersWith(main, email)).toEqual([{ name: "Owner" }]);
    // The owner's password still signs in, the other one does not; no notice, no second link.
    expect((await main.post("/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
    const warnings = captureConsole("warn");
    expect((await main.post("/sign-in/email", { email, password: "Another-Horse-7-battery" })).status).toBe(401);
    expect(warnings.lines().join("\n")).toMatch(/Invalid password/);
    await waitForMail(email, /Confirm your email/);
    expect((await mailsTo(email)).map((m) => m.subject)).toEqual(["Confirm your email address"]);
  });
});

describe("sign-up in strict mode (REQUIRE_EMAIL_VERIFICATION=true)", () => {
  const strict = app({ REQUIRE_EMAIL_VERIFICATION: "true" });

  it("signs nobody in: no cookie, no token, only the link", async () => {
    const email = newEmail();
    const r = await strict.post("/sign-up/email", { name: "Ada Lovelace", email, password: PASSWORD });
    expect(r.status).toBe(200);
    expect(r.cookie).toBeUndefined();
    expect(r.body).toMatchObject({ token: null, user: { email, emailVerified: false } });
    await waitForMail(email, /Confirm your email/);
  });
});

describe("POST /api/auth/sign-up, the specification's path", () => {
  const main = app({ REQUIRE_EMAIL_VERIFICATION: "false" });
  /** Only the random parts differ between two answers. */
  const shape = (body: Record<string, unknown> | null) =>
    JSON.parse(JSON.stringify(body, (k, v) => (["id", "createdAt", "updatedAt", "token", "email", "name"].includes(k) ? typeof v : v)));

  it("answers exactly as /sign-up/email: status, body, cookie", async () => {
    const viaEmail = await main.post("/sign-up/email", { name: "Path One", email: newEmail(), password: PASSWORD });
    const email = newEmail();
    const viaAlias = await main.post("/sign-up", { name: "Path Two", email, password: PASSWORD });
    expect(viaAlias.status).toBe(200);
    expect(shape(viaAlias.body)).toEqual(shape(viaEmail.body));
    expect(viaAlias.cookie).toMatch(/session_token=/);
    expect((await main.get("/token", viaAlias.cookie)).status).toBe(200);
    expect(await usersWith(main, email)).toEqual([{ name: "Path Two" }]);
  });

  it("refuses what /sign-up/email refuses, with the same answer", async () => {
    const weak = { name: "Weak", password: "short" };
    const a = await main.post("/sign-up/email", { ...weak, email: newEmail() });
    const b = await main.post("/sign-up/", { ...weak, email: newEmail() });
    expect([a.status, b.status]).toEqual([422, 422]);
    expect(b.body).toEqual(a.body);
    const taken = newEmail();
    await main.post("/sign-up", { name: "First", email: taken, password: PASSWORD });
    expect((await main.post("/sign-up", { name: "Second", email: taken, password: PASSWORD })).body).toMatchObject({ code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL" });
  });

  it("counts against the same limits: sign-ups per email, whichever path they take", async () => {
    const limited = app({ REQUIRE_EMAIL_VERIFICATION: "false" }, { signUpPerEmail: { limit: 2, seconds: 3600 } });
    const email = newEmail();
    const statuses = [];
    for (const path of ["/sign-up", "/sign-up/email", "/sign-up"]) {
      statuses.push((await limited.post(path, { name: "Limited", email, password: PASSWORD })).status);
    }
    expect(statuses).toEqual([200, 422, 429]);
  });

  it("is a POST route only, like /sign-up/email", async () => {
    expect((await main.get("/sign-up")).status).toBe(404);
  });
});
