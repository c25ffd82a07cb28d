import path from "node:path";
import { defineConfig } from "vitest/config";
// The auth-flow modules by group, paths from frontend/ (docs/development.md "Coverage"); the launcher's
// frontend suite (dev/src/test-command.ts) reads the same list for its coverage line.
import authModules from "./src/test/coverage-auth-modules.json" with { type: "json" };

const AUTH_MODULES = Object.values(authModules).flat();

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname, "src"),
      // `server-only` throws outside React Server Components; tests run on the server anyway.
      "server-only": path.resolve(import.meta.dirname, "src/test/empty-module.ts"),
    },
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts", "scripts/**/*.test.ts"],
    testTimeout: 20000,
    // The mail catcher, once for the whole run (unless `npm test` already started one).
    globalSetup: ["src/test/global-setup.ts"],
    // `vitest run --coverage` (`npm run test:coverage`, what `npm test` runs): docs/development.md "Coverage".
    coverage: {
      provider: "v8",
      include: ["src/**/*.{ts,tsx}", "scripts/**/*.ts"],
      exclude: ["**/*.test.ts", "src/test/**", "src/lib/backend/schema.d.ts"],
      reportsDirectory: path.resolve(import.meta.dirname, "../.dev/coverage/frontend"),
      // html: the report to open; json-summary: the totals `npm test` prints; json: every file's lines, for
      // naming the missing ones; text: the files that are not complete, in the run's output.
      reporter: ["html", "json-summary", "json", ["text", { skipFull: true }]],
      // A failing test still writes the report, so the suite's line shows both.
      reportOnFailure: true,
      // Each auth-flow module on its own at 100% of lines; the rest reports its figure with no threshold.
      thresholds: Object.fromEntries(AUTH_MODULES.map((file) => [file, { lines: 100 }])),
    },
  },
});
