// One settings page's content: its heading (the target of focus after switching tabs,
// src/components/route-focus.tsx), a line saying what it is for, and a card holding the rest.
import type { ReactNode } from "react";
import { Card, CardContent } from "./ui/card";

export function SettingsSection({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <section className="grid gap-4" aria-labelledby="settings-section-heading">
      <div className="grid gap-1">
        <h2 id="settings-section-heading" data-route-heading tabIndex={-1} className="m-0 text-xl font-semibold focus:outline-none">
          {title}
        </h2>
        {description ? <p className="m-0 text-sm text-muted-foreground">{description}</p> : null}
      </div>
      <Card>
        <CardContent>{children}</CardContent>
      </Card>
    </section>
  );
}
