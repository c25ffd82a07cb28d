// Honest password advice (docs/security.md "Passwords"): the passwords people pick are refused with one
// sentence that says why, judged in the browser by the same zxcvbn module as on the server; a strong
// one is accepted; the checklist is the only place that states the rules (no message under the field
// repeats them). At 375 and 1280 px, axe in both themes on every state.
import { expect, test } from "@playwright/test";
import { expectAccessible } from "./a11y.ts";
import { GOOD_PASSWORD, newUser } from "./helpers.ts";

const REFUSED = ["Password123!", "Welcome2024!", "Qwerty123!"] as const;
const ONE_SENTENCE = /^[^.;!?]+; add a word or two that only you would pick\.$/;

for (const width of [375, 1280] as const) {
  test(`sign-up at ${width} px: Password123!, Welcome2024! and Qwerty123! refused with one sentence, a strong password accepted`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    const user = newUser("Advice");
    await page.goto("/sign-up");
    await page.getByLabel("Name").fill(user.name);
    await page.getByLabel("Email").fill(user.email);
    const password = page.getByLabel("Password", { exact: true });
    const rules = page.getByRole("list", { name: "Password rules" });
    const strength = rules.getByRole("listitem").filter({ hasText: "Hard to guess" });
    const note = strength.getByTestId("password-rule-note");

    for (const weak of REFUSED) {
      await password.fill(weak);
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(rules).toBeFocused();
      await expect(strength).toHaveAttribute("data-state", "failed");
      await expect(note).toHaveText(ONE_SENTENCE);
      await expect(page).toHaveURL(/\/sign-up$/);
      // One statement per rule: the checklist only, no paragraph under the field.
      await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);
      await expect(page.getByText("Hard to guess")).toHaveCount(1);
      await expect(page.getByText(/add a word or two/)).toHaveCount(1);
      await expect(password).toHaveAttribute("aria-invalid", "true");
    }
    await expectAccessible(page, `sign-up, an easy password refused at ${width} px`);

    // The server says the same sentence for the same password (one module on both sides).
    const shown = await note.innerText();
    const answer = await page.request.post("/api/auth/sign-up/email", {
      data: { name: user.name, email: user.email, password: "Qwerty123!" },
      headers: { origin: new URL(page.url()).origin },
    });
    expect(answer.status()).toBe(422);
    expect(await answer.json()).toMatchObject({ code: "PASSWORD_TOO_WEAK", message: shown });

    await password.fill(GOOD_PASSWORD);
    await expect(strength).toHaveAttribute("data-state", "met");
    await expect(rules.getByRole("listitem").filter({ hasText: "At most 128 characters" })).toHaveCount(0);
    await expectAccessible(page, `sign-up, every rule met at ${width} px`);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
  });
}

test("the upper bound shows only near it, and fails past it without a second message", async ({ page }) => {
  await page.goto("/sign-up");
  const password = page.getByLabel("Password", { exact: true });
  const longest = page.getByRole("list", { name: "Password rules" }).getByRole("listitem").filter({ hasText: "At most 128 characters" });
  await password.fill("Correct-Horse-9-battery");
  await expect(longest).toHaveCount(0);
  await password.fill(`${GOOD_PASSWORD}-${"x".repeat(104)}`); // 128
  await expect(longest).toHaveAttribute("data-state", "met");
  await expect(longest).toContainText("0 left");
  await password.fill(`${GOOD_PASSWORD}-${"x".repeat(110)}`); // 134
  await expect(longest).toHaveAttribute("data-state", "failed");
  await expect(longest).toContainText("6 too many");
  await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);
  await expectAccessible(page, "sign-up, a password over the limit");
});
