// All environment variables of the frontend, validated once (TEAM.md "Configuration").
// The root .env (parent of frontend/) is the single source; shell variables win over it.
// Nothing else in the app reads process.env. next.config.ts imports this file, so a bad
// value fails `next build`; scripts/check-env.ts gives the one-line message at dev/start.
import { existsSync } from "node:fs";
import * as nextEnvModule from "@next/env";
import { ConfigError, parseServerEnv } from "./config/env-schema";
import { findRepoRoot, resolveFromRepoRoot } from "./config/repo-root";

// @next/env is CommonJS marked __esModule: bundlers and Next's config loader see named exports,
// plain Node ESM (tsx scripts) only a `default` holding them.
const { loadEnvConfig } = (nextEnvModule as { default?: typeof nextEnvModule }).default ?? nextEnvModule;

export const repoRoot = findRepoRoot();

// loadEnvConfig never overrides variables already set in the shell.
loadEnvConfig(repoRoot, process.env.NODE_ENV !== "production", { info: () => {}, error: console.error }, true);

export const env = parseServerEnv(process.env);

/** DATABASE_CA_CERT as an absolute path (relative paths resolve against the repo root), or undefined. */
export const databaseCaCertPath = env.DATABASE_CA_CERT ? resolveFromRepoRoot(env.DATABASE_CA_CERT, repoRoot) : undefined;

if (databaseCaCertPath && !existsSync(databaseCaCertPath)) {
  throw new ConfigError(
    "DATABASE_CA_CERT",
    `file ${databaseCaCertPath} does not exist. Fix: point it at a PEM CA bundle, or leave it empty to use the system CAs`,
  );
}
