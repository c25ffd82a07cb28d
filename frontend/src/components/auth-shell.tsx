// The frame of the signed-out pages (sign in, create account, and the email pages beside them): a
// centred card with the page's h1, an optional line under it, the form, and a footer line.
import type { ReactNode } from "react";
import { Card, CardContent } from "./ui/card";

export function AuthShell({
  title,
  titleTestId,
  description,
  children,
  footer,
}: {
  title: string;
  titleTestId?: string;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="mx-auto w-full max-w-md">
      <Card>
        <CardContent className="grid gap-6">
          <div className="grid gap-1">
            <h1 className="m-0 text-2xl font-bold tracking-tight" data-testid={titleTestId}>
              {title}
            </h1>
            {description ? <p className="m-0 text-sm text-muted-foreground">{description}</p> : null}
          </div>
          {children}
        </CardContent>
      </Card>
      {footer ? <p className="mt-4 text-center text-sm text-muted-foreground">{footer}</p> : null}
    </div>
  );
}
