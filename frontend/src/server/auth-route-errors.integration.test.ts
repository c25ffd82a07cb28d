// /api/auth/* (auth-route.ts) when something other than an outage goes wrong, on the real (TLS) test
// database: a database that answers but has none of the app's tables (a wrong schema, migrations not
// run: Better Auth's schema check refuses it) is a 500 INTERNAL_ERROR, never the 503 that says "try
// again", and an upload the client broke off is a 400 BODY_UNREADABLE (body-limit.ts). The outage and duplicate-race answers:
// auth-route.integration.test.ts.
// Needs the test database: `npm test` from the repo root, or `source .dev/test-env.sh`.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { authApp, type AuthApp } from "@/test/auth-app";
import { ERROR_CODES } from "@/lib/error-codes";
import { captureConsole } from "@/test/console-capture";
import { authRouteHandler } from "./auth-route";

if (!process.env.DATABASE_URL) {
  throw new Error(
    "auth-route-errors.integration needs DATABASE_URL (and the other test variables): run `npm test` from the repo root, or `source .dev/test-env.sh` first.",
  );
}

const PASSWORD = "Correct-Horse-9-battery";
const newEmail = () => `route-errors-${randomUUID()}@example.test`;

/** The test database, seen through a search_path with none of the app's tables in it. */
function withoutTables(): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.searchParams.set("options", "-c search_path=authbridge_no_such_schema");
  return url.toString();
}

const apps: AuthApp[] = [];
afterAll(() => Promise.all(apps.map((a) => a.close())));
const app = (envOverrides: Record<string, string>) => {
  const made = authApp(envOverrides);
  apps.push(made);
  return made;
};

describe("a database without the app's tables", () => {
  it("answers 500 INTERNAL_ERROR (not 503: a retry cannot help), logs the cause, and shows the client no detail", async () => {
    const errors = captureConsole("error");
    const unmigrated = app({ DATABASE_URL: withoutTables() });
    // The throttle's counters are the first table a sign-in needs; Better Auth's schema check, the first thing it does.
    const answers = [
      await unmigrated.post("/sign-in/email", { email: newEmail(), password: PASSWORD }),
      await unmigrated.get("/get-session"),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({ code: "INTERNAL_ERROR", message: ERROR_CODES.INTERNAL_ERROR });
    }
    expect(errors.calls()).toEqual([
      ["auth: unexpected error", expect.objectContaining({ code: "42P01", message: 'relation "auth_throttle" does not exist' })],
      ["auth: unexpected error", expect.objectContaining({ message: expect.stringMatching(/Database schema mismatch[\s\S]*user, session, account, verification/) })],
    ]);
  });
});

describe("an upload the client broke off", () => {
  it("is refused 400 BODY_UNREADABLE, the connection closed, and the handler behind never runs", async () => {
    let reached = false;
    const handle = authRouteHandler(async () => {
      reached = true;
      return new Response(null, { status: 204 });
    });
    const encoder = new TextEncoder();
    // What a route handler's request body does when the client's connection ends mid-upload: it errors.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('{"email":"a@example.test","pass'));
        controller.error(new Error("aborted"));
      },
    });
    const res = await handle(
      new Request("http://localhost:3100/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("connection")).toBe("close");
    expect(await res.json()).toEqual({ code: "BODY_UNREADABLE", message: "The request body could not be read." });
    expect(reached).toBe(false);
  });
});
