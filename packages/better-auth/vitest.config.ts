import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// In the repository the tests import the package by name from its source (coverage measures src/);
// `npm run compat` runs issuer.test.ts and plugin.test.ts against the installed tarball instead.
export default defineConfig({
  resolve: {
    alias: { "@authbridge/better-auth": fileURLToPath(new URL("src/index.ts", import.meta.url)) },
  },
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    testTimeout: 20000,
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      reportsDirectory: fileURLToPath(new URL("../../.dev/coverage/better-auth", import.meta.url)),
      reporter: ["text", "html", "json-summary"],
      reportOnFailure: true,
      // Every file of the package on its own at 100% of lines (docs/development.md "Coverage").
      thresholds: { lines: 100, perFile: true },
    },
  },
});
