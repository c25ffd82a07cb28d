import { expect, test } from "@playwright/test";
import { newUser, signUp } from "./helpers.ts";

test("a user adds, edits, completes, uncompletes and deletes a task", async ({ page }) => {
  await signUp(page, newUser("Tasks"));
  const list = page.getByRole("list", { name: "Tasks" });
  await expect(page.getByText(/no tasks yet/i)).toBeVisible();

  await page.getByLabel("Title").fill("Buy oat milk");
  await page.getByLabel("Description").fill("The barista kind");
  await page.getByRole("button", { name: "Add task" }).click();
  const item = list.getByRole("listitem").filter({ hasText: "Buy oat milk" });
  await expect(item).toBeVisible();
  await expect(item).toContainText("The barista kind");

  await item.getByRole("button", { name: "Edit" }).click();
  await item.getByLabel("Title").fill("Buy oat milk (2 l)");
  await item.getByRole("button", { name: "Save" }).click();
  const edited = list.getByRole("listitem").filter({ hasText: "Buy oat milk (2 l)" });
  await expect(edited).toBeVisible();

  // The checkbox answers at once (optimistic); the item is aria-busy until the server has stored it.
  const completedBox = () => list.getByRole("listitem").filter({ hasText: "Buy oat milk (2 l)" }).getByRole("checkbox", { name: "Completed" });
  await completedBox().check();
  await expect(edited).toHaveAttribute("aria-busy", "false");
  await page.reload();
  await expect(completedBox()).toBeChecked();
  await completedBox().uncheck();
  await expect(list.getByRole("listitem").filter({ hasText: "Buy oat milk (2 l)" })).toHaveAttribute("aria-busy", "false");
  await page.reload();
  await expect(completedBox()).not.toBeChecked();

  await list.getByRole("listitem").filter({ hasText: "Buy oat milk (2 l)" }).getByRole("button", { name: "Delete" }).click();
  await page.getByRole("alertdialog", { name: "Delete this task?" }).getByRole("button", { name: "Delete task" }).click();
  await expect(page.getByText(/no tasks yet/i)).toBeVisible();
  await page.reload();
  await expect(page.getByText(/no tasks yet/i)).toBeVisible();
});

test("an empty title is refused with a readable error and nothing is added", async ({ page }) => {
  await signUp(page, newUser("Empty"));
  await page.getByLabel("Title").fill("   ");
  await page.getByRole("button", { name: "Add task" }).click();
  await expect(page.getByRole("alert").first()).toBeVisible();
  await expect(page.getByText(/no tasks yet/i)).toBeVisible();
});
