// The account's security activity (docs/security.md "Security activity"): a new account changes its
// password and finds both events in Settings, newest first, in plain words, with the device and the
// place, at times in the browser's own zone (Tokyo, UTC+9: never the server's UTC). At 375 and 1280 px,
// axe in both themes.
import { expect, test } from "@playwright/test";
import { expectAccessible } from "./a11y.ts";
import { newUser, signUp } from "./helpers.ts";

const NEW_PASSWORD = "Brand-new-Passw0rd-42";

test.use({ timezoneId: "Asia/Tokyo", locale: "en-GB" });

for (const width of [375, 1280] as const) {
  test(`sign up, change the password, and see both events, newest first, in the page's zone at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    const user = newUser("Activity");
    await signUp(page, user);
    await page.goto("/settings/password");
    await page.getByLabel("Current password").fill(user.password);
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByRole("status")).toHaveText("Password changed. Every other session has been signed out.");

    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Security activity" }).click();
    await expect(page).toHaveURL(/\/settings\/activity$/);
    await expect(page.getByRole("heading", { name: "Security activity" })).toBeVisible();
    const events = page.getByRole("list", { name: "Security events, newest first" }).getByRole("listitem");
    await expect(events).toHaveCount(2);
    // Newest first: the change (in this browser's new session), then the sign-up.
    await expect(events.nth(0)).toContainText("Password changed");
    await expect(events.nth(0)).toContainText("This session");
    await expect(events.nth(1)).toContainText("Account created");
    await expect(events.nth(1)).not.toContainText("This session");
    for (const event of await events.all()) {
      // The device in words (this is Chromium on Linux); no proxy header is trusted here, so no place.
      await expect(event).toContainText(/Chrom\w* \d+ on Linux · Network unknown/);
    }

    const times = page.locator("time[data-local]");
    await expect(times).toHaveCount(2);
    const [newer, older] = await Promise.all([0, 1].map(async (i) => (await times.nth(i).getAttribute("datetime"))!));
    expect(Date.parse(newer!)).toBeGreaterThanOrEqual(Date.parse(older!));
    await expect(times.nth(0)).toHaveText(/^(just now|\d+ minutes? ago)$/);
    const tokyo = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Tokyo", hour: "2-digit", minute: "2-digit", hour12: false }).format(new Date(newer!));
    const utc = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit", hour12: false }).format(new Date(newer!));
    expect(tokyo).not.toBe(utc);
    const title = (await times.nth(0).getAttribute("title"))!;
    expect(title).toContain(tokyo);
    expect(title).toContain("GMT+9");
    // One page holds both: nothing to page through.
    await expect(page.getByRole("link", { name: "Older events" })).toHaveCount(0);
    await expectAccessible(page, `security activity at ${width} px`);
  });
}
