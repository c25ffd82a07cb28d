// axe-core inside the browser tests: every page state a UI test visits is checked in the light and
// the dark theme, and any serious or critical violation fails the test (with the rule, the nodes
// and the theme in the message). Moderate and minor findings are not counted.
import { AxeBuilder } from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

const FAILING_IMPACTS = new Set(["serious", "critical"]);

async function violations(page: Page): Promise<string[]> {
  let builder = new AxeBuilder({ page });
  // Behind an open modal dialog the page is hidden from assistive technology and out of reach
  // (Radix marks it aria-hidden and traps focus): the dialog is what the user has, so it is judged.
  if ((await page.locator('[role="dialog"][aria-modal="true"], [role="alertdialog"][aria-modal="true"]').count()) > 0) {
    builder = builder.include('[role="dialog"], [role="alertdialog"]');
  }
  const results = await builder
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
    // WCAG 2.5.3 "label in name": axe ships the rule as experimental (off unless asked for).
    .options({ rules: { "label-content-name-mismatch": { enabled: true } } })
    .analyze();
  return results.violations
    .filter((v) => FAILING_IMPACTS.has(v.impact ?? ""))
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

async function useScheme(page: Page, scheme: "light" | "dark") {
  await page.emulateMedia({ colorScheme: scheme });
  // The theme follows the system unless the user picked one (then both runs check that one).
  const chosen = await page.evaluate(() => localStorage.getItem("theme"));
  if (!chosen || chosen === "system") await expect(page.locator("html")).toHaveClass(new RegExp(`\\b${scheme}\\b`));
}

/** Checks the page as it is now, in both themes; `state` names it in the failure message. */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  // Next.js streams a dynamic page's <title> after its first bytes: the page is judged once it has one.
  await expect(page).toHaveTitle(/\S/);
  const found: string[] = [];
  for (const scheme of ["light", "dark"] as const) {
    await useScheme(page, scheme);
    // Transitions settle before axe measures colours: every finite animation the new scheme started has
    // finished (getAnimations flushes the style change first, so the theme's transitions are among them).
    await page.evaluate(() =>
      Promise.all(
        document
          .getAnimations()
          .filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime ?? Number.POSITIVE_INFINITY))
          .map((a) => a.finished.catch(() => undefined)),
      ),
    );
    for (const v of await violations(page)) found.push(`[${scheme}] ${v}`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  expect(found, `axe: serious or critical violations on "${state}"`).toEqual([]);
}
