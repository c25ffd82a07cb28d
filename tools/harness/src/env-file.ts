// The root .env: created once from .env.example with fresh secrets, never overwritten.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parse } from "dotenv";
import { ENV_EXAMPLE, ENV_FILE, ROOT } from "./paths.ts";

export const LOCAL_PG_PORT = 5433;
export const PLACEHOLDER_SECRET = "change-me-run-npm-run-dev-to-generate-a-real-secret";

/** 32 bytes from the OS CSPRNG, base64url (43 characters). */
function freshSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** Creates .env from .env.example with a fresh secret and local database password. Returns true if it wrote one. */
export function ensureEnvFile(envFile = ENV_FILE, example = ENV_EXAMPLE): boolean {
  if (fs.existsSync(envFile)) return false;
  const text = fs
    .readFileSync(example, "utf8")
    .replace(`BETTER_AUTH_SECRET=${PLACEHOLDER_SECRET}`, `BETTER_AUTH_SECRET=${freshSecret()}`)
    .replace("postgresql://authbridge:change-me@", `postgresql://authbridge:${randomBytes(18).toString("base64url")}@`);
  fs.writeFileSync(envFile, text, { mode: 0o600, flag: "wx" });
  return true;
}

/** The configuration both services will see: .env, then the shell's environment on top. */
export function loadConfig(envFile = ENV_FILE): Record<string, string> {
  const fromFile = fs.existsSync(envFile) ? parse(fs.readFileSync(envFile)) : {};
  const merged: Record<string, string> = { ...fromFile };
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k in fromFile) merged[k] = v;
  for (const k of ["DATABASE_URL", "BETTER_AUTH_SECRET", "DATABASE_CA_CERT"]) {
    const v = process.env[k];
    if (v !== undefined) merged[k] = v;
  }
  return merged;
}

/** The local server is used when DATABASE_URL points at it; any other URL (Neon) replaces it. */
export function isLocalDatabase(databaseUrl: string): boolean {
  try {
    const u = new URL(databaseUrl);
    return ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname) && Number(u.port) === LOCAL_PG_PORT;
  } catch {
    return false;
  }
}

export function resolveFromRoot(p: string): string {
  return path.isAbsolute(p) ? p : path.join(ROOT, p);
}
