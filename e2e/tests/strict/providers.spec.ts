// Sign-in providers on the strict stack, which `npm test` configures with GitHub and Google (test credentials,
// dev/src/test-command.ts) beside the local OpenID provider. GitHub's and Google's endpoints are fixed in Better
// Auth and cannot be pointed at a local provider: what the app sends the browser there is checked (the request
// is stopped before it leaves the machine), their answer is not. Local SSO goes the whole way: in strict mode an
// address the provider confirms is a confirmed account at once, whose token the strict backend accepts.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { expectAccessible } from "../a11y.ts";
import { backendToken, bearer } from "../helpers.ts";
import { STRICT_BACKEND_URL } from "./strict.ts";

test("a button per configured provider; GitHub and Google get PKCE, a state and our callback", async ({ page, context, baseURL }) => {
  await page.goto("/sign-in");
  for (const name of ["GitHub", "Google", "Local SSO"]) await expect(page.getByRole("button", { name: `Continue with ${name}` })).toBeVisible();
  await expectAccessible(page, "sign-in with three provider buttons");

  for (const [name, id, endpoint] of [
    ["GitHub", "github", "https://github.com/login/oauth/authorize"],
    ["Google", "google", "https://accounts.google.com/o/oauth2/v2/auth"],
  ] as const) {
    const tab = await context.newPage();
    await tab.route(`${new URL(endpoint).origin}/**`, (route) => route.abort());
    await tab.goto("/sign-in");
    const leaving = tab.waitForRequest((r) => r.url().startsWith(endpoint));
    await tab.getByRole("button", { name: `Continue with ${name}` }).click();
    const url = new URL((await leaving).url());
    await tab.close();
    expect(url.searchParams.get("client_id")).toBe(id === "github" ? "e2e-github-client" : "e2e-google-client.apps.googleusercontent.com");
    expect(url.searchParams.get("redirect_uri")).toBe(`${baseURL}/api/auth/callback/${id}`);
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get("state")).toMatch(/^.{32}$/);
  }
});

test("strict mode: an address Local SSO confirms is a confirmed account at once, the strict backend accepts its token", async ({ page }) => {
  const email = `strict-sso-${randomUUID().slice(0, 8)}@example.test`;
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Continue with Local SSO" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Local SSO" })).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  const me = await page.request.get(`${STRICT_BACKEND_URL}/api/me`, { headers: bearer(await backendToken(page.request)) });
  expect(me.status()).toBe(200);
  expect(((await me.json()) as { email: string }).email).toBe(email);
});
