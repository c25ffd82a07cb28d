"use client";
// Chooses a new password with the link's token: the same live rule list as sign-up (the server's
// policy, src/lib/password-policy.ts). Success ends every session of the account and signs this
// browser in (src/server/reset-sign-in.ts): on to the dashboard. A browser signed in to another
// account stays in it, and is told to sign in with the new password.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { buttonVariants } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";
import { checkPassword, type PasswordPolicyName } from "@/lib/password-policy";
import { PasswordRules } from "../password-rules";
import { UNREACHABLE } from "./email-request-form";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { PasswordInput } from "@/components/ui/password-input";

type State = { kind: "idle" | "sending" | "done" } | { kind: "error"; message: string; linkDead?: boolean };

export function ResetPasswordForm({ token, policy }: { token: string; policy: PasswordPolicyName }) {
  const router = useRouter();
  const [password, setPassword] = useState("");
  const [state, setState] = useState<State>({ kind: "idle" });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (state.kind === "sending") return;
    const failures = checkPassword(password, policy);
    if (failures.length) return setState({ kind: "error", message: failures.map((f) => f.message).join(" ") });
    setState({ kind: "sending" });
    try {
      const { data, error } = await authClient.resetPassword({ newPassword: password, token });
      if (!error) {
        if (!(data as { signedIn?: boolean } | null)?.signedIn) return setState({ kind: "done" });
        toast.success("Password changed. You are signed in.");
        router.replace("/dashboard");
        router.refresh();
        return;
      }
      const e = error as { code?: string; message?: string; fields?: { message: string }[] };
      if (e.code === "INVALID_TOKEN") return setState({ kind: "error", message: "This link has expired or was already used.", linkDead: true });
      setState({ kind: "error", message: e.fields?.map((f) => f.message).join(" ") || e.message || "Could not change the password right now. Try again." });
    } catch {
      setState({ kind: "error", message: UNREACHABLE });
    }
  }

  if (state.kind === "done") {
    return (
      <div role="status" className="grid gap-3 text-sm" data-testid="password-reset-done">
        <p className="m-0">Your password was changed, and every device that was signed in to that account has been signed out.</p>
        <p className="m-0">
          <Link href="/sign-in">Sign in with your new password</Link>
        </p>
      </div>
    );
  }
  return (
    <form className="grid gap-3" onSubmit={onSubmit} aria-label="Choose a new password" noValidate>
      <div className="grid gap-2">
        <Label htmlFor="new-password">New password</Label>
        <PasswordInput
          id="new-password"
          name="password"
          autoComplete="new-password"
          required
          value={password}
          aria-describedby="reset-password-rules"
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <PasswordRules id="reset-password-rules" policy={policy} password={password} />
      {state.kind === "error" ? (
        <p role="alert" className="m-0 text-sm text-destructive">
          {state.message}
        </p>
      ) : null}
      {state.kind === "error" && state.linkDead ? (
        <Link href="/forgot-password" className={buttonVariants({ variant: "outline" })}>
          Send me a new link
        </Link>
      ) : null}
      <Button type="submit" disabled={state.kind === "sending"} >
        {state.kind === "sending" ? "Saving…" : "Set new password"}
      </Button>
    </form>
  );
}
