// The local mail catcher (maildev, from npm): an SMTP server that keeps every message, a web inbox,
// and the JSON API the tests read mail through (GET /api/email). `npm run dev` starts one on
// SMTP_URL's port when SMTP_URL points at this machine (the default smtp://localhost:1025), and
// `npm test` one of its own on fixed loopback ports (TEST_MAIL_PORTS).
import fs from "node:fs";
import path from "node:path";
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

/** The catcher's executable: the dev workspace's dependency, hoisted to the root node_modules. */
const maildevBin = () => path.join(ROOT, "node_modules", "maildev", "dist", "bin", "maildev.js");

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

/** Starts maildev on loopback only; mail is kept under .dev/mail/<name>/ (git-ignored). */
export async function startMailCatcher(name: string, ports: { smtp: number; web: number }, opts: { quiet?: boolean } = {}): Promise<MailCatcher> {
  const inboxUrl = `http://localhost:${ports.web}`;
  const smtpUrl = `smtp://127.0.0.1:${ports.smtp}`;
  if (await answers(`http://127.0.0.1:${ports.web}/api/healthz`)) return { service: null, smtpUrl, inboxUrl };
  const dir = path.join(DEV_DIR, "mail", name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const args = [maildevBin(), "--smtp", String(ports.smtp), "--web", String(ports.web), "--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--mail-directory", dir, "--max-emails", "2000", "--silent"];
  const service = startService("mail", process.execPath, args, { quiet: opts.quiet });
  try {
    await waitForHttp(`http://127.0.0.1:${ports.web}/api/healthz`, { timeoutMs: 30_000, service });
  } catch (err) {
    await service.stop();
    throw new Error(`mail catcher did not start on :${ports.smtp}/:${ports.web} (${(err as Error).message}). Is another one running? Fix: stop it, or point SMTP_URL elsewhere`);
  }
  return { service, smtpUrl, inboxUrl };
}
