// Outgoing mail over SMTP (nodemailer), configured by SMTP_URL and MAIL_FROM (README.md
// "Configuration"). Works unchanged with a provider's SMTP endpoint (Postmark, SES, Resend, ...)
// and with the local catcher that `npm run dev` starts.
// `send` never makes the caller wait and never throws: a request that sends mail answers as soon
// as its own work is done (the mail is rendered and delivered after the response, through
// after-response.ts), and a mail outage is a log line with its cause, never a failed request.
import nodemailer from "nodemailer";
import { DEV_SMTP_URL, type ServerEnv } from "../../config/env-schema";
import { afterResponse } from "../after-response";

export interface MailMessage {
  to: string;
  subject: string;
  html: string;
  text: string;
}

export interface Mailer {
  /**
   * Fire and forget: rendering and delivery happen after the response; a failure is logged with its
   * cause. `message` may decide not to send after all (null).
   */
  send(message: () => Promise<MailMessage | null>, what: string): void;
  /** Delivers and waits (tests, the doctor); rejects on failure. */
  deliver(message: MailMessage): Promise<void>;
  /** Opens a connection and greets the server: does SMTP answer (and accept our login)? */
  verify(): Promise<void>;
}

/** Bounded waits: a server that never answers is a failure after seconds, not a hung promise. */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as const;

/** `a…@example.com`: enough to follow a mail in the log, not a list of addresses. */
export const maskAddress = (address: string) => {
  const at = address.lastIndexOf("@");
  return at <= 0 ? "…" : `${address[0]}…${address.slice(at)}`;
};

/** What went wrong, in one line, without credentials (nodemailer's error codes and the server's reply). */
export function mailFailureCause(err: unknown): string {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  const parts = [e.code, e.responseCode ? String(e.responseCode) : undefined, e.response ?? e.message].filter(Boolean);
  return parts.join(" ").replace(/\/\/[^@\s]*@/g, "//***@").slice(0, 300) || "unknown error";
}

export function smtpMailer(env: Pick<ServerEnv, "SMTP_URL" | "MAIL_FROM">): Mailer {
  const transport = nodemailer.createTransport(env.SMTP_URL ?? DEV_SMTP_URL, { from: env.MAIL_FROM });
  Object.assign(transport.options, TIMEOUTS);
  const deliver = async (message: MailMessage) => {
    await transport.sendMail({ from: env.MAIL_FROM, ...message });
  };
  return {
    deliver,
    send(message, what) {
      afterResponse(async () => {
        let rendered: MailMessage | null;
        try {
          rendered = await message();
        } catch (err) {
          console.error(`mail: could not render ${what}: ${mailFailureCause(err)}`);
          return;
        }
        if (rendered === null) return;
        try {
          await deliver(rendered);
        } catch (err) {
          console.error(`mail: could not send ${what} to ${maskAddress(rendered.to)}: ${mailFailureCause(err)}`);
        }
      });
    },
    async verify() {
      await transport.verify();
    },
  };
}
