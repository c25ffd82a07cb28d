// The page an emailed link opens when this browser is signed in to another account than the link's
// (docs/security.md "Login CSRF"): it says so, changes nothing, and offers the choice
// (switch-account-choice.tsx). Used by /reset-password and /verify-email/confirm.
import { AuthShell } from "../auth-shell";
import { SwitchAccountChoice } from "./switch-account-choice";

interface OtherAccountPageProps {
  titleTestId: string;
  /** The email of the account this browser is signed in to. */
  signedInAs: string;
  /** What the link does to its account's address, in words that read before it ("confirms"). */
  linkDoes: string;
  linkEmail: string;
}

export function OtherAccountPage({ titleTestId, signedInAs, linkDoes, linkEmail }: OtherAccountPageProps) {
  return (
    <AuthShell title="You're signed in to another account" titleTestId={titleTestId}>
      <p className="m-0 text-sm">
        This browser is signed in as <strong className="[overflow-wrap:anywhere]">{signedInAs}</strong>. The link you opened {linkDoes}{" "}
        <strong className="[overflow-wrap:anywhere]">{linkEmail}</strong>, another account. Nothing has changed yet.
      </p>
      <SwitchAccountChoice />
    </AuthShell>
  );
}
