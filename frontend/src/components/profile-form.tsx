"use client";
// The profile tab: the name (same rules as sign-up, src/lib/profile-rules.ts) and the email the
// account signs in with.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient } from "@/lib/auth-client";
import { checkName, NAME_MAX_CODE_POINTS } from "@/lib/profile-rules";
import { accountErrors } from "./auth-errors";
import { NETWORK_ERROR_MESSAGE, reach } from "./reach";
import { SignedOutNotice } from "./signed-out-notice";
import { Field } from "./ui/field";
import { FormError } from "./ui/form-error";
import { Input } from "./ui/input";
import { Label } from "./ui/label";
import { toast } from "./ui/toaster";
import { focusById, useFields } from "./use-fields";
import { SubmitButton } from "@/components/ui/submit-button";

const IDS = { name: "profile-name", form: "profile-error" } as const;

export function ProfileForm({ name, email }: { name: string; email: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [signedOut, setSignedOut] = useState(false);
  const form = useFields({ name }, (v) => ({ name: checkName(v.name.trim())[0]?.message }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const local = form.submit();
    if (local.name) return focusById(IDS.name);
    setPending(true);
    const result = await reach((signal) => authClient.updateUser({ name: form.values.name.trim() }, { signal }));
    setPending(false);
    if (result.reached && !result.value.error) {
      toast.success("Profile saved");
      router.refresh(); // the header shows the new name
      return;
    }
    if (!result.reached) {
      form.setServerErrors({ form: NETWORK_ERROR_MESSAGE });
      return focusById(IDS.form);
    }
    if (result.value.error!.status === 401) {
      setSignedOut(true);
      return focusById("profile-signed-out");
    }
    const mapped = accountErrors(result.value.error!, "profile");
    form.setServerErrors({ name: mapped.name, form: mapped.form ?? mapped.email ?? mapped.password });
    focusById(mapped.name ? IDS.name : IDS.form);
  }

  return (
    <form className="grid gap-5" onSubmit={onSubmit} noValidate aria-busy={pending} aria-label="Profile">
      {signedOut ? <SignedOutNotice id="profile-signed-out" /> : null}
      <FormError id={IDS.form} message={form.errors.form} />
      <Field id={IDS.name} label="Name" type="text" autoComplete="name" required maxLength={NAME_MAX_CODE_POINTS * 2} error={form.errors.name} {...form.bind("name")} />
      <div className="grid gap-2">
        <Label htmlFor="profile-email">Email</Label>
        <Input id="profile-email" type="email" value={email} readOnly aria-describedby="profile-email-hint" className="bg-muted" />
        <p id="profile-email-hint" className="m-0 text-sm text-muted-foreground">
          The address you sign in with.
        </p>
      </div>
      <div>
        <SubmitButton disabled={pending}>
          {pending ? "Saving…" : "Save profile"}
        </SubmitButton>
      </div>
    </form>
  );
}
