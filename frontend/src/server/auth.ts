// THE Better Auth instance (server-only), on a node-postgres pool with verified TLS.
import "server-only";
import { betterAuth } from "better-auth";
import { nextCookies } from "better-auth/next-js";
import type { Pool } from "pg";
import { databaseCaCertPath, env } from "@/env";
import { authOptions } from "./auth-options";
import { createPool, poolConfigFor } from "./db";

// One pool per process (dev hot reload re-evaluates modules; keep the same pool).
const globalForPool = globalThis as unknown as { authbridgePool?: Pool };
export const pool = (globalForPool.authbridgePool ??= createPool(poolConfigFor(env.DATABASE_URL, databaseCaCertPath)));

const options = authOptions(env, pool);

export const auth = betterAuth({
  ...options,
  // nextCookies lets server actions set and clear Better Auth's cookies.
  plugins: [...options.plugins, nextCookies()],
});
