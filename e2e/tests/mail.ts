// Reading mail in the browser tests: every email the stack sends lands in the test mail catcher (maildev, started
// by `npm test`: tools/harness/src/mail-catcher.ts), read through the one mail client of every suite
// (tools/mail-client/src/index.ts); only the check of an email's one action link is Playwright's own.
import { expect } from "@playwright/test";
import { type CaughtMail, mailLinks } from "@authbridge/mail-client";

export { mailLinks, mailsTo, waitForMail } from "@authbridge/mail-client";

/** The one action link of an email: the same URL in the HTML button and in the plain-text part. */
export function actionLink(mail: CaughtMail): string {
  const links = mailLinks(mail);
  expect(links, `one action link in "${mail.subject}"`).toHaveLength(1);
  expect(mail.text).toContain(links[0]!);
  return links[0]!;
}
