"use client";
// Any unexpected server error (e.g. the database is unreachable) ends here: a readable sentence
// and a retry, never a stack trace. The digest lets an operator find the log line.
import { useEffect } from "react";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <>
      <h1>Something went wrong</h1>
      <p className="banner" role="alert">
        The service could not complete this request. Please try again in a moment.
      </p>
      {error.digest ? <p className="muted">Reference: {error.digest}</p> : null}
      <button type="button" onClick={reset}>
        Try again
      </button>
    </>
  );
}
