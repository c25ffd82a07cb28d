// A session that ended says so (session-ended.ts; docs/architecture.md, "A session can end while a
// page is open"): the sign-in page a request without a session is sent to says "You were signed out" when
// the browser's session ended (its stale cookie, or the marker Better Auth's deletion of that cookie
// leaves), and nothing when it never signed in or signed out on purpose. On the real TLS test database.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthApp, authApp } from "@/test/auth-app";
import { SESSION_ENDED_SECONDS, sessionEnded, sessionEndedName, signInTargetFor } from "./session-ended";

const PASSWORD = "Correct-Horse-9-battery";
const MARKER = sessionEndedName(false);

let app: AuthApp;
beforeAll(() => {
  app = authApp({ REQUIRE_EMAIL_VERIFICATION: "false" });
});
afterAll(() => app.close());

async function user() {
  const email = `ended-${randomUUID()}@example.test`;
  const r = await app.post("/sign-up/email", { name: "Ended Session", email, password: PASSWORD });
  expect(r.status).toBe(200);
  const { rows } = await app.pool.query<{ id: string }>('SELECT id FROM "user" WHERE email = $1', [email]);
  return { email, id: rows[0]!.id, cookie: r.cookie! };
}

/** The marker's Set-Cookie in an answer, whole, if any. */
const markerOf = (setCookies: string[]) => setCookies.find((c) => c.startsWith(`${MARKER}=`));

/** Revoked from another device: the session row is gone, the browser still holds its cookie. */
const endSessions = (userId: string) => app.pool.query("DELETE FROM session WHERE user_id = $1", [userId]);

describe("the marker", () => {
  it("is set when Better Auth deletes a session cookie whose session ended, for a day, HttpOnly", async () => {
    const { id, cookie } = await user();
    await endSessions(id);
    const r = await app.get("/get-session", cookie);
    expect(r.body).toBeNull();
    expect(r.setCookies.some((c) => /session_token=;/.test(c) && /Max-Age=0/i.test(c))).toBe(true);
    const marker = markerOf(r.setCookies);
    expect(marker).toBeDefined();
    expect(marker).toMatch(new RegExp(`^${MARKER.replace(".", "\\.")}=1;`));
    expect(marker).toMatch(new RegExp(`Max-Age=${SESSION_ENDED_SECONDS}`, "i"));
    expect(marker).toMatch(/HttpOnly/i);
    expect(marker).toMatch(/SameSite=Lax/i);
    expect(marker).toMatch(/Path=\//);
    // The same when a route that needs the session finds it gone, even one that ends sessions on purpose.
    for (const [path, body] of [
      ["/update-user", { name: "Still Me" }],
      ["/email-change/request", { newEmail: `new-${randomUUID()}@example.test`, currentPassword: PASSWORD }],
      ["/delete-user", { password: PASSWORD }],
      ["/revoke-sessions", {}],
    ] as const) {
      const refused = await app.post(path, body, cookie);
      expect(refused.status, path).toBe(401);
      expect(markerOf(refused.setCookies), path).toMatch(/=1;/);
    }
  });

  it("is not set by a live session, nor by signing out on purpose", async () => {
    const { email, cookie } = await user();
    expect(markerOf((await app.get("/get-session", cookie)).setCookies)).toBeUndefined();
    expect(markerOf((await app.post("/sign-out", {}, cookie)).setCookies)).toBeUndefined();
    const again = (await app.post("/sign-in/email", { email, password: PASSWORD })).cookie!;
    expect(markerOf((await app.post("/revoke-sessions", {}, again)).setCookies)).toBeUndefined();
  });

  it("is cleared when a session starts or the user signs out, and left alone by a browser that lacks it", async () => {
    const { email } = await user();
    const signedIn = await app.post("/sign-in/email", { email, password: PASSWORD }, `${MARKER}=1`);
    expect(signedIn.status).toBe(200);
    expect(markerOf(signedIn.setCookies)).toMatch(/^[^;]+=;.*Max-Age=0/i);
    const out = await app.post("/sign-out", {}, `${signedIn.cookie!}; ${MARKER}=1`);
    expect(markerOf(out.setCookies)).toMatch(/Max-Age=0/i);
    // No marker, nothing to clear: no Set-Cookie for it (one in a server action would refresh the page).
    expect(markerOf((await app.post("/sign-in/email", { email, password: PASSWORD })).setCookies)).toBeUndefined();
  });
});

describe("where a request without a session is sent", () => {
  it("says 'signed out' for a browser whose session ended, and comes back to the page", async () => {
    const { id, cookie } = await user();
    await endSessions(id);
    expect(signInTargetFor(cookie, "/settings/profile")).toBe("/sign-in?next=%2Fsettings%2Fprofile&reason=signed-out");
    const marker = markerOf((await app.get("/get-session", cookie)).setCookies)!.split(";")[0]!;
    // The next render no longer has the session cookie (it was deleted), only the marker.
    expect(signInTargetFor(`theme=dark; ${marker}`, "/dashboard?show=open")).toBe("/sign-in?next=%2Fdashboard%3Fshow%3Dopen&reason=signed-out");
    expect(signInTargetFor("__Host-authbridge.session-ended=1")).toBe("/sign-in?reason=signed-out");
  });

  it("says nothing to a browser that never signed in", () => {
    expect(signInTargetFor(null, "/settings/profile")).toBe("/sign-in?next=%2Fsettings%2Fprofile");
    expect(signInTargetFor("theme=dark", "/dashboard")).toBe("/sign-in");
    expect(signInTargetFor("")).toBe("/sign-in");
    expect(sessionEnded("better-auth.session_data=x")).toBe(false);
  });

  it("reads the secure cookie names of production too", () => {
    expect(sessionEndedName(true)).toBe("__Host-authbridge.session-ended");
    expect(sessionEnded("__Secure-better-auth.session_token=abc.def")).toBe(true);
  });
});
