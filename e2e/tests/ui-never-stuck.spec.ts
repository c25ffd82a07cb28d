// Never stuck, never blank: every form survives a lost network (offline, or the request aborted)
// with "Couldn't reach the server — try again", enabled again, with what was typed still there, and
// works once the network is back. Task errors stay on the task; the page is never replaced.
import { expect, type Page, test } from "@playwright/test";
import { expectAccessible } from "./a11y.ts";
import { newUser, openUserMenu, signUp } from "./helpers.ts";

const UNREACHABLE = "Couldn't reach the server — try again.";

/** Every request to a path under /api/auth matching `path` fails at the network level. */
async function abortAuth(page: Page, path: string) {
  await page.route(`**/api/auth/${path}`, (route) => route.abort("internetdisconnected"));
  return () => page.unroute(`**/api/auth/${path}`);
}

test("sign-in and sign-up: offline or aborted, the form says so, keeps the input and works again", async ({ page, context }) => {
  const user = newUser("Offline");
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  const restore = await abortAuth(page, "sign-up/email");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("alert").filter({ hasText: UNREACHABLE })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create account" })).toBeEnabled();
  await expect(page.getByLabel("Name")).toHaveValue(user.name);
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue(user.password);
  await expect(page.getByRole("alert").filter({ hasText: UNREACHABLE })).toBeFocused();
  await expectAccessible(page, "sign-up, server unreachable");
  await restore();

  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill("Some-Password-1");
  await context.setOffline(true);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: UNREACHABLE })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeEnabled();
  await expect(page.getByLabel("Email")).toHaveValue(user.email);
  await context.setOffline(false);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // The network is back: the server answers (this account does not exist, so the generic refusal).
  await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password." })).toBeVisible();
});

test("tasks: a failed add, edit, toggle or delete is said on the form or the task, never a blank page", async ({ page, context }) => {
  await signUp(page, newUser("Blip"));
  const greeting = page.getByTestId("greeting");
  await page.getByLabel("Title").fill("Survive a blip");
  await page.getByLabel("Description").fill("typed before the network went");
  await context.setOffline(true);
  await page.getByRole("button", { name: "Add task" }).click();
  const addForm = page.getByRole("form", { name: "Add a task" });
  await expect(addForm.getByRole("alert")).toHaveText(UNREACHABLE);
  await expect(greeting).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveValue("Survive a blip");
  await expect(page.getByLabel("Description")).toHaveValue("typed before the network went");
  await expect(page.getByRole("button", { name: "Add task" })).toBeEnabled();
  await context.setOffline(false);
  await page.getByRole("button", { name: "Add task" }).click();
  const item = page.getByRole("list", { name: "Tasks" }).getByRole("listitem").filter({ hasText: "Survive a blip" });
  await expect(item).toBeVisible();

  await context.setOffline(true);
  // click, not check(): the box flips and, the network being gone, flips back at once (check() would
  // see no change and retry).
  await item.getByRole("checkbox", { name: "Completed" }).click();
  await expect(item.getByRole("alert")).toHaveText(UNREACHABLE);
  await expect(item.getByRole("checkbox", { name: "Completed" })).not.toBeChecked(); // flipped back
  await item.getByRole("button", { name: "Edit" }).click();
  await item.getByLabel("Title").fill("Survive a blip, edited");
  await item.getByRole("button", { name: "Save" }).click();
  await expect(item.getByRole("alert")).toHaveText(UNREACHABLE);
  await expect(item.getByLabel("Title")).toHaveValue("Survive a blip, edited");
  await item.getByRole("button", { name: "Cancel" }).click();
  await item.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete task" }).click();
  await expect(item.getByRole("alert")).toHaveText(UNREACHABLE);
  await expect(greeting).toBeVisible();
  await expectAccessible(page, "dashboard, task error inline");
  await context.setOffline(false);
});

test("settings and sign-out: offline, each says so and keeps the page", async ({ page, context }) => {
  const user = newUser("Settle");
  await signUp(page, user);
  await page.goto("/settings/password");
  await page.getByLabel("Current password").fill(user.password);
  await page.getByLabel("New password").fill("Another-Horse-8-staple");
  const restore = await abortAuth(page, "change-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("alert").filter({ hasText: UNREACHABLE })).toBeVisible();
  await expect(page.getByLabel("New password")).toHaveValue("Another-Horse-8-staple");
  await expect(page.getByRole("button", { name: "Change password" })).toBeEnabled();
  await restore();

  await page.goto("/settings/profile");
  await page.getByLabel("Name").fill("Renamed offline");
  await context.setOffline(true);
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByRole("alert").filter({ hasText: UNREACHABLE })).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue("Renamed offline");

  await openUserMenu(page);
  await page.getByRole("menuitem", { name: "Sign out", exact: true }).click();
  await expect(page.getByTestId("toast").filter({ hasText: UNREACHABLE })).toBeVisible();
  await expect(page).toHaveURL(/\/settings\/profile$/);
  await context.setOffline(false);
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "Profile saved" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Account menu for Renamed offline" })).toBeVisible();
});
