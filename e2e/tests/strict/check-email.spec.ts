// Strict mode: every message that points somewhere is a button (docs/security.md "Email verification").
// After a sign-up, /check-email names the address the link went to (kept in the tab, never in the
// URL), resends in one click and offers "Wrong address?"; a sign-in before the address is confirmed
// says so in a sentence with a "Send a new link" button for the typed address. At 375 and 1280 px, axe
// in both themes on every state.
import { expect, test } from "@playwright/test";
import { expectAccessible } from "../a11y.ts";
import { newUser, signIn, submitSignUp } from "../helpers.ts";
import { mailsTo } from "../mail.ts";

const confirmMails = async (email: string) => (await mailsTo(email)).filter((m) => /Confirm your email/.test(m.subject)).length;

for (const width of [375, 1280] as const) {
  test(`after sign-up at ${width} px: /check-email names the address, resends in one click, and offers "Wrong address?"`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    const user = newUser("Inbox");
    await submitSignUp(page, user, /\/check-email$/); // the address is not in the URL (logs, history)
    await expect(page.getByTestId("check-email-title")).toHaveText("Check your email");
    await expect(page.getByTestId("sent-to")).toContainText(user.email);
    await expect(page.getByLabel("Email")).toHaveCount(0); // nothing to retype
    await expectAccessible(page, `check-email with the address, ${width} px`);

    await expect.poll(() => confirmMails(user.email), { timeout: 15_000 }).toBe(1);
    await page.getByRole("button", { name: "Send a new link" }).click();
    await expect(page.getByTestId("link-sent")).toContainText(`A new link is on its way to ${user.email}`);
    await expect.poll(() => confirmMails(user.email), { timeout: 15_000 }).toBe(2);
    await expectAccessible(page, `check-email, link sent again, ${width} px`);

    await page.getByRole("link", { name: "Sign up again with the right one" }).click();
    await expect(page).toHaveURL(/\/sign-up$/);
    // The address is forgotten: the page asks for one again.
    await page.goto("/check-email");
    await expect(page.getByTestId("sent-to")).toHaveCount(0);
    await expect(page.getByLabel("Email")).toBeVisible();
    await expectAccessible(page, `check-email without an address, ${width} px`);
  });

  test(`signing in before confirming at ${width} px: a sentence and a "Send a new link" button for the typed address`, async ({ page, browser }) => {
    const user = newUser("Unconfirmed");
    await submitSignUp(page, user, /\/check-email$/);
    await expect.poll(() => confirmMails(user.email), { timeout: 15_000 }).toBe(1);

    // Another browser, which knows nothing of the sign-up.
    const other = await browser.newContext({ viewport: { width, height: 800 } });
    const laptop = await other.newPage();
    await signIn(laptop, user);
    const refusal = laptop.getByRole("alert").filter({ hasText: "Confirm your email address first" });
    await expect(refusal).toBeVisible();
    await expect(refusal).not.toContainText("/check-email"); // a sentence, not a path to type
    await expectAccessible(laptop, `sign-in refused until the address is confirmed, ${width} px`);
    // The button is for the address the refusal was about: another one typed since, it goes.
    const send = laptop.getByRole("button", { name: "Send a new link" });
    await laptop.getByLabel("Email").fill(newUser("Else").email);
    await expect(send).toHaveCount(0);
    await laptop.getByLabel("Email").fill(user.email);
    await send.click();
    await expect(laptop.getByTestId("link-sent")).toContainText(`A new link is on its way to ${user.email}`);
    await expect.poll(() => confirmMails(user.email), { timeout: 15_000 }).toBe(2);
    await expect(laptop).toHaveURL(/\/sign-in$/);
    await expectAccessible(laptop, `sign-in, a new link sent, ${width} px`);
    await other.close();
  });
}
