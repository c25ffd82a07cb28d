// The strength rule on the app's /api/auth/* (route handler + throttle + Better Auth, src/test/auth-app.ts),
// on the real TLS test database: a password people pick is refused with one sentence, before any row
// is written, on sign-up and on change-password; the user's own name counts against a password.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { strengthMessage, STRENGTH_WARNINGS } from "@/lib/password-strength";
import { authApp } from "@/test/auth-app";

const app = authApp({ REQUIRE_EMAIL_VERIFICATION: "false", PASSWORD_POLICY: "composition" });
afterAll(() => app.close());

const newEmail = () => `strength-${randomUUID()}@example.test`;
const userRows = async (email: string) => (await app.pool.query('select 1 from "user" where email = $1', [email])).rowCount;

describe("sign-up refuses a password that is easy to guess", () => {
  for (const password of ["Password123!", "Welcome2024!", "Qwerty123!"]) {
    it(`refuses ${password} with one sentence and creates nobody`, async () => {
      const email = newEmail();
      const r = await app.post("/sign-up/email", { name: "Ada Lovelace", email, password });
      expect(r.status).toBe(422);
      expect(r.body).toMatchObject({ code: "PASSWORD_TOO_WEAK", field: "password" });
      const fields = r.body!.fields as Array<{ field: string; code: string; message: string }>;
      expect(fields).toHaveLength(1);
      expect(fields[0]!.message).toMatch(/^[^.;]+; add a word or two that only you would pick\.$/);
      expect(r.body!.message).toBe(fields[0]!.message);
      expect(await userRows(email)).toBe(0);
    });
  }

  it("says Password123! is too close to a password many people use", async () => {
    const r = await app.post("/sign-up/email", { name: "Ada Lovelace", email: newEmail(), password: "Password123!" });
    expect(r.body!.message).toBe(strengthMessage(STRENGTH_WARNINGS.similarToCommon));
  });

  it("counts the name and email sent with it against the password", async () => {
    const email = `lovelace-${randomUUID().slice(0, 8)}@example.test`;
    const r = await app.post("/sign-up/email", { name: "Ada Lovelace", email, password: "Lovelace2024!" });
    expect(r.status).toBe(422);
    expect(r.body!.message).toBe(strengthMessage(STRENGTH_WARNINGS.userInputs));
  });

  it("accepts a password that is hard to guess", async () => {
    const email = newEmail();
    const r = await app.post("/sign-up/email", { name: "Ada Lovelace", email, password: "Correct-Horse-9-battery" });
    expect(r.status).toBe(200);
    expect(await userRows(email)).toBe(1);
  });
});

describe("change-password judges the new password alike", () => {
  it("refuses Qwerty123! and keeps the old password", async () => {
    const email = newEmail();
    const signUp = await app.post("/sign-up/email", { name: "Ada Lovelace", email, password: "Correct-Horse-9-battery" });
    const r = await app.post("/change-password", { currentPassword: "Correct-Horse-9-battery", newPassword: "Qwerty123!" }, signUp.cookie);
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: "PASSWORD_TOO_WEAK", field: "password" });
    expect((await app.post("/sign-in/email", { email, password: "Correct-Horse-9-battery" })).status).toBe(200);
  });
});
