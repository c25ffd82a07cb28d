"use client";
// Times in the reader's own time zone and language: "5 minutes ago", "yesterday", then a date
// ("2 Dec 2026"), with the full date and time, zone included, in the <time> element's title and
// dateTime. The server knows neither the reader's zone nor their clock, so it renders the date alone,
// in UTC (the same on the server and in the hydrating browser); the browser then takes over, in its
// own zone and language, and keeps the words current (once a minute).
import { useSyncExternalStore } from "react";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Up to a week, a relative time reads better ("3 days ago"); beyond, the date does. */
const RELATIVE_UNTIL = 7 * DAY;

/** "just now", "5 minutes ago", "yesterday", "3 days ago", then the date in `locale`. */
function relativeTime(iso: string, now: number, locale?: string, timeZone?: string): string {
  const then = Date.parse(iso);
  const ago = now - then;
  if (ago < MINUTE && ago > -MINUTE) return "just now";
  if (Math.abs(ago) >= RELATIVE_UNTIL) return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone }).format(then);
  const words = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  if (Math.abs(ago) < HOUR) return words.format(-Math.round(ago / MINUTE), "minute");
  if (Math.abs(ago) < DAY) return words.format(-Math.round(ago / HOUR), "hour");
  return words.format(-Math.round(ago / DAY), "day");
}

/** The full date and time with the zone: "Wednesday, 2 December 2026 at 12:44 GMT+9". */
function absoluteTime(iso: string, locale?: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "full", timeStyle: "short", timeZone }).format(Date.parse(iso)) + zoneSuffix(iso, locale, timeZone);
}

function zoneSuffix(iso: string, locale?: string, timeZone?: string): string {
  const zone = new Intl.DateTimeFormat(locale, { timeZoneName: "short", timeZone }).formatToParts(Date.parse(iso)).find((p) => p.type === "timeZoneName");
  return zone ? ` ${zone.value}` : "";
}

// One clock for every <LocalTime> on the page: ticks once a minute while any is shown.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
function subscribe(listener: () => void) {
  listeners.add(listener);
  now = Date.now();
  timer ??= setInterval(() => {
    now = Date.now();
    for (const l of listeners) l();
  }, MINUTE);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The clock's time in the browser, and null while rendering on the server (and hydrating). */
export function useNow(): number | null {
  return useSyncExternalStore(
    subscribe,
    () => now,
    () => null,
  );
}

/** What the server renders: the date in UTC, which the hydrating browser renders alike. */
const serverDate = (iso: string) => new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(Date.parse(iso));

/** The words for `iso` with the clock of useNow(): relative in the browser, the UTC date on the server. */
export const timeText = (iso: string, clock: number | null): string => (clock === null ? serverDate(iso) : relativeTime(iso, clock));

/** A point in time for a person to read: relative words, the full local date and time as its title. */
export function LocalTime({ iso, className }: { iso: string; className?: string }) {
  const clock = useNow();
  return (
    <time dateTime={iso} title={clock === null ? undefined : absoluteTime(iso)} className={className} data-local={clock === null ? undefined : ""}>
      {timeText(iso, clock)}
    </time>
  );
}
