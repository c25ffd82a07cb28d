// Reads the root .env into process.env WITHOUT overriding anything already set (the shell wins)
// and without removing anything. (@next/env's loadEnvConfig resets process.env to a snapshot on
// reload, which would also drop what Next.js sets at run time.) Parser: Node's own util.parseEnv.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";

export function loadRootDotenv(repoRoot: string, target: Record<string, string | undefined> = process.env): void {
  const file = path.join(/*turbopackIgnore: true*/ repoRoot, ".env");
  if (!existsSync(file)) return;
  for (const [key, value] of Object.entries(parseEnv(readFileSync(/*turbopackIgnore: true*/ file, "utf8")))) {
    if (target[key] === undefined) target[key] = value;
  }
}
