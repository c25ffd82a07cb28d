// Every email the account lifecycle sends (docs/security.md "Account email"): a component per
// message, each with one action link to the frontend's public URL (the change-of-email request
// has a second, "this wasn't me"). A name is text someone typed: it is given only for a mail to an
// address its user has proven (account-mail.ts), otherwise `null`, and the mail names nobody.
import { EmailLayout, P, PRODUCT_NAME } from "./layout";

interface Named {
  name: string | null;
}

/** "Hi Ada," to a proven address, "Hello," otherwise. */
const Greeting = ({ name }: Named) => <P>{name === null ? "Hello," : `Hi ${name},`}</P>;

export function VerifyEmail({ name, url, expiresInMinutes }: Named & { url: string; expiresInMinutes: number }) {
  return (
    <EmailLayout
      preview={`Confirm your email address for ${PRODUCT_NAME}`}
      heading="Confirm your email address"
      action={{ label: "Confirm my email", url }}
      reason={`You (or someone using your address) created an ${PRODUCT_NAME} account. If it was not you, open the link and choose "I didn't create this account": the address is yours, so the account becomes yours, and whoever made it is locked out.`}
    >
      <Greeting name={name} />
      <P>Confirm that this address is yours. The link works for {expiresInMinutes} minutes.</P>
    </EmailLayout>
  );
}

export function ExistingAccount({ name, url }: Named & { url: string }) {
  return (
    <EmailLayout
      preview={`Someone tried to create an ${PRODUCT_NAME} account with your address`}
      heading="You already have an account"
      action={{ label: "Reset my password", url }}
      reason={`This address already has an ${PRODUCT_NAME} account, so no new account was created. If you did not try to sign up, you can ignore this email.`}
    >
      <Greeting name={name} />
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
      <Greeting name={name} />
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
      <Greeting name={name} />
      <P>
        The password of your account was just {how === "reset" ? "reset through an emailed link" : "changed from your settings"}, and every
        other device was signed out.
      </P>
      <P>If this was not you, reset your password now to lock the other person out.</P>
    </EmailLayout>
  );
}

export function ConfirmNewEmail({ url, expiresInMinutes }: { url: string; expiresInMinutes: number }) {
  return (
    <EmailLayout
      preview={`Confirm this address for an ${PRODUCT_NAME} account`}
      heading="Confirm this email address"
      action={{ label: "Review and confirm", url }}
      reason={`Someone asked to use this address for an ${PRODUCT_NAME} account. If it was not you, ignore this email: nothing changes without the confirmation.`}
    >
      <Greeting name={null} />
      <P>
        Someone asked to use this address to sign in to their {PRODUCT_NAME} account. If that was you, confirm it. The change also needs the approval of
        the account&apos;s current address. The link works once, for {expiresInMinutes} minutes.
      </P>
    </EmailLayout>
  );
}

export function EmailChangeRequested({ name, newEmail, url, cancelUrl, expiresInMinutes }: Named & { newEmail: string; url: string; cancelUrl: string; expiresInMinutes: number }) {
  return (
    <EmailLayout
      preview={`Approve the change of your ${PRODUCT_NAME} email address`}
      heading="Approve the change of your email address?"
      action={{ label: "Review the change", url }}
      secondary={{ label: "This wasn't me: cancel it and sign out everywhere", url: cancelUrl }}
      reason="This is a security notice sent to the current address of your account whenever someone asks to change it. Nothing changes without your approval."
    >
      <Greeting name={name} />
      <P>Someone signed in to your account asked to change its email address to {newEmail}. It changes only if you approve here and that address confirms too. The links work for {expiresInMinutes} minutes.</P>
      <P>If this was not you, cancel it: every device signed in to your account is signed out. Then reset your password.</P>
    </EmailLayout>
  );
}

export function EmailChanged({ name, newEmail, url }: Named & { newEmail: string; url: string }) {
  return (
    <EmailLayout
      preview={`Your ${PRODUCT_NAME} email address was changed`}
      heading="Your email address was changed"
      action={{ label: "Sign in", url }}
      reason="This is the last security notice we send to this address about this account: it now belongs to the new one."
    >
      <Greeting name={name} />
      <P>Your account now signs in with {newEmail}. You approved this from this address, and the new one confirmed it.</P>
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
      <Greeting name={name} />
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
      <Greeting name={name} />
      <P>Your account, its tasks and every session were deleted. Nothing of it is kept. Thank you for using {PRODUCT_NAME}.</P>
    </EmailLayout>
  );
}

/** A high-risk change of how the account signs in (src/server/security-events/record.ts): what, from where, what to do. */
function SecurityNotice({ name, url, device, preview, heading, what }: Named & { url: string; device: string; preview: string; heading: string; what: string }) {
  return (
    <EmailLayout
      preview={preview}
      heading={heading}
      action={{ label: "Review your security activity", url }}
      reason="This is a security notice sent whenever the way your account signs in changes."
    >
      <Greeting name={name} />
      <P>
        {what} It was done from {device}.
      </P>
      <P>If this was not you, reset your password now and sign out everywhere from your settings: someone else can sign in to your account.</P>
    </EmailLayout>
  );
}

export function SecondFactorRemoved({ name, url, device }: Named & { url: string; device: string }) {
  return (
    <SecurityNotice
      name={name}
      url={url}
      device={device}
      preview={`A second factor was removed from your ${PRODUCT_NAME} account`}
      heading="A second factor was removed from your account"
      what="A second step your sign-ins needed beyond the password (an authenticator app, say) was removed from your account."
    />
  );
}

export function PasskeyAdded({ name, url, device }: Named & { url: string; device: string }) {
  return (
    <SecurityNotice
      name={name}
      url={url}
      device={device}
      preview={`A passkey was added to your ${PRODUCT_NAME} account`}
      heading="A passkey was added to your account"
      what="A new passkey can now sign in to your account without a password."
    />
  );
}
