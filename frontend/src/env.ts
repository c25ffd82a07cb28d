// All environment variables of the frontend, validated once (TEAM.md "Configuration").
// The root .env (parent of frontend/) is the single source; shell variables win over it.
// Nothing else in the app reads process.env. next.config.ts imports this file, so a bad
// value fails `next build`; scripts/check-env.ts gives the one-line message at dev/start.
import nextEnv from "@next/env"; // CommonJS bundle: no named ESM exports under plain Node
import { parseServerEnv } from "./config/env-schema";
import { findRepoRoot } from "./config/repo-root";

export const repoRoot = findRepoRoot();

// loadEnvConfig never overrides variables already set in the shell.
nextEnv.loadEnvConfig(repoRoot, process.env.NODE_ENV !== "production", { info: () => {}, error: console.error }, true);

export const env = parseServerEnv(process.env);
