// Browser tests run against the production builds that `npm test` starts (tools/harness/src/stack.ts), in
// Debian's Chromium (Playwright's own browser downloads are not possible here, and not needed). One
// project per stack: the product's default (E2E_FRONTEND_URL / E2E_BACKEND_URL), strict mode
// (tests/strict/, REQUIRE_EMAIL_VERIFICATION=true on both sides) and a default-mode frontend in
// front of a strict backend (tests/mismatch/, the two policies disagreeing).
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "./tests",
  // One spec at a time: two at once saved about 40 s of 9.5 minutes on two cores (docs/development.md,
  // "Browser tests").
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  projects: [
    { name: "default", testIgnore: ["strict/**", "mismatch/**"] },
    { name: "strict", testDir: "./tests/strict", use: { baseURL: process.env.E2E_STRICT_FRONTEND_URL ?? "http://localhost:3101" } },
    { name: "mismatch", testDir: "./tests/mismatch", use: { baseURL: process.env.E2E_MISMATCH_FRONTEND_URL ?? "http://localhost:3102" } },
  ],
  use: {
    baseURL: process.env.E2E_FRONTEND_URL ?? "http://localhost:3100",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // The background-networking flags keep Chromium from dialling out on a closed network.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
