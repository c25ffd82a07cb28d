import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/sign-up-form";
import { env } from "@/env";
import { getSession } from "@/server/session";

export const metadata: Metadata = { title: "Create account" };

export default async function SignUpPage() {
  if (await getSession()) redirect("/dashboard");
  return (
    <>
      <h1>Create account</h1>
      <SignUpForm policy={env.PASSWORD_POLICY} />
    </>
  );
}
