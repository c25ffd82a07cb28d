// Feedback on every action and focus that follows it: toasts for add, edit, complete and delete, a
// confirmation before deleting, Escape cancels an edit, and the page after a delete empties it.
import { expect, test } from "@playwright/test";
import { expectAccessible } from "./a11y.ts";
import { BACKEND_URL, backendToken, bearer, newUser, signUp } from "./helpers.ts";

test("add, edit, complete and delete each confirm with a toast; delete asks first; Escape cancels an edit", async ({ page }) => {
  await signUp(page, newUser("Toast"));
  await expectAccessible(page, "dashboard, empty");
  const toasts = page.getByTestId("toast");

  await page.getByLabel("Title").fill("Water the plants");
  await page.getByRole("button", { name: "Add task" }).click();
  await expect(toasts.filter({ hasText: "Task added: Water the plants" })).toBeVisible();
  await expect(page.getByLabel("Title")).toBeFocused(); // ready for the next one
  const item = page.getByRole("list", { name: "Tasks" }).getByRole("listitem").filter({ hasText: "Water the plants" });

  await item.getByRole("button", { name: "Edit" }).click();
  await expect(item.getByLabel("Title")).toBeFocused();
  await item.getByLabel("Title").fill("Changed my mind");
  await expectAccessible(page, "dashboard, editing a task");
  await page.keyboard.press("Escape");
  await expect(item.getByLabel("Title")).toHaveCount(0);
  await expect(item).toContainText("Water the plants");
  await expect(item.getByRole("button", { name: "Edit" })).toBeFocused();

  await item.getByRole("button", { name: "Edit" }).click();
  await item.getByLabel("Title").fill("Water the plants (ferns first)");
  await item.getByRole("button", { name: "Save" }).click();
  await expect(toasts.filter({ hasText: "Task updated" })).toBeVisible();
  const edited = page.getByRole("list", { name: "Tasks" }).getByRole("listitem").filter({ hasText: "ferns first" });
  await expect(edited.getByRole("button", { name: "Edit" })).toBeFocused();

  await edited.getByRole("checkbox", { name: "Completed" }).check();
  await expect(toasts.filter({ hasText: "Completed: Water the plants (ferns first)" })).toBeVisible();

  await edited.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Delete this task?" });
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused(); // Enter never deletes by accident
  await expectAccessible(page, "dashboard, delete confirmation");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(edited).toBeVisible();
  await edited.getByRole("button", { name: "Delete" }).click();
  await dialog.getByRole("button", { name: "Delete task" }).click();
  await expect(toasts.filter({ hasText: "Task deleted: Water the plants (ferns first)" })).toBeVisible();
  await expect(page.getByText(/no tasks yet/i)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Tasks", exact: true })).toBeFocused();
});

test("deleting the last task of the last page shows the last page that has tasks", async ({ page }) => {
  await signUp(page, newUser("Pages"));
  const token = await backendToken(page.request);
  for (let i = 1; i <= 21; i++) {
    const res = await page.request.post(`${BACKEND_URL}/api/tasks`, { headers: bearer(token), data: { title: `Task ${String(i).padStart(2, "0")}` } });
    expect(res.status()).toBe(201);
  }
  await page.goto("/dashboard?page=2");
  await expect(page.getByTestId("pager-status")).toHaveText("Page 2 of 2 (21 tasks)");
  const items = page.getByRole("list", { name: "Tasks" }).getByRole("listitem");
  await expect(items).toHaveCount(1);
  await expectAccessible(page, "dashboard, second page");
  await items.first().getByRole("button", { name: "Delete" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete task" }).click();

  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(items).toHaveCount(20);
  await expect(page.getByText(/no tasks yet/i)).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Pages" })).toHaveCount(0);
  // An old link past the end lands on the last page too.
  await page.goto("/dashboard?page=9");
  await expect(page).toHaveURL(/\/dashboard$/);
});
