// The test mail catcher for integration tests: `npm test` starts maildev (tools/harness/src/mail-catcher.ts)
// on SMTP_URL / MAIL_CATCHER_URL; run alone (vitest with .dev/test-env.sh), the run starts its own
// on the same ports once (src/test/global-setup.ts) and stops it at the end. Mail is read through
// maildev's JSON API, with the one mail client of every suite (tools/mail-client/src/index.ts).
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { mailLinks, mailsTo as mailsToIn, waitForMail as waitFor } from "@authbridge/mail-client";
import { findRepoRoot } from "@/config/repo-root";

export type { CaughtMail } from "@authbridge/mail-client";

// Test-only settings of the test environment (.dev/test-env.sh), not the app's configuration.
// eslint-disable-next-line no-restricted-properties
export const SMTP_URL = process.env.SMTP_URL ?? "smtp://127.0.0.1:1125";
// eslint-disable-next-line no-restricted-properties
const MAIL_CATCHER_URL = process.env.MAIL_CATCHER_URL ?? "http://127.0.0.1:1180";

async function answers(): Promise<boolean> {
  try {
    return (await fetch(`${MAIL_CATCHER_URL}/api/healthz`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** Makes sure a catcher answers; returns a stop function (a no-op when it was already running). */
export async function ensureMailCatcher(): Promise<() => void> {
  if (await answers()) return () => undefined;
  // The launcher's catcher (maildev behind the inbox guard, tools/harness/src/mail-catcher-server.ts), run with the
  // repository root's tsx.
  const root = findRepoRoot();
  const smtp = new URL(SMTP_URL);
  const web = new URL(MAIL_CATCHER_URL);
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", path.join(root, "tools", "harness", "src", "mail-catcher-server.ts"), "--smtp", smtp.port, "--web", web.port],
    { cwd: root, stdio: "ignore" },
  );
  for (let i = 0; i < 100 && !(await answers()); i++) await sleep(100);
  if (!(await answers())) {
    child.kill();
    throw new Error(`the mail catcher did not start on ${SMTP_URL} / ${MAIL_CATCHER_URL}`);
  }
  return () => void child.kill();
}

/** The newest mail to `to` whose subject matches, waiting for it (mail is sent in the background). */
export const waitForMail = (to: string, subject: RegExp, timeoutMs = 10_000) => waitFor(to, subject, { timeoutMs, catcherUrl: MAIL_CATCHER_URL });

/** Every mail to `to` so far. */
export const mailsTo = (to: string) => mailsToIn(to, MAIL_CATCHER_URL);

/** Every distinct link of the HTML part. */
export const linksOf = mailLinks;
