// The account lifecycle's emails (docs/security.md "Account email"): each rendered from its React
// Email component (src/emails/) into an HTML and a plain-text part, with its one action link on the
// frontend's public URL (BETTER_AUTH_URL), then handed to the mailer without waiting.
import { render } from "@react-email/render";
import type { ReactElement } from "react";
import { createElement } from "react";
import type { ServerEnv } from "@/config/env-schema";
import { ConfirmNewEmail, DeleteAccount, EmailChangeRequested, ExistingAccount, Goodbye, PasswordChanged, ResetPassword, VerifyEmail } from "@/emails/account-emails";
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
    /** A change of address: the link to the new one, a notice to the current one. */
    emailChange(user: MailUser, newEmail: string, token: string) {
      const url = pageLink(base, "/verify-email", token);
      mailer.send(() => message(newEmail, "Confirm your new email address", createElement(ConfirmNewEmail, { name: user.name, url, expiresInMinutes: minutes })), "a new-address confirmation");
      mailer.send(() => message(user.email, "Your email address is about to change", createElement(EmailChangeRequested, { name: user.name, newEmail, url: forgotPage })), "an email-change notice");
    },
    deleteAccount(user: MailUser, token: string) {
      const url = pageLink(base, "/settings/danger", token);
      mailer.send(() => message(user.email, "Confirm the deletion of your account", createElement(DeleteAccount, { name: user.name, url, expiresInMinutes: minutes })), "an account deletion link");
    },
    goodbye(user: MailUser) {
      mailer.send(() => message(user.email, "Your account was deleted", createElement(Goodbye, { name: user.name, url: pageLink(base, "/sign-up") })), "a goodbye email");
    },
    passwordChanged(user: MailUser, how: "reset" | "change") {
      mailer.send(() => message(user.email, "Your password was changed", createElement(PasswordChanged, { name: user.name, url: forgotPage, how })), "a password-changed notice");
    },
  };
}

export type AccountMail = ReturnType<typeof accountMail>;
