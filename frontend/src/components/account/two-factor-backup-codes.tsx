"use client";
// The ten backup codes, shown once (after turning two-step sign-in on, or after making new ones): each
// works once in place of the app's code. Copy them all, or download them as a .txt file. The server
// keeps them encrypted and never shows them again (docs/security.md "Two-step sign-in").
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";
import { backupCodesFile } from "./two-factor-words";

function download(text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = "authbridge-backup-codes.txt";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

async function copyAll(codes: readonly string[]) {
  try {
    await navigator.clipboard.writeText(codes.join("\n"));
    toast.success("Backup codes copied");
  } catch {
    toast.error("Could not copy. Download them instead, or write them down.");
  }
}

export function TwoFactorBackupCodes({ codes, email, onDone }: { codes: readonly string[]; email: string; onDone: () => void }) {
  return (
    <div className="grid gap-3 text-sm" data-testid="backup-codes">
      <p className="m-0 rounded-md border border-input bg-muted px-3 py-2 font-medium" role="status">
        Save these now: you will not see them again.
      </p>
      <p className="m-0 text-muted-foreground">If you lose your phone, each of these codes signs you in once, in place of the app&apos;s code.</p>
      <ul className="m-0 grid list-none grid-cols-2 gap-x-6 gap-y-1 p-0 font-mono text-base" aria-label="Backup codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="outline" size="sm" onClick={() => void copyAll(codes)}>
          Copy all
        </Button>
        <Button type="button" variant="outline" size="sm" onClick={() => download(backupCodesFile(codes, email))}>
          Download as .txt
        </Button>
        <Button type="button" size="sm" onClick={onDone}>
          I saved them
        </Button>
      </div>
    </div>
  );
}
