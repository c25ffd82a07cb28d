// Strict mode (REQUIRE_EMAIL_VERIFICATION=true on both sides; docs/security.md "Email verification"):
// the stack `npm test` starts for this project (e2e/playwright.config.ts "strict").
import { expect, type Page } from "@playwright/test";
import { submitSignUp, type TestUser } from "../helpers.ts";
import { actionLink, waitForMail } from "../mail.ts";

export const STRICT_BACKEND_URL = process.env.E2E_STRICT_BACKEND_URL ?? "http://localhost:8101";

/** Sign-up stops on /check-email and signs nobody in; the link in the email signs in and lands on the dashboard. */
export async function signUpAndConfirm(page: Page, user: TestUser): Promise<void> {
  await submitSignUp(page, user, /\/check-email$/);
  await page.goto(actionLink(await waitForMail(user.email, /Confirm your email/)));
  await expect(page).toHaveURL(/\/dashboard$/);
}
