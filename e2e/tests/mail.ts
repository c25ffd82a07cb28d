// Reading mail in the browser tests: every email the stack sends lands in the test mail catcher
// (maildev, started by `npm test`: tools/harness/src/mail-catcher.ts), read here through its JSON API.
import { expect } from "@playwright/test";

const MAIL_CATCHER_URL = process.env.MAIL_CATCHER_URL ?? "http://127.0.0.1:1180";

export interface CaughtMail {
  id: string;
  subject: string;
  time: string;
  to: { address: string }[];
  from: { address: string; name: string }[];
  html: string;
  text: string;
}

async function inbox(): Promise<CaughtMail[]> {
  const res = await fetch(`${MAIL_CATCHER_URL}/api/email`);
  if (!res.ok) throw new Error(`mail catcher answered ${res.status}`);
  return (await res.json()) as CaughtMail[];
}

/** The newest mail to `to` whose subject matches, waiting for it (mail is sent in the background). */
export async function waitForMail(to: string, subject: RegExp, opts: { after?: number; timeoutMs?: number } = {}): Promise<CaughtMail> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  const address = to.toLowerCase();
  while (Date.now() < deadline) {
    const found = (await inbox())
      .filter((m) => m.to.some((t) => t.address.toLowerCase() === address) && subject.test(m.subject))
      .filter((m) => opts.after === undefined || Date.parse(m.time) >= Math.floor(opts.after / 1000) * 1000)
      .sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
    if (found[0]) return found[0];
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${to} matching ${subject} within ${opts.timeoutMs ?? 15_000} ms`);
}

/** Every mail to `to` so far (for "nothing was sent" checks). */
export async function mailsTo(to: string): Promise<CaughtMail[]> {
  const address = to.toLowerCase();
  return (await inbox()).filter((m) => m.to.some((t) => t.address.toLowerCase() === address));
}

/** Every distinct link of an email's HTML part. */
export const mailLinks = (mail: CaughtMail): string[] => [...new Set([...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&")))];

/** The one action link of an email: the same URL in the HTML button and in the plain-text part. */
export function actionLink(mail: CaughtMail): string {
  const links = mailLinks(mail);
  expect(links, `one action link in "${mail.subject}"`).toHaveLength(1);
  expect(mail.text).toContain(links[0]!);
  return links[0]!;
}
