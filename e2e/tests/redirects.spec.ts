// Open redirects through the production build, in the browser: a `?next=` that normalises into
// `//evil.example` must land on the dashboard, signed in or signing in, and no request may ever leave
// our origin; Better Auth's callbackURL is refused before Better Auth runs. The rule and its corpus:
// frontend/src/lib/return-path.test.ts; docs/security.md "Redirects".
import { expect, type Page, test } from "@playwright/test";
import { newUser, signOut, signUp } from "./helpers.ts";

/** `?next=` values that are, or normalise into, another origin (or no page at all). */
const FOREIGN_NEXT = [
  "/.//evil.example",
  "/..//evil.example",
  "/%2e%2e//evil.example",
  "//evil.example",
  "/\\evil.example",
  "https://evil.example/",
  "javascript:alert(1)",
];

/** Every http(s) request and navigation of the page that is not on `origin`, from now on. */
function foreignTraffic(page: Page, origin: string): string[] {
  const seen: string[] = [];
  const note = (url: string) => {
    const { protocol, origin: of } = new URL(url);
    if ((protocol === "http:" || protocol === "https:") && of !== origin) seen.push(url);
  };
  page.on("request", (request) => note(request.url()));
  page.on("framenavigated", (frame) => note(frame.url()));
  return seen;
}

const originOf = (page: Page) => new URL(page.url()).origin;

test("signed in, /sign-in?next=/.//evil.example lands on /dashboard and never leaves the origin", async ({ page }) => {
  const user = newUser("Next");
  await signUp(page, user);
  const origin = originOf(page);
  const foreign = foreignTraffic(page, origin);

  // The server's answer itself: a redirect to our dashboard, not `Location: //evil.example`.
  const answer = await page.request.get("/sign-in?next=/.//evil.example", { maxRedirects: 0 });
  expect(answer.status()).toBe(307);
  expect(answer.headers()["location"]).toBe("/dashboard");

  for (const next of FOREIGN_NEXT) {
    for (const query of [`next=${next}`, `next=${encodeURIComponent(next)}`]) {
      await page.goto(`/sign-in?${query}`);
      await expect(page).toHaveURL(`${origin}/dashboard`);
      await expect(page.getByTestId("greeting")).toContainText(user.name);
    }
  }
  expect(foreign).toEqual([]);
});

test("signing in on /sign-in?next=/.//evil.example goes to /dashboard; a path of ours is still followed", async ({ page }) => {
  const user = newUser("NextForm");
  await signUp(page, user);
  await signOut(page);
  const origin = originOf(page);
  const foreign = foreignTraffic(page, origin);

  for (const [query, lands] of [
    ["next=/.//evil.example", "/dashboard"],
    [`next=${encodeURIComponent("/%2e%2e//evil.example")}`, "/dashboard"],
    [`next=${encodeURIComponent(`${origin}/settings/password`)}`, "/settings/password"],
  ] as const) {
    await page.goto(`/sign-in?${query}`);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(`${origin}${lands}`);
    await signOut(page);
  }
  expect(foreign).toEqual([]);
});

test("Better Auth's callbackURL off our origin is refused with 400 INVALID_REDIRECT, never followed", async ({ page }) => {
  for (const callbackURL of ["/.//evil.example", "https://evil.example/"]) {
    const res = await page.request.get(`/api/auth/verify-email?token=x&callbackURL=${encodeURIComponent(callbackURL)}`, { maxRedirects: 0 });
    expect(res.status()).toBe(400);
    expect(res.headers()["location"]).toBeUndefined();
    expect(await res.json()).toMatchObject({ code: "INVALID_REDIRECT", fields: [{ field: "callbackURL" }] });
  }
});
