// Phone first: every page fits 320, 375 and 414 px screens without sideways scrolling, signed out and
// in; the header folds into a menu that reaches what the desktop header shows (Sign in, Create
// account, the theme; signed in: Tasks and Settings); touch targets are at least 44 × 44 px on a
// phone (measured with boundingBox); axe passes every state, in both themes, at 375 and 1280 px.
import { expect, type Locator, type Page, test } from "@playwright/test";
import { expectAccessible } from "./a11y.ts";
import { newUser, openUserMenu, signUp } from "./helpers.ts";

const PHONE_WIDTHS = [320, 375, 414] as const;
const SIGNED_OUT_PAGES = ["/", "/sign-in", "/sign-up", "/forgot-password", "/check-email"] as const;
const SIGNED_IN_PAGES = ["/dashboard", "/settings/profile", "/settings/password", "/settings/sessions", "/settings/danger"] as const;
const MIN_TARGET = 44;

async function expectFits(page: Page, state: string) {
  const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scrollWidth, `${state}: the page is wider than the screen`).toBeLessThanOrEqual(innerWidth);
}

/** Every page at every phone width: it fits; at 375 px axe checks it too. */
async function expectPagesFit(page: Page, paths: readonly string[]) {
  for (const width of PHONE_WIDTHS) {
    await page.setViewportSize({ width, height: 740 });
    for (const path of paths) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectFits(page, `${path} at ${width} px`);
      if (width === 375) await expectAccessible(page, `${path} at 375 px`);
    }
  }
}

/**
 * Controls smaller than 44 × 44 px among `targets` (each visible one, by its boundingBox). A checkbox
 * counts by the label that wraps it when it has one (the label is what the finger hits).
 */
async function smallTargets(targets: Locator): Promise<string[]> {
  const small: string[] = [];
  for (const target of await targets.all()) {
    if (!(await target.isVisible())) continue;
    // The framework's own overlays (the development build's tools) live in shadow roots: not the app's.
    if (await target.evaluate((el) => el.getRootNode() instanceof ShadowRoot)) continue;
    const wrapper = target.locator("xpath=ancestor::label[1]");
    const box = (await wrapper.count()) > 0 && (await target.getAttribute("type")) === "checkbox" ? await wrapper.boundingBox() : await target.boundingBox();
    if (!box || box.width <= 1 || box.height <= 1) continue; // visually hidden (sr-only): not a target
    if (box.width < MIN_TARGET - 0.5 || box.height < MIN_TARGET - 0.5) {
      const name = (await target.getAttribute("aria-label")) ?? (await target.innerText()).trim().slice(0, 40);
      small.push(`${name || (await target.evaluate((el) => el.outerHTML.slice(0, 80)))}: ${Math.round(box.width)} × ${Math.round(box.height)}`);
    }
  }
  return small;
}

/** The controls a thumb uses: buttons, menu items, the header's and the tabs' links, checkboxes. */
const controls = (page: Page) =>
  page.locator(
    'button, [role="menuitem"], [role="menuitemradio"], header a, nav a, input[type="checkbox"], [role="tab"]',
  );

test.describe("signed out", () => {
  test("every page fits 320, 375 and 414 px and passes axe", async ({ page }) => {
    test.setTimeout(120_000);
    await expectPagesFit(page, SIGNED_OUT_PAGES);
  });

  test("on a phone the header is one Menu button that reaches Sign in, Create account and the theme", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto("/");
    const header = page.getByRole("banner");
    await expect(header.getByRole("link", { name: "Create account" })).toBeHidden();
    const menuButton = header.getByRole("button", { name: "Menu" });
    const box = (await menuButton.boundingBox())!;
    expect(box.x + box.width, "the Menu button is on the screen").toBeLessThanOrEqual(375);
    await menuButton.click();
    const menu = page.getByRole("menu");
    await expect(menu.getByRole("menuitem", { name: "Sign in" })).toBeVisible();
    await expect(menu.getByRole("menuitem", { name: "Create account" })).toBeVisible();
    await expectFits(page, "menu open");
    expect(await smallTargets(controls(page))).toEqual([]);
    await expectAccessible(page, "signed-out menu open at 375 px");
    await menu.getByRole("menuitemradio", { name: "Dark" }).click();
    await expect(page.locator("html")).toHaveClass(/\bdark\b/);
    await menuButton.click();
    await page.getByRole("menu").getByRole("menuitem", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/sign-up$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Create account");
  });

  test("on a desktop the header shows the links and the theme switch, and no Menu button", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto("/sign-in");
    const header = page.getByRole("banner");
    await expect(header.getByRole("link", { name: "Create account" })).toBeVisible();
    await expect(header.getByRole("link", { name: "Sign in" })).toBeVisible();
    await expect(header.getByRole("button", { name: "Theme" })).toBeVisible();
    await expect(header.getByRole("button", { name: "Menu" })).toBeHidden();
    await expectAccessible(page, "signed-out header at 1280 px");
  });
});

test.describe("signed in", () => {
  test("every page fits 320, 375 and 414 px and passes axe; the settings tabs are never cut", async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 375, height: 740 });
    await signUp(page, newUser("Phone"));
    await page.getByLabel("Title").fill("A task with a rather long title that has to wrap on a narrow screen, and then some more words");
    await page.getByRole("button", { name: "Add task" }).click();
    await expect(page.getByRole("list", { name: "Tasks" }).getByRole("listitem")).toHaveCount(1);
    await expectPagesFit(page, SIGNED_IN_PAGES);
    for (const width of [320, 1280]) {
      await page.setViewportSize({ width, height: 740 });
      await page.goto("/settings/danger");
      const tabs = page.getByRole("navigation", { name: "Settings" }).getByRole("link");
      await expect(tabs).toHaveCount(6);
      // Each tab whole on the screen: not clipped by a scroller, not cut mid-word.
      for (const tab of await tabs.all()) {
        const box = (await tab.boundingBox())!;
        expect(box.x, `${await tab.innerText()} at ${width} px`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `${await tab.innerText()} at ${width} px`).toBeLessThanOrEqual(width);
        expect(await tab.evaluate((el) => el.scrollWidth <= el.clientWidth), `${await tab.innerText()} fits its box`).toBe(true);
      }
      await expect(tabs.filter({ hasText: "Danger zone" })).toHaveAttribute("aria-current", "page");
    }
  });

  test("on a phone the user menu reaches Tasks and Settings", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await signUp(page, newUser("Reach"));
    await openUserMenu(page);
    await expectFits(page, "user menu open");
    expect(await smallTargets(controls(page))).toEqual([]);
    await expectAccessible(page, "user menu open at 375 px");
    await page.getByRole("menuitem", { name: "Settings" }).click();
    await expect(page).toHaveURL(/\/settings\/profile$/);
    await openUserMenu(page);
    await page.getByRole("menuitem", { name: "Tasks" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.setViewportSize({ width: 1280, height: 800 });
    await openUserMenu(page);
    await expect(page.getByRole("menuitem", { name: "Tasks" })).toBeVisible();
    await expect(page.getByRole("menuitem", { name: "Settings" })).toBeVisible();
    await expectAccessible(page, "user menu open at 1280 px");
  });

  test("touch targets are at least 44 × 44 px on a phone: buttons, tabs, menu items, task controls, the toast's close", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await signUp(page, newUser("Thumb"));
    await page.getByLabel("Title").fill("Check the thumbs");
    await page.getByRole("button", { name: "Add task" }).click();
    await expect(page.getByTestId("toast").filter({ hasText: "Task added" })).toBeVisible();
    await expect(page.getByRole("list", { name: "Tasks" }).getByRole("listitem")).toHaveCount(1);
    expect(await smallTargets(controls(page)), "dashboard with a task and its toast").toEqual([]);
    for (const path of ["/settings/profile", "/settings/password", "/settings/sessions", "/settings/danger"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      expect(await smallTargets(controls(page)), path).toEqual([]);
    }
  });
});
