// The app shell: introduction, header and user menu, the theme switch, the settings tabs, the
// branded 404, and validation that tells the truth (live after a field is touched, on the field).
import { expect, test } from "@playwright/test";
import { expectAccessible } from "./a11y.ts";
import { GOOD_PASSWORD, newUser, openUserMenu, signUp } from "./helpers.ts";

test("home introduces the app; the 404 is ours; both pass axe", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your tasks, private by design.");
  await expect(page.getByRole("main").getByRole("link", { name: "Create an account" })).toBeVisible();
  await expect(page.locator('link[rel="icon"]').first()).toHaveAttribute("href", /icon/);
  await expectAccessible(page, "home");
  await page.goto("/no-such-page");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expectAccessible(page, "404");
});

test("the theme switch: dark from the user menu, kept across a reload; light from the signed-out header", async ({ page }) => {
  const user = newUser("Theme");
  await signUp(page, user);
  const html = page.locator("html");
  await openUserMenu(page);
  await expect(page.getByRole("menu")).toContainText(user.email);
  await expectAccessible(page, "user menu open");
  await page.getByRole("menuitemradio", { name: "Dark" }).click();
  await expect(html).toHaveClass(/\bdark\b/);
  await page.reload();
  await expect(html).toHaveClass(/\bdark\b/);
  await openUserMenu(page);
  await expect(page.getByRole("menuitemradio", { name: "Dark" })).toHaveAttribute("aria-checked", "true");
  await page.getByRole("menuitemradio", { name: "Light" }).click();
  await expect(html).toHaveClass(/\blight\b/);
  await expect(html).not.toHaveClass(/\bdark\b/);
});

test("settings: a tab for each page, profile first; the name is saved; a changed password must differ", async ({ page }) => {
  const user = newUser("Tabs");
  await signUp(page, user);
  await openUserMenu(page);
  await page.getByRole("menuitem", { name: "Settings" }).click();
  await expect(page).toHaveURL(/\/settings\/profile$/);
  const tabs = page.getByRole("navigation", { name: "Settings" }).getByRole("link");
  await expect(tabs).toHaveText(["Profile", "Password", "Sign-in methods", "Sessions", "Security activity", "Danger zone"]);
  await expect(tabs.first()).toHaveAttribute("aria-current", "page");
  await expectAccessible(page, "settings, profile");

  const name = page.getByLabel("Name");
  await name.fill("");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(name).toBeFocused();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toHaveAccessibleDescription("Enter your name.");
  await name.fill("Ada Renamed");
  await expect(name).not.toHaveAttribute("aria-invalid", "true"); // judged again as it is typed
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "Profile saved" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Account menu for Ada Renamed" })).toBeVisible();

  await tabs.filter({ hasText: "Password" }).click();
  await expect(page).toHaveURL(/\/settings\/password$/);
  await expect(page.getByRole("heading", { name: "Change password" })).toBeFocused();
  await page.getByLabel("Current password").fill(GOOD_PASSWORD);
  await page.getByLabel("New password").fill(GOOD_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByLabel("New password")).toHaveAccessibleDescription(/different from your current one/);
  await expect(page.getByLabel("New password")).toBeFocused();
  await expectAccessible(page, "settings, password refused");
});

test("sign-up validation tells the truth: live once touched, on the field, agreeing with the checklist", async ({ page }) => {
  const user = newUser("Truth");
  await page.goto("/sign-up");
  await expectAccessible(page, "sign-up, empty");
  await page.getByRole("button", { name: "Create account" }).click();
  const name = page.getByLabel("Name");
  await expect(name).toBeFocused(); // the first invalid field
  await expect(name).toHaveAccessibleDescription("Enter your name.");
  await expect(name).toHaveCSS("border-top-width", "2px");
  await expectAccessible(page, "sign-up, every field invalid");
  await name.fill(user.name);
  await expect(page.getByText("Enter your name.")).toHaveCount(0);
  await expect(name).not.toHaveAttribute("aria-invalid", "true");

  const password = page.getByLabel("Password", { exact: true });
  const rules = page.getByRole("list", { name: "Password rules" });
  await password.fill("password");
  // The checklist is the only place that states the rules: no message under the field repeats them.
  await expect(rules.getByRole("listitem").filter({ hasText: "An uppercase letter" })).toHaveAttribute("data-state", "failed");
  await expect(page.getByRole("main").getByRole("alert").filter({ hasText: /uppercase|digit|characters|guess/i })).toHaveCount(0);
  await expect(password).toHaveAttribute("aria-invalid", "true");
  await password.fill("Password1");
  // Every composition rule is met; "Hard to guess" (the server's own judge, here in the browser) is not.
  await expect(rules.getByRole("listitem").filter({ hasText: "A digit" })).toHaveAttribute("data-met", "true");
  const strength = rules.getByRole("listitem").filter({ hasText: "Hard to guess" });
  await expect(strength).toHaveAttribute("data-state", "failed");
  await expect(strength).toContainText("This is one of the most used passwords");
  await expect(rules.getByRole("listitem").filter({ hasText: "At most 128 characters" })).toHaveCount(0); // never ticked for nothing
  await page.getByLabel("Email").fill(user.email);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(rules).toBeFocused();
  // Read out with the field: each rule, its state, and why the password is easy to guess.
  await expect(password).toHaveAccessibleDescription(/A digit \(met\).*Hard to guess \(not met\) ?This is one of the most used passwords/);
  await expect(page).toHaveURL(/\/sign-up$/);
  await expectAccessible(page, "sign-up, password refused");

  await page.getByRole("button", { name: "Show password" }).click();
  await expect(password).toHaveAttribute("type", "text");
  await page.getByRole("button", { name: "Show password" }).click();
  await expect(password).toHaveAttribute("type", "password");
});
