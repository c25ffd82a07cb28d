// The raw password-hash rate of Better Auth's own `hashPassword` (better-auth/crypto: node:crypto
// scrypt N=16384 r=16 p=1 dkLen=64 on the libuv pool), in a separate Node process so it owns its
// thread pool like the Next.js server does. Sign-in does one such scrypt (verifyPassword), sign-up one.
import { spawn } from "node:child_process";
import { FRONTEND_DIR } from "@authbridge/harness";

const SCRIPT = `
import { hashPassword } from "better-auth/crypto";
const parallel = Number(process.argv[1]);
const budgetMs = Number(process.argv[2]);
const maxHashes = Number(process.argv[3]);
await hashPassword("warm-up-Password-1");
let done = 0;
const t0 = performance.now();
const deadline = t0 + budgetMs;
async function lane() {
  while (performance.now() < deadline && done < maxHashes) { await hashPassword("Bench-Pass-4fK9q2"); done++; }
}
await Promise.all(Array.from({ length: parallel }, lane));
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ parallel, hashes: done, seconds, perSecond: done / seconds }));
`;

export interface HashRate {
  parallel: number;
  hashes: number;
  seconds: number;
  perSecond: number;
}

/** Hashes per second with `parallel` hashes in flight (the server's default libuv pool has 4 threads). */
export function measureHashRate(parallel: number, budgetMs: number, maxHashes = 2000): Promise<HashRate> {
  return new Promise((resolve, reject) => {
    // cwd frontend/: `better-auth` resolves exactly as the frontend resolves it.
    const child = spawn(process.execPath, ["--input-type=module", "-e", SCRIPT, String(parallel), String(budgetMs), String(maxHashes)], {
      cwd: FRONTEND_DIR,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (err += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), budgetMs + 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`hash-rate process failed (${code}): ${err.trim().slice(0, 300)}`));
      resolve(JSON.parse(out.trim().split("\n").at(-1)!) as HashRate);
    });
  });
}
