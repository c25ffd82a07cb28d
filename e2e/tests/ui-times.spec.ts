// Times in the reader's own zone and language (src/components/ui/local-time.tsx): the sessions page
// says when each session started, relative ("just now", "5 minutes ago"), rendered in the browser, with
// the full local date and time in the <time> element's title. Here the browser is in Tokyo (UTC+9, no
// summer time), so the hour shown is never the server's UTC hour. At 375 and 1280 px, axe in both themes.
import { expect, test } from "@playwright/test";
import { expectAccessible } from "./a11y.ts";
import { newUser, signUp } from "./helpers.ts";

test.use({ timezoneId: "Asia/Tokyo", locale: "en-GB" });

for (const width of [375, 1280] as const) {
  test(`the sessions page shows relative times in the browser's zone (Tokyo) at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    await signUp(page, newUser("Tokyo"));
    await page.goto("/settings/sessions");
    const row = page.getByTestId("session-row").filter({ hasText: "This device" });
    const signedIn = row.locator("time[data-local]").first();
    await expect(signedIn).toHaveText(/^(just now|\d+ minutes? ago)$/);
    const iso = (await signedIn.getAttribute("datetime"))!;
    const instant = new Date(iso);
    expect(Number.isNaN(instant.getTime())).toBe(false);
    const tokyo = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Tokyo", hour: "2-digit", minute: "2-digit", hour12: false }).format(instant);
    const utc = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit", hour12: false }).format(instant);
    expect(tokyo).not.toBe(utc);
    const title = (await signedIn.getAttribute("title"))!;
    expect(title).toContain(tokyo);
    expect(title).toContain("GMT+9");
    expect(title).not.toContain("UTC");
    await expect(page.getByText(/\bUTC\b/)).toHaveCount(0);
    await expectAccessible(page, `sessions in Tokyo at ${width} px`);
  });
}
