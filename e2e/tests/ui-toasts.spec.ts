// Toasts stay out of the way (src/components/ui/toaster.tsx): a bounded width, a long text cut with an
// ellipsis yet read out whole, at most three at once, never over a task's Delete button (bounding
// boxes compared), and on a phone a compact strip at the top edge, full width minus margins, with a
// 44 px close. At 375 and 1280 px, axe in both themes with the toasts shown.
import { expect, type Locator, type Page, test } from "@playwright/test";
import { expectAccessible } from "./a11y.ts";
import { newUser, signUp } from "./helpers.ts";

const LONG = "Renew the passport before the summer trip, then book the train tickets, find the adapter plugs and ask the neighbours to water the plants: supercalifragilisticexpialidocious";

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function boxes(locator: Locator): Promise<Box[]> {
  const found: Box[] = [];
  for (const item of await locator.all()) {
    if (!(await item.isVisible())) continue;
    const box = await item.boundingBox();
    if (box) found.push(box);
  }
  return found;
}

/** Adds tasks one after another, as fast as the page takes them: each says "Task added: …". */
async function addTasks(page: Page, titles: readonly string[]) {
  for (const title of titles) {
    await page.getByLabel("Title").fill(title);
    await page.getByRole("button", { name: "Add task" }).click();
    await expect(page.getByTestId("toast").filter({ hasText: `Task added: ${title}` })).toHaveCount(1);
  }
}

/** No toast covers a task's Delete (or Edit) button. */
async function expectControlsFree(page: Page, state: string) {
  const toasts = await boxes(page.getByTestId("toast"));
  expect(toasts.length, `${state}: a toast is shown`).toBeGreaterThan(0);
  const list = page.getByRole("list", { name: "Tasks" });
  const buttons = await boxes(list.getByRole("button", { name: /^(Delete|Edit)/ }));
  expect(buttons.length, `${state}: the tasks' buttons are rendered`).toBeGreaterThan(0);
  for (const toast of toasts) for (const button of buttons) expect(overlaps(toast, button), `${state}: a toast over a task's button`).toBe(false);
}

test.describe("toasts", () => {
  test("on a desktop: bounded width, a long title cut yet whole for screen readers, three at most, never over the tasks' buttons", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await signUp(page, newUser("Toasts"));
    await addTasks(page, ["Water the ferns", "Call the plumber", "Pay the gas bill", LONG]);
    const toasts = page.getByTestId("toast");
    expect(await toasts.count(), "never more than three at once").toBeLessThanOrEqual(3);
    const long = toasts.filter({ hasText: "Renew the passport" });
    await long.hover(); // a hovered toast stays while it is read (and measured)
    await expect(long).toContainText(`Task added: ${LONG}`); // the whole text is there, for screen readers
    const text = long.locator("p");
    await expect(text).toHaveAttribute("title", `Task added: ${LONG}`);
    expect(await text.evaluate((el) => el.scrollHeight > el.clientHeight), "the long text is cut (ellipsis)").toBe(true);
    expect(await text.evaluate((el) => el.scrollWidth <= el.clientWidth), "nothing runs out sideways").toBe(true);
    for (const box of await boxes(toasts)) {
      expect(box.width, "at most 28rem wide").toBeLessThanOrEqual(448);
      expect(box.height, "at most three lines").toBeLessThanOrEqual(110);
      expect(box.x + box.width).toBeLessThanOrEqual(1280);
    }
    await expectControlsFree(page, "1280 px");
    await expectAccessible(page, "dashboard with toasts at 1280 px");
  });

  test("on a phone: one compact toast at the top edge, full width minus margins, with a 44 px close, off the tasks' buttons", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    await signUp(page, newUser("Strip"));
    await addTasks(page, ["Water the ferns", "Call the plumber", LONG]);
    await page.getByTestId("toast").last().hover(); // a hovered toast stays while it is read (and measured)
    const visible = await boxes(page.getByTestId("toast"));
    expect(visible, "only the newest is shown").toHaveLength(1);
    const [toast] = visible as [Box];
    expect(toast.y, "at the top edge").toBeLessThanOrEqual(16);
    expect(toast.x).toBeGreaterThanOrEqual(0);
    expect(toast.width, "full width minus margins").toBeGreaterThanOrEqual(375 - 32);
    expect(toast.x + toast.width).toBeLessThanOrEqual(375);
    expect(toast.height, "small: two lines at most").toBeLessThanOrEqual(80);
    const close = page.getByTestId("toast").last().getByRole("button", { name: "Dismiss notification" });
    const closeBox = (await close.boundingBox())!;
    expect(Math.min(closeBox.width, closeBox.height)).toBeGreaterThanOrEqual(44);
    await expect(page.getByTestId("toast").last()).toContainText(`Task added: ${LONG}`);
    await expectControlsFree(page, "375 px");
    await expectAccessible(page, "dashboard with a toast at 375 px");
    await close.click();
    await expect(page.getByTestId("toast").filter({ hasText: "Renew the passport" })).toHaveCount(0);
  });
});
