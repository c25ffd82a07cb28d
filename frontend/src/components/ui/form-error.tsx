// The error that belongs to a whole form (not one field), announced as an alert. Focusable (not in
// the tab order), so a form can move focus to it after a refused submit.
import { CircleAlert } from "lucide-react";
import { cn } from "./cn";

export function FormError({ message, className, id }: { message?: string; className?: string; id?: string }) {
  if (!message) return null;
  return (
    <p id={id} tabIndex={-1} className={cn("m-0 flex items-start gap-2 rounded-md border border-destructive px-3 py-2 text-sm text-destructive [&_svg]:mt-0.5 [&_svg]:size-4 [&_svg]:shrink-0", className)} role="alert">
      <CircleAlert aria-hidden />
      <span>{message}</span>
    </p>
  );
}
