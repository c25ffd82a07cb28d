// The common-password list shipped in the repo (common-passwords.txt beside this file), loaded
// once on the server. No network at run time.
import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";
import { findRepoRoot } from "@/config/repo-root";
import { commonPasswordKey } from "@/lib/password-policy";

export const COMMON_PASSWORDS_FILE = path.join(/*turbopackIgnore: true*/ findRepoRoot(), "frontend", "src", "server", "common-passwords.txt");

let cached: Set<string> | undefined;

export function loadCommonPasswords(file: string = COMMON_PASSWORDS_FILE): Set<string> {
  const lines = readFileSync(/*turbopackIgnore: true*/ file, "utf8").split("\n");
  return new Set(lines.filter((l) => l !== "" && !l.startsWith("#")).map(commonPasswordKey));
}

export function isCommonPassword(password: string): boolean {
  cached ??= loadCommonPasswords();
  return cached.has(commonPasswordKey(password));
}
