"use client";
// "Download your data" (Settings, Profile): everything the backend keeps of the user, as a JSON file,
// through the Next.js server (src/app/api/export/route.ts: the browser never holds the backend token).
// The backend asks for a recent sign-in (docs/security.md "Step-up"); when it does, "Confirm it's you"
// (confirm-its-you.tsx) asks for the password (then the code, when the backend wants the second factor
// of an account with two-step sign-in on) or a passkey, then the download starts on its own.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { FormError } from "@/components/ui/form-error";
import { toast } from "@/components/ui/toaster";
import { NETWORK_ERROR_MESSAGE, reach } from "@/components/reach";
import { SignedOutNotice, useSignedOut } from "@/components/signed-out-notice";
import { ConfirmItsYou } from "./confirm-its-you";

const EXPORT_PATH = "/api/export";
const RETURN_TO = "/settings/profile";
/** Longer than a form's: the whole account comes back in one answer. */
const DOWNLOAD_TIMEOUT_MS = 60_000;

type State = { kind: "idle" | "preparing" } | { kind: "confirm"; secondFactor: boolean } | { kind: "error"; message: string };

/** The name the backend gave the file (`Content-Disposition: attachment; filename="…"`). */
function fileNameOf(disposition: string | null): string {
  return /filename="([^"]+)"/.exec(disposition ?? "")?.[1] ?? "authbridge-export.json";
}

function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

type Outcome = { saved: true } | { saved: false; status: number; body: { code?: string; message?: string; secondFactor?: boolean } };

async function fetchExport(signal: AbortSignal): Promise<Outcome> {
  const res = await fetch(EXPORT_PATH, { cache: "no-store", signal });
  if (res.ok) {
    save(await res.blob(), fileNameOf(res.headers.get("content-disposition")));
    return { saved: true };
  }
  return { saved: false, status: res.status, body: (await res.json().catch(() => ({}))) as Extract<Outcome, { saved: false }>["body"] };
}

function useDownload() {
  const [state, setState] = useState<State>({ kind: "idle" });
  const [signedOut, onSignedOut] = useSignedOut();
  async function download() {
    setState({ kind: "preparing" });
    const outcome = await reach(fetchExport, DOWNLOAD_TIMEOUT_MS);
    if (!outcome.reached) return setState({ kind: "error", message: NETWORK_ERROR_MESSAGE });
    const done = outcome.value;
    if (done.saved) {
      toast.success("Your data was downloaded");
      return setState({ kind: "idle" });
    }
    if (done.status === 401 && done.body.code === "INSUFFICIENT_USER_AUTHENTICATION") return setState({ kind: "confirm", secondFactor: done.body.secondFactor === true });
    if (done.status === 401) return onSignedOut();
    setState({ kind: "error", message: done.body.message ?? "Could not prepare your data. Try again." });
  }
  return { state, setState, signedOut, onSignedOut, download };
}

export interface DownloadDataProps {
  hasPassword: boolean;
  /** Two-step sign-in is on for the account. */
  twoFactor: boolean;
  /** The account has at least one passkey. */
  hasPasskey: boolean;
}

export function DownloadData({ hasPassword, twoFactor, hasPasskey }: DownloadDataProps) {
  const { state, setState, signedOut, onSignedOut, download } = useDownload();
  if (signedOut) return <SignedOutNotice />;
  return (
    <Card>
      <CardContent>
        <section className="grid gap-3" aria-labelledby="download-data-heading">
          <h3 id="download-data-heading" className="m-0 text-base font-semibold">
            Your data
          </h3>
          <p className="m-0 text-sm text-muted-foreground">Download your profile and every task as a JSON file. You may be asked to confirm it&apos;s you first.</p>
          <FormError message={state.kind === "error" ? state.message : undefined} />
          <Button type="button" variant="outline" onClick={() => void download()} disabled={state.kind === "preparing"} className="justify-self-start">
            {state.kind === "preparing" ? "Preparing your data…" : "Download your data"}
          </Button>
        </section>
        <ConfirmItsYou
          open={state.kind === "confirm"}
          onOpenChange={(open) => !open && setState({ kind: "idle" })}
          purpose="Downloading your data"
          hasPassword={hasPassword}
          twoFactor={twoFactor}
          hasPasskey={hasPasskey}
          secondFactor={state.kind === "confirm" && state.secondFactor}
          returnTo={RETURN_TO}
          onConfirmed={() => void download()}
          onSignedOut={onSignedOut}
        />
      </CardContent>
    </Card>
  );
}
