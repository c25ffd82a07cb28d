// A frontend in the default mode (sign-up signs in) in front of a backend in strict mode: the backend
// refuses the unconfirmed user's token (401 EMAIL_NOT_VERIFIED). The app must land on one page that
// says what to do and stays put, never bounce between /dashboard and /sign-in. `npm run doctor` flags
// the disagreement (docs/security.md "Email verification").
import { expect, test } from "@playwright/test";
import { newUser, submitSignUp } from "../helpers.ts";
import { actionLink, waitForMail } from "../mail.ts";

test("a backend that wants the address confirmed first: one page that stays put, then the tasks", async ({ page }) => {
  const user = newUser("Between");
  const visited: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) visited.push(new URL(frame.url()).pathname);
  });
  await submitSignUp(page, user, /\/confirm-email$/);
  await expect(page.getByTestId("confirm-email-title")).toHaveText("Confirm your email");
  await expect(page.getByText(user.email).first()).toBeVisible();
  await page.reload();
  await expect(page).toHaveURL(/\/confirm-email$/);
  // Opening the tasks again lands here again, once: no loop through /sign-in.
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/confirm-email$/);
  expect(visited.filter((p) => p === "/sign-in")).toEqual([]);

  const asked = Date.now();
  await page.getByRole("button", { name: "Send a new link" }).click();
  await expect(page.getByRole("status")).toContainText(`A new link is on its way to ${user.email}`);
  await page.goto(actionLink(await waitForMail(user.email, /Confirm your email/, { after: asked })));
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(user.name);
});
