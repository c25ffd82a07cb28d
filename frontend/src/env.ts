// All environment variables of the frontend, validated once (root README.md "Configuration").
// The root .env (parent of frontend/) is the single source; shell variables win over it.
// Nothing else in the app reads process.env. next.config.ts imports this file, so a bad
// value fails `next build`; scripts/check-env.ts gives the one-line message at dev/start.
import { existsSync } from "node:fs";
import { loadRootDotenv } from "./config/dotenv";
import { ConfigError, parseServerEnv } from "./config/env-schema";
import { findRepoRoot, resolveFromRepoRoot } from "./config/repo-root";

export const repoRoot = findRepoRoot();

loadRootDotenv(repoRoot); // fills only what the shell did not set

export const env = parseServerEnv(process.env);

/** DATABASE_CA_CERT as an absolute path (relative paths resolve against the repo root), or undefined. */
export const databaseCaCertPath = env.DATABASE_CA_CERT ? resolveFromRepoRoot(env.DATABASE_CA_CERT, repoRoot) : undefined;

if (databaseCaCertPath && !existsSync(databaseCaCertPath)) {
  throw new ConfigError(
    "DATABASE_CA_CERT",
    `file ${databaseCaCertPath} does not exist. Fix: point it at a PEM CA bundle, or leave it empty to use the system CAs`,
  );
}
