// The app with the local OpenID provider as `oidc` (tools/harness/src/local-idp-server.ts), and loopback servers
// put in front of it, for the sign-in provider tests (src/server/sign-in-providers.integration.test.ts,
// src/server/provider-faults.integration.test.ts); each closed after its file.
import { randomUUID } from "node:crypto";
import type http from "node:http";
import { afterAll } from "vitest";
import { type AuthApp, authApp } from "./auth-app";
import { OIDC_TEST_ENV } from "./local-idp";

// The test environment (.dev/test-env.sh): not the app's configuration.
// eslint-disable-next-line no-restricted-properties
if (!process.env.DATABASE_URL) {
  throw new Error("the sign-in provider tests need DATABASE_URL (and the other test variables): run `npm test` from the repo root, or `source .dev/test-env.sh` first.");
}

const apps: AuthApp[] = [];
/** Loopback servers a test started: closed, with their connections, after its file. */
export const servers: http.Server[] = [];
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

/** The app with the local provider as `oidc` (and whatever `overrides` add), default mode. */
export function app(overrides: Record<string, string> = {}): AuthApp {
  const a = authApp({ ...OIDC_TEST_ENV, REQUIRE_EMAIL_VERIFICATION: "false", ...overrides });
  apps.push(a);
  return a;
}

export const person = (verified = true) => ({ email: `sso-${randomUUID()}@example.test`, verified });
