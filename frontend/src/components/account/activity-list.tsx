// The account's security events, newest first (src/app/settings/activity/): what happened in plain
// words, from which device (browser and system) and coarse place, and when, in the reader's own
// time zone (LocalTime). A page holds 20; the links page through the older ones and back.
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { LocalTime } from "@/components/ui/local-time";
import type { ActivityEvent } from "@/server/security-events/activity";
import { describeActivity, describeNetwork } from "./activity-words";
import { describeDevice } from "./device-name";

export function ActivityList({ events, currentSessionId, older, firstPage }: { events: ActivityEvent[]; currentSessionId: string; older: string | null; firstPage: boolean }) {
  return (
    <div className="grid gap-4">
      {events.length === 0 ? (
        <p className="m-0 text-sm text-muted-foreground">{firstPage ? "Nothing recorded yet." : "No older events."}</p>
      ) : (
        <ol className="m-0 grid list-none gap-3 p-0" aria-label="Security events, newest first">
          {events.map((event) => (
            <li key={event.id} className="grid gap-1 rounded-md border border-input p-3 text-sm" data-testid="activity-event" data-type={event.type}>
              <p className="m-0 font-medium">
                {describeActivity(event)}
                {event.sessionId === currentSessionId ? <span className="ml-2 rounded bg-muted px-2 py-0.5 text-xs">This session</span> : null}
              </p>
              <p className="m-0 text-muted-foreground">
                {describeDevice(event.userAgent)} · {describeNetwork(event.network)}
              </p>
              <p className="m-0 text-muted-foreground">
                <LocalTime iso={event.createdAt} />
              </p>
            </li>
          ))}
        </ol>
      )}
      {firstPage && older === null ? null : (
        <nav aria-label="Older and newer events" className="flex flex-wrap gap-3">
          {firstPage ? null : (
            <Button asChild variant="outline" size="sm">
              <Link href="/settings/activity">Newest events</Link>
            </Button>
          )}
          {older === null ? null : (
            <Button asChild variant="outline" size="sm">
              <Link href={`/settings/activity?before=${older}`}>Older events</Link>
            </Button>
          )}
        </nav>
      )}
    </div>
  );
}
