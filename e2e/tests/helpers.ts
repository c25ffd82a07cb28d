// Shared steps of the user journeys. Each test makes its own users, so tests never depend on order.
import { type APIRequestContext, expect, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";

export const BACKEND_URL = process.env.E2E_BACKEND_URL ?? "http://localhost:8100";
export const GOOD_PASSWORD = "Correct-Horse-9-battery";

export interface TestUser {
  name: string;
  email: string;
  password: string;
}

export function newUser(label = "Ada"): TestUser {
  const id = randomUUID().slice(0, 8);
  return { name: `${label} ${id}`, email: `${label.toLowerCase()}-${id}@example.test`, password: GOOD_PASSWORD };
}

/** Fills and sends the sign-up form, and waits for the page it lands on. */
export async function submitSignUp(page: Page, user: TestUser, lands: RegExp = /\/dashboard$/): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  // As a person would, press once the checklist has judged the password: the strength judge loads on
  // the field's first focus and its verdict reflows the form, which can move the button from under a
  // press already on its way (a sign-up then never started).
  const strength = page.getByRole("list", { name: "Password rules" }).getByRole("listitem").filter({ hasText: "Hard to guess" });
  await expect(strength).toHaveAttribute("data-state", "met");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(lands);
}

/**
 * A signed-in user, as the product's default mode makes one: sign-up signs in at once and lands on the
 * dashboard (the address waits to be confirmed; the emailed link does that). Strict mode has its own,
 * tests/strict/strict.ts.
 */
export async function signUp(page: Page, user: TestUser): Promise<void> {
  await submitSignUp(page, user);
}

export async function signIn(page: Page, user: Pick<TestUser, "email" | "password">): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Opens the header's user menu (signed-in pages). */
export async function openUserMenu(page: Page): Promise<void> {
  await page.getByRole("button", { name: /^Account menu for / }).click();
  await expect(page.getByRole("menu")).toBeVisible();
}

/** Signs out of this browser through the user menu. */
export async function signOut(page: Page): Promise<void> {
  await openUserMenu(page);
  await page.getByRole("menuitem", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
}

/** Signs out of every session of the account, through the user menu and its confirmation. */
export async function signOutEverywhere(page: Page): Promise<void> {
  await openUserMenu(page);
  await page.getByRole("menuitem", { name: "Sign out everywhere…" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Sign out everywhere?" });
  await dialog.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
}

/** What a non-browser client does: trade the session cookie for a backend token. */
export async function backendToken(request: APIRequestContext): Promise<string> {
  const res = await request.get("/api/auth/token");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { token: string };
  expect(body.token.split(".")).toHaveLength(3);
  return body.token;
}

export function bearer(token: string) {
  return { Authorization: `Bearer ${token}` };
}

/** Adds a task on the dashboard and waits until the backend has stored it (the list shows it at once). */
export async function addTask(page: Page, title: string): Promise<void> {
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Add task" }).click();
  const item = page.getByRole("list", { name: "Tasks" }).getByRole("listitem").filter({ hasText: title });
  await expect(item).toHaveAttribute("aria-busy", "false");
}
