"use client";
// A form's submit button, pressable once the page is interactive. Before hydration a press would do
// nothing the user can see (the form's handler is not attached yet) or, worse, send the fields as a
// plain form would, so until then the button is disabled, which also holds back the Enter key's
// implicit submission (HTML: a form whose default button is disabled does not submit).
import { useSyncExternalStore } from "react";
import { Button, type ButtonProps } from "./button";

const unsubscribed = () => () => undefined;

/** False on the server and while hydrating, true once React runs in the browser. */
export const useHydrated = () =>
  useSyncExternalStore(
    unsubscribed,
    () => true,
    () => false,
  );

export function SubmitButton({ disabled, ...props }: Omit<ButtonProps, "type" | "asChild">) {
  const hydrated = useHydrated();
  return <Button type="submit" disabled={disabled || !hydrated} {...props} />;
}
