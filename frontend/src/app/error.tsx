"use client";
// Any unexpected server error (e.g. the database is unreachable) ends here: a readable sentence
// and a retry, never a stack trace. The digest lets an operator find the log line.
import { TriangleAlert } from "lucide-react";
import Link from "next/link";
import { useEffect } from "react";
import { Button, buttonVariants } from "@/components/ui/button";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="mx-auto grid max-w-md justify-items-center gap-4 py-12 text-center">
      <TriangleAlert aria-hidden className="size-12 text-destructive" />
      <h1 className="m-0 text-3xl font-bold tracking-tight">Something went wrong</h1>
      <p className="m-0 text-muted-foreground" role="alert">
        The service could not complete this request. Please try again in a moment.
      </p>
      {error.digest ? <p className="m-0 text-sm text-muted-foreground">Reference: {error.digest}</p> : null}
      <div className="flex flex-wrap justify-center gap-3">
        <Button onClick={reset}>Try again</Button>
        <Link href="/" className={buttonVariants({ variant: "outline" })}>
          Home
        </Link>
      </div>
    </div>
  );
}
