// @authbridge/mail-client, the one mail-catcher client of every test suite (the frontend's integration tests, the
// browser tests, the tooling's own): the catcher's JSON API read with a plain `fetch`, no `Origin`, as the inbox
// guard allows (tools/harness/src/mail-catcher-server.ts). No dependency and no import, so that any workspace can
// depend on it cheaply. The catcher is where MAIL_CATCHER_URL says (`npm test` sets it), else the test one.

export interface CaughtMail {
  id: string;
  subject: string;
  time: string;
  to: { address: string }[];
  from: { address: string; name: string }[];
  html: string;
  text: string;
}

export interface WaitOptions {
  /** Only mail received at or after this time (ms since the epoch; the catcher keeps whole seconds). */
  after?: number;
  timeoutMs?: number;
  /** The catcher's web address; MAIL_CATCHER_URL, else the test catcher's. */
  catcherUrl?: string;
}

/** Where the catcher answers: MAIL_CATCHER_URL, else the one `npm test` starts. */
export const mailCatcherUrl = (): string => process.env.MAIL_CATCHER_URL ?? "http://127.0.0.1:1180";

/** Every mail the catcher holds. */
export async function inbox(catcherUrl = mailCatcherUrl()): Promise<CaughtMail[]> {
  const res = await fetch(`${catcherUrl}/api/email`);
  if (!res.ok) throw new Error(`mail catcher answered ${res.status}`);
  return (await res.json()) as CaughtMail[];
}

const isTo = (mail: CaughtMail, address: string) => mail.to.some((t) => t.address.toLowerCase() === address.toLowerCase());

/** Every mail to `to` so far (for "nothing was sent" checks). */
export async function mailsTo(to: string, catcherUrl = mailCatcherUrl()): Promise<CaughtMail[]> {
  return (await inbox(catcherUrl)).filter((m) => isTo(m, to));
}

/**
 * The newest mail to `to` whose subject matches, polling until it comes (mail is sent in the background), at most
 * `timeoutMs` (15 s): a bounded poll, then an error naming what did not come.
 */
export async function waitForMail(to: string, subject: RegExp, opts: WaitOptions = {}): Promise<CaughtMail> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  const after = opts.after === undefined ? undefined : Math.floor(opts.after / 1000) * 1000;
  for (;;) {
    const found = (await inbox(opts.catcherUrl))
      .filter((m) => isTo(m, to) && subject.test(m.subject) && (after === undefined || Date.parse(m.time) >= after))
      .sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
    if (found[0]) return found[0];
    if (Date.now() >= deadline) throw new Error(`no mail to ${to} matching ${subject} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every distinct link of a mail's HTML part, `&amp;` decoded. */
export const mailLinks = (mail: CaughtMail): string[] => [...new Set([...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => (m[1] ?? "").replaceAll("&amp;", "&")))];
