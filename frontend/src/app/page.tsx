import type { Metadata } from "next";
import { KeyRound, ListChecks, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { getSession } from "@/server/session";

export const metadata: Metadata = { title: { absolute: "authbridge — your tasks, private by design" } };

const POINTS = [
  { Icon: ListChecks, title: "Your tasks, only yours", text: "Add, edit, complete and filter your tasks. Nobody else can see or touch them." },
  { Icon: KeyRound, title: "Strong sign-in", text: "Passwords that are easy to guess are refused, with the reason; changing yours signs out every other device." },
  { Icon: ShieldCheck, title: "Sessions you control", text: "See where you are signed in and end any session, or all of them, from Settings." },
] as const;

export default async function Home() {
  const session = await getSession().catch(() => null);
  return (
    <div className="grid gap-12 py-6">
      <section className="mx-auto grid max-w-2xl gap-6 text-center">
        <h1 className="m-0 text-4xl font-bold tracking-tight sm:text-5xl">Your tasks, private by design.</h1>
        <p className="m-0 text-lg text-muted-foreground">
          authbridge is a small task list with an account system done properly: one sign-in, every request checked, and tasks nobody else can
          see.
        </p>
        <div className="flex flex-wrap justify-center gap-3">
          {session ? (
            <Link href="/dashboard" className={buttonVariants({ size: "lg" })}>
              Go to your tasks
            </Link>
          ) : (
            <>
              <Link href="/sign-up" className={buttonVariants({ size: "lg" })}>
                Create an account
              </Link>
              <Link href="/sign-in" className={buttonVariants({ size: "lg", variant: "outline" })}>
                Sign in
              </Link>
            </>
          )}
        </div>
      </section>
      <ul className="m-0 grid list-none gap-4 p-0 sm:grid-cols-3" role="list">
        {POINTS.map(({ Icon, title, text }) => (
          <li key={title}>
            <Card className="h-full">
              <CardContent className="grid gap-2">
                <Icon aria-hidden className="size-6 text-primary" />
                <h2 className="m-0 text-base font-semibold">{title}</h2>
                <p className="m-0 text-sm text-muted-foreground">{text}</p>
              </CardContent>
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
}
