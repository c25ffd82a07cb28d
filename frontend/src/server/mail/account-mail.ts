// The account lifecycle's emails (docs/security.md "Account email"): each rendered from its React
// Email component (src/emails/) into an HTML and a plain-text part, with its action link on the
// frontend's public URL (BETTER_AUTH_URL), then handed to the mailer without waiting.
// Mail that cannot be turned against anyone (docs/security.md "Mail that cannot be turned against
// anyone"): a mail to an address its user has not proven (an unconfirmed sign-up, the new address
// of a change) names nobody, and spends the recipient's budget, one budget per address across every
// kind of mail, so a flood from one account or many reaches an inbox a few times an hour at most.
import { render } from "@react-email/render";
import type { ReactElement } from "react";
import { createElement } from "react";
import type { ServerEnv } from "@/config/env-schema";
import {
  ConfirmNewEmail,
  DeleteAccount,
  EmailChanged,
  EmailChangeRequested,
  ExistingAccount,
  Goodbye,
  PasskeyAdded,
  PasswordChanged,
  ResetPassword,
  SecondFactorRemoved,
  VerifyEmail,
} from "@/emails/account-emails";
import { maskAddress, type MailMessage, type Mailer } from "./mailer";

/** Verification and reset links expire after this long (docs/security.md "Account email"). */
export const LINK_LIFETIME_SECONDS = 60 * 60;

export interface MailUser {
  email: string;
  name: string;
  /** Whether the user has proven `email` is theirs; only then does a mail to it carry their name. */
  emailVerified: boolean;
}

/**
 * Takes one mail from `address`'s budget. Only "allowed" sends it: "spent" is over the budget, and a
 * budget that could not be counted (the database is down) sends nothing either (the mail could be one
 * of a flood).
 */
export type RecipientBudget = (address: string) => Promise<"allowed" | "spent" | { unavailable: string }>;

const unlimited: RecipientBudget = async () => "allowed";

async function message(to: string, subject: string, element: ReactElement): Promise<MailMessage> {
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { to, subject, html, text };
}

/** The frontend page a link opens: `${BETTER_AUTH_URL}${path}?token=…`. */
const pageLink = (publicUrl: string, path: string, token?: string) =>
  `${publicUrl}${path}${token === undefined ? "" : `?token=${encodeURIComponent(token)}`}`;

/** Mail to an address proven to be `user`'s carries their name; any other spends the budget first. */
const sender = (mailer: Mailer, budget: RecipientBudget) => (to: string, proven: boolean, subject: string, element: ReactElement, what: string) =>
  mailer.send(async () => {
    const verdict = proven ? "allowed" : await budget(to);
    if (verdict === "allowed") return message(to, subject, element);
    const why = verdict === "spent" ? "this address's budget for this hour is spent" : `its budget could not be counted (${verdict.unavailable})`;
    console.warn(`mail: ${what} to ${maskAddress(to)} not sent: ${why}`);
    return null;
  }, what);

export function accountMail(env: Pick<ServerEnv, "BETTER_AUTH_URL">, mailer: Mailer, budget: RecipientBudget = unlimited) {
  const base = env.BETTER_AUTH_URL;
  const minutes = LINK_LIFETIME_SECONDS / 60;
  const forgotPage = pageLink(base, "/forgot-password");
  const send = sender(mailer, budget);
  const nameFor = (user: MailUser) => (user.emailVerified ? user.name : null);
  return {
    verifyEmail(user: MailUser, token: string) {
      const url = pageLink(base, "/verify-email", token);
      send(user.email, false, "Confirm your email address", createElement(VerifyEmail, { name: null, url, expiresInMinutes: minutes }), "a verification email");
    },
    existingAccount(user: MailUser) {
      send(user.email, user.emailVerified, "You already have an account", createElement(ExistingAccount, { name: nameFor(user), url: forgotPage }), "an existing-account notice");
    },
    resetPassword(user: MailUser, token: string) {
      const url = pageLink(base, "/reset-password", token);
      send(user.email, user.emailVerified, "Reset your password", createElement(ResetPassword, { name: nameFor(user), url, expiresInMinutes: minutes }), "a password reset email");
    },
    /** A change of address: the current address approves (or cancels), the new one confirms. */
    emailChange(user: MailUser, newEmail: string, tokens: { current: string; new: string }) {
      const review = pageLink(base, "/email-change", tokens.current);
      const cancel = `${review}&intent=cancel`;
      send(
        user.email,
        user.emailVerified,
        "Approve the change of your email address",
        createElement(EmailChangeRequested, { name: nameFor(user), newEmail, url: review, cancelUrl: cancel, expiresInMinutes: minutes }),
        "an email-change approval",
      );
      const confirm = pageLink(base, "/email-change", tokens.new);
      send(newEmail, false, "Confirm this email address", createElement(ConfirmNewEmail, { url: confirm, expiresInMinutes: minutes }), "a new-address confirmation");
    },
    /** After a change: the last notice to the address the account left. */
    emailChanged(user: MailUser, oldEmail: string) {
      send(oldEmail, true, "Your email address was changed", createElement(EmailChanged, { name: user.name, newEmail: user.email, url: pageLink(base, "/sign-in") }), "an email-changed notice");
    },
    deleteAccount(user: MailUser, token: string) {
      const url = pageLink(base, "/settings/danger", token);
      send(user.email, user.emailVerified, "Confirm the deletion of your account", createElement(DeleteAccount, { name: nameFor(user), url, expiresInMinutes: minutes }), "an account deletion link");
    },
    goodbye(user: MailUser) {
      send(user.email, user.emailVerified, "Your account was deleted", createElement(Goodbye, { name: nameFor(user), url: pageLink(base, "/sign-up") }), "a goodbye email");
    },
    passwordChanged(user: MailUser, how: "reset" | "change") {
      send(user.email, user.emailVerified, "Your password was changed", createElement(PasswordChanged, { name: nameFor(user), url: forgotPage, how }), "a password-changed notice");
    },
    /** High-risk events (src/server/security-events/record.ts sends them): `device` is who did it, in words. */
    secondFactorRemoved(user: MailUser, device: string) {
      const url = pageLink(base, "/settings/activity");
      send(user.email, user.emailVerified, "A second factor was removed from your account", createElement(SecondFactorRemoved, { name: nameFor(user), url, device }), "a second-factor-removed notice");
    },
    passkeyAdded(user: MailUser, device: string) {
      const url = pageLink(base, "/settings/activity");
      send(user.email, user.emailVerified, "A passkey was added to your account", createElement(PasskeyAdded, { name: nameFor(user), url, device }), "a passkey-added notice");
    },
  };
}

export type AccountMail = ReturnType<typeof accountMail>;
