// The mailer (mailer.ts) against real SMTP: the test mail catcher (src/test/mail-catcher.ts) and a
// port where nothing listens. `verify` is what `npm run doctor` asks (scripts/doctor.ts); `deliver`
// waits for the server's acceptance; a failure's cause is one line without credentials.
import net from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureConsole } from "@/test/console-capture";
import { ensureMailCatcher, SMTP_URL, waitForMail } from "@/test/mail-catcher";
import { mailFailureCause, smtpMailer } from "./mailer";

const MAIL_FROM = "authbridge tests <no-reply@example.test>";

let stopCatcher: () => void = () => undefined;
beforeAll(async () => {
  stopCatcher = await ensureMailCatcher();
});
afterAll(() => stopCatcher());

/** A local port nobody listens on (bound, then released). */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe("smtpMailer", () => {
  it("verifies a server that answers, and delivers to it", async () => {
    const mailer = smtpMailer({ SMTP_URL, MAIL_FROM });
    await expect(mailer.verify()).resolves.toBeUndefined();
    const to = `mailer-${randomUUID()}@example.test`;
    await mailer.deliver({ to, subject: "Mailer test", html: "<p>hello</p>", text: "hello" });
    const mail = await waitForMail(to, /^Mailer test$/);
    expect(mail.from).toEqual([{ address: "no-reply@example.test", name: "authbridge tests" }]);
    expect(mail.text.trim()).toBe("hello");
  });

  it("refuses to verify a server that is not there, with a cause that names neither user nor password", async () => {
    const mailer = smtpMailer({ SMTP_URL: `smtp://someone:s3cret@127.0.0.1:${await closedPort()}`, MAIL_FROM });
    const err = await mailer.verify().then(() => expect.unreachable("verify() succeeded"), (e: unknown) => e);
    const cause = mailFailureCause(err);
    expect(cause).toMatch(/^ESOCKET connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    expect(cause).not.toMatch(/someone|s3cret/);
  });

  it("says a mail it could not render in one line, after the response, and sends nothing", async () => {
    const errors = captureConsole("error");
    smtpMailer({ SMTP_URL, MAIL_FROM }).send(async () => {
      throw new Error("the template broke");
    }, "a test notice");
    await expect.poll(() => errors.lines(), { timeout: 5000 }).toEqual(["mail: could not render a test notice: the template broke"]);
  });
});
