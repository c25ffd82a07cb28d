// The local mail catcher (maildev, from npm): an SMTP server that keeps every message, a web inbox,
// and the JSON API the tests read mail through (GET /api/email). `npm run dev` starts one on
// SMTP_URL's port when SMTP_URL points at this machine (the default smtp://localhost:1025), and
// `npm test` one of its own on fixed loopback ports (TEST_MAIL_PORTS). It runs as
// mail-catcher-server.ts, which lets only the inbox's own page and non-browser clients in.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEV_DIR, ROOT } from "./paths.ts";
import { type Service, startService, waitForHttp } from "./proc.ts";

export const DEV_MAIL_PORTS = { smtp: 1025, web: 1080 } as const;
export const TEST_MAIL_PORTS = { smtp: 1125, web: 1180 } as const;

export interface MailCatcher {
  /** Null when a catcher was already answering on these ports (it is reused, and left running). */
  service: Service | null;
  smtpUrl: string;
  /** The web inbox; its JSON API is under /api. */
  inboxUrl: string;
}

/** maildev behind the inbox guard, run with tsx from the repository root (where tsx is installed). */
const serverScript = () => fileURLToPath(new URL("./mail-catcher-server.ts", import.meta.url));

/** SMTP_URL is this machine's catcher port (nothing to start when it names a real provider). */
export function localSmtpPort(smtpUrl: string | undefined): number | null {
  const url = new URL(smtpUrl || `smtp://localhost:${DEV_MAIL_PORTS.smtp}`);
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  return local && url.protocol === "smtp:" && !url.username ? Number(url.port || 25) : null;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

async function refusesOtherOrigins(webPort: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${webPort}/api/healthz`, { headers: { origin: "http://other.invalid" }, signal: AbortSignal.timeout(1000) });
    return res.status === 403;
  } catch {
    return false;
  }
}

/** Starts maildev on loopback only; mail is kept under .dev/mail/<name>/ (git-ignored). */
export async function startMailCatcher(name: string, ports: { smtp: number; web: number }, opts: { quiet?: boolean } = {}): Promise<MailCatcher> {
  const inboxUrl = `http://localhost:${ports.web}`;
  const smtpUrl = `smtp://127.0.0.1:${ports.smtp}`;
  if (await answers(`http://127.0.0.1:${ports.web}/api/healthz`)) {
    // Reused as it is; one started by hand from maildev's own command has no guard.
    if (!(await refusesOtherOrigins(ports.web))) console.warn(`! the mail catcher already on :${ports.web} answers any web origin (not started by this launcher). Fix: stop it and run again`);
    return { service: null, smtpUrl, inboxUrl };
  }
  const dir = path.join(DEV_DIR, "mail", name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const args = ["--import", "tsx", serverScript(), "--smtp", String(ports.smtp), "--web", String(ports.web), "--mail-directory", dir];
  const service = startService("mail", process.execPath, args, { cwd: ROOT, quiet: opts.quiet });
  try {
    await waitForHttp(`http://127.0.0.1:${ports.web}/api/healthz`, { timeoutMs: 30_000, service });
  } catch (err) {
    await service.stop();
    throw new Error(`mail catcher did not start on :${ports.smtp}/:${ports.web} (${(err as Error).message}). Is another one running? Fix: stop it, or point SMTP_URL elsewhere`);
  }
  return { service, smtpUrl, inboxUrl };
}
