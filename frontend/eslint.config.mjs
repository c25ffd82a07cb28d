import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", "out/**", "build/**", "next-env.d.ts", "src/lib/backend/schema.d.ts"]),
  {
    // One validated place for configuration: nothing reads process.env outside src/env.ts (and the
    // config loader it uses), so every variable is checked once, at startup
    // (root README.md "Configuration").
    files: ["src/**/*.{ts,tsx}"],
    ignores: ["src/env.ts", "src/config/**", "src/**/*.test.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration from src/env.ts" }],
    },
  },
]);
