// "Download your data" behind the backend's step-up (docs/security.md "Step-up"): a sign-in older than
// 10 minutes gets "Confirm it's you", the password confirms it, and the file downloads with the user's
// tasks and nobody else's. The session's sign-in is aged in the database (the stack's own, the
// DATABASE_URL that `npm test` passes): no clock in the browser moves the backend's.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { expectAccessible } from "./a11y.ts";
import { ageSignIn } from "./database.ts";
import { addTask, newUser, signUp } from "./helpers.ts";




interface Export {
  format: string;
  profile: { email: string; name: string };
  tasks: { title: string }[];
}

test("an old sign-in confirms it's them with the password, then the data downloads with their tasks only", async ({ page, browser }) => {
  // Someone else's task, which must never be in the file.
  const other = await browser.newPage();
  await signUp(other, newUser("Bob"));
  await addTask(other, "Bob's secret plan");
  await other.close();

  const user = newUser("Ada");
  await signUp(page, user);
  await addTask(page, "Water the plants");
  await addTask(page, "Call the bank");
  await ageSignIn(user, 11);

  await page.goto("/settings/profile");
  await page.getByRole("button", { name: "Download your data" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Downloading your data needs a recent sign-in");
  await expectAccessible(page, "Confirm it's you");

  // A wrong password is said, and nothing downloads.
  await dialog.getByLabel("Password", { exact: true }).fill("Not-My-Horse-1-battery");
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("That is not your password.");

  await dialog.getByLabel("Password", { exact: true }).fill(user.password);
  const [download] = await Promise.all([page.waitForEvent("download"), dialog.getByRole("button", { name: "Confirm" }).click()]);
  await expect(dialog).toBeHidden();
  expect(download.suggestedFilename()).toMatch(/^authbridge-export-\d{4}-\d{2}-\d{2}\.json$/);
  const file = JSON.parse(readFileSync((await download.path())!, "utf8")) as Export;
  expect(file.format).toBe("authbridge-export/1");
  expect(file.profile).toMatchObject({ email: user.email, name: user.name });
  expect(file.tasks.map((t) => t.title)).toEqual(["Water the plants", "Call the bank"]);
  await expect(page.getByTestId("toast")).toContainText("Your data was downloaded");

  // Confirmed: within the next 10 minutes the download asks nothing.
  const [again] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download your data" }).click()]);
  expect(again.suggestedFilename()).toBe(download.suggestedFilename());
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("a fresh sign-in downloads at once, and the browser never sees the backend token", async ({ page }) => {
  const user = newUser("Grace");
  await signUp(page, user);
  await page.goto("/settings/profile");
  const tokens: string[] = [];
  page.on("response", (response) => {
    const auth = response.request().headers().authorization;
    if (auth) tokens.push(auth);
  });
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download your data" }).click()]);
  const file = JSON.parse(readFileSync((await download.path())!, "utf8")) as Export;
  expect(file.tasks).toEqual([]);
  expect(tokens).toEqual([]);
  await expect(page.getByRole("dialog")).toHaveCount(0);
});
