// The account lifecycle's emails (docs/security.md "Account email"): each rendered from its React
// Email component (src/emails/) into an HTML and a plain-text part, with its one action link on the
// frontend's public URL (BETTER_AUTH_URL), then handed to the mailer without waiting.
import { render } from "@react-email/render";
import type { ReactElement } from "react";
import { createElement } from "react";
import type { ServerEnv } from "@/config/env-schema";
import { ExistingAccount, PasswordChanged, ResetPassword, VerifyEmail } from "@/emails/account-emails";
import type { MailMessage, Mailer } from "./mailer";

/** Verification and reset links expire after this long (docs/security.md "Account email"). */
export const LINK_LIFETIME_SECONDS = 60 * 60;

export interface MailUser {
  email: string;
  name: string;
}

async function message(to: string, subject: string, element: ReactElement): Promise<MailMessage> {
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { to, subject, html, text };
}

/** The frontend page a link opens: `${BETTER_AUTH_URL}${path}?token=…`. */
export const pageLink = (publicUrl: string, path: string, token?: string) =>
  `${publicUrl}${path}${token === undefined ? "" : `?token=${encodeURIComponent(token)}`}`;

export function accountMail(env: Pick<ServerEnv, "BETTER_AUTH_URL">, mailer: Mailer) {
  const base = env.BETTER_AUTH_URL;
  const minutes = LINK_LIFETIME_SECONDS / 60;
  const forgotPage = pageLink(base, "/forgot-password");
  return {
    verifyEmail(user: MailUser, token: string) {
      const url = pageLink(base, "/verify-email", token);
      mailer.send(() => message(user.email, "Confirm your email address", createElement(VerifyEmail, { name: user.name, url, expiresInMinutes: minutes })), "a verification email");
    },
    existingAccount(user: MailUser) {
      mailer.send(() => message(user.email, "You already have an account", createElement(ExistingAccount, { name: user.name, url: forgotPage })), "an existing-account notice");
    },
    resetPassword(user: MailUser, token: string) {
      const url = pageLink(base, "/reset-password", token);
      mailer.send(() => message(user.email, "Reset your password", createElement(ResetPassword, { name: user.name, url, expiresInMinutes: minutes })), "a password reset email");
    },
    passwordChanged(user: MailUser, how: "reset" | "change") {
      mailer.send(() => message(user.email, "Your password was changed", createElement(PasswordChanged, { name: user.name, url: forgotPage, how })), "a password-changed notice");
    },
  };
}

export type AccountMail = ReturnType<typeof accountMail>;
