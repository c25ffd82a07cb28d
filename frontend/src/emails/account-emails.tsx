// Every email the account lifecycle sends (docs/security.md "Account email"): a component per
// message, each with at most one action link to the frontend's public URL.
import { EmailLayout, P, PRODUCT_NAME } from "./layout";

interface Named {
  name: string;
}

export function VerifyEmail({ name, url, expiresInMinutes }: Named & { url: string; expiresInMinutes: number }) {
  return (
    <EmailLayout
      preview={`Confirm your email address for ${PRODUCT_NAME}`}
      heading="Confirm your email address"
      action={{ label: "Confirm my email", url }}
      reason={`You (or someone using your address) created a ${PRODUCT_NAME} account. If it was not you, ignore this email: without the confirmation nobody can sign in to it.`}
    >
      <P>Hi {name},</P>
      <P>Confirm that this address is yours to finish creating your account. The link signs you in and works for {expiresInMinutes} minutes.</P>
    </EmailLayout>
  );
}

export function ExistingAccount({ name, url }: Named & { url: string }) {
  return (
    <EmailLayout
      preview={`Someone tried to create a ${PRODUCT_NAME} account with your address`}
      heading="You already have an account"
      action={{ label: "Reset my password", url }}
      reason={`This address already has a ${PRODUCT_NAME} account, so no new account was created. If you did not try to sign up, you can ignore this email.`}
    >
      <P>Hi {name},</P>
      <P>Someone just tried to create a new account with this email address. You already have one, so nothing was changed.</P>
      <P>If that was you and you forgot your password, you can choose a new one.</P>
    </EmailLayout>
  );
}

export function ResetPassword({ name, url, expiresInMinutes }: Named & { url: string; expiresInMinutes: number }) {
  return (
    <EmailLayout
      preview={`Reset your ${PRODUCT_NAME} password`}
      heading="Reset your password"
      action={{ label: "Choose a new password", url }}
      reason="You got this email because someone asked to reset the password of this account. If it was not you, ignore it: your password stays as it is."
    >
      <P>Hi {name},</P>
      <P>
        Use the link to choose a new password. It works once, for {expiresInMinutes} minutes. Choosing a new password signs
        you out everywhere.
      </P>
    </EmailLayout>
  );
}

export function PasswordChanged({ name, url, how }: Named & { url: string; how: "reset" | "change" }) {
  return (
    <EmailLayout
      preview={`Your ${PRODUCT_NAME} password was changed`}
      heading="Your password was changed"
      action={{ label: "Reset my password", url }}
      reason="This is a security notice sent whenever the password of your account changes."
    >
      <P>Hi {name},</P>
      <P>
        The password of your account was just {how === "reset" ? "reset through an emailed link" : "changed from your settings"}, and every
        other device was signed out.
      </P>
      <P>If this was not you, reset your password now to lock the other person out.</P>
    </EmailLayout>
  );
}

export function ConfirmNewEmail({ name, url, expiresInMinutes }: Named & { url: string; expiresInMinutes: number }) {
  return (
    <EmailLayout
      preview={`Confirm your new email address for ${PRODUCT_NAME}`}
      heading="Confirm your new email address"
      action={{ label: "Use this address", url }}
      reason={`You asked to sign in to ${PRODUCT_NAME} with this address from now on. If it was not you, ignore this email: nothing changes without the confirmation.`}
    >
      <P>Hi {name},</P>
      <P>Confirm that this address is yours, and your account will use it from then on. The link works for {expiresInMinutes} minutes.</P>
    </EmailLayout>
  );
}

export function EmailChangeRequested({ name, newEmail, url }: Named & { newEmail: string; url: string }) {
  return (
    <EmailLayout
      preview={`Your ${PRODUCT_NAME} email address is about to change`}
      heading="Your email address is about to change"
      action={{ label: "Reset my password", url }}
      reason="This is a security notice sent to the current address of your account whenever someone asks to change it."
    >
      <P>Hi {name},</P>
      <P>Someone signed in to your account asked to change its email address to {newEmail}. It changes only once that address confirms.</P>
      <P>If this was not you, reset your password now: that signs everyone out, and the change never happens unless confirmed.</P>
    </EmailLayout>
  );
}

export function DeleteAccount({ name, url, expiresInMinutes }: Named & { url: string; expiresInMinutes: number }) {
  return (
    <EmailLayout
      preview={`Confirm the deletion of your ${PRODUCT_NAME} account`}
      heading="Delete your account?"
      action={{ label: "Review and delete", url }}
      reason="You got this email because someone signed in to your account asked to delete it. If it was not you, ignore it and change your password."
    >
      <P>Hi {name},</P>
      <P>
        The link opens a page where you confirm. Deleting removes your profile, your password, every task and every session, for good. The link works
        once, for {expiresInMinutes} minutes, in the browser where you are signed in.
      </P>
    </EmailLayout>
  );
}

export function Goodbye({ name, url }: Named & { url: string }) {
  return (
    <EmailLayout
      preview={`Your ${PRODUCT_NAME} account was deleted`}
      heading="Your account was deleted"
      action={{ label: "Create a new account", url }}
      reason="This is the last email we send to this address about this account."
    >
      <P>Hi {name},</P>
      <P>Your account, its tasks and every session were deleted. Nothing of it is kept. Thank you for using {PRODUCT_NAME}.</P>
    </EmailLayout>
  );
}
