// Tasks that feel instant: a change shows before the server has answered (its request is held on the
// network here, so "before" is certain, not a race), rolls back with the reason when the server
// refuses it or cannot be reached, a deleted task comes back from its toast's Undo, and a filter
// switch shows that it is under way within 100 ms while the list stays readable. At 375 and 1280 px,
// axe in both themes on every state (components/tasks/, components/navigation/).
import { expect, type Page, type Route, test } from "@playwright/test";
import { expectAccessible } from "./a11y.ts";
import { BACKEND_URL, backendToken, bearer, newUser, signUp } from "./helpers.ts";

const UNREACHABLE = "Couldn't reach the server — try again.";

/** Requests matching `matches` wait on the network until the test lets each one go (or cuts it). */
async function hold(page: Page, matches: (url: URL, method: string, action: boolean) => boolean) {
  const held: Route[] = [];
  await page.route("**/dashboard**", async (route) => {
    const request = route.request();
    const action = (await request.headerValue("next-action")) !== null;
    const prefetch = (await request.headerValue("next-router-prefetch")) !== null;
    if (prefetch || !matches(new URL(request.url()), request.method(), action)) return route.fallback();
    held.push(route);
  });
  /** The next held request, once it has arrived. */
  const next = async (): Promise<Route> => {
    await expect.poll(() => held.length, { message: "a held request arrives" }).toBeGreaterThan(0);
    return held.shift()!;
  };
  return { next };
}

/** Server actions: POSTs to the dashboard carrying a `next-action` header. */
const isAction = (_url: URL, method: string, action: boolean) => method === "POST" && action;

async function addTaskThroughApi(page: Page, title: string, description = ""): Promise<void> {
  const token = await backendToken(page.request);
  const res = await page.request.post(`${BACKEND_URL}/api/tasks`, { headers: bearer(token), data: { title, description } });
  expect(res.status()).toBe(201);
}

async function anAddShowsAtOnceAndARefusalReturnsToTheForm({ page }: { page: Page }) {
  await signUp(page, newUser("Instant"));
  const actions = await hold(page, isAction);
  const list = page.getByRole("list", { name: "Tasks" });

  await page.locator("#new-task-title").fill("Seen at once");
  await page.getByRole("button", { name: "Add task" }).click();
  const request = await actions.next(); // on the network, unanswered
  const item = list.getByRole("listitem").filter({ hasText: "Seen at once" });
  await expect(item).toBeVisible();
  await expect(item).toHaveAttribute("aria-busy", "true");
  await expect(item).toContainText("Saving…");
  await expect(page.locator("#new-task-title")).toHaveValue(""); // ready for the next one
  await expect(page.locator("#new-task-title")).toBeFocused();
  await expectAccessible(page, "dashboard, a task being added");
  await request.continue();
  await expect(item).toHaveAttribute("aria-busy", "false");
  await expect(page.getByTestId("toast").filter({ hasText: "Task added: Seen at once" })).toBeVisible();

  // The backend refuses a NUL character (PostgreSQL text cannot hold it): the task leaves the
  // list again, and the title comes back into the form with the reason.
  const refused = "Refused\u0000title";
  await page.locator("#new-task-title").fill(refused);
  await page.getByRole("button", { name: "Add task" }).click();
  const refusal = await actions.next();
  await expect(list.getByRole("listitem").filter({ hasText: "Refused" })).toBeVisible();
  await refusal.continue();
  await expect(list.getByRole("listitem").filter({ hasText: "Refused" })).toHaveCount(0);
  await expect(page.locator("#new-task-title")).toHaveValue(refused);
  await expect(page.getByRole("form", { name: "Add a task" }).getByRole("alert")).toContainText(/NUL/);
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expectAccessible(page, "dashboard, an add refused");
}

async function anEditAndADeleteRollBackWithoutTheNetwork({ page }: { page: Page }) {
  await signUp(page, newUser("Rollback"));
  await addTaskThroughApi(page, "Keep me", "as I was");
  await page.reload();
  const actions = await hold(page, isAction);
  const item = page.getByRole("list", { name: "Tasks" }).getByRole("listitem").filter({ hasText: "Keep me" });

  await item.getByRole("button", { name: "Edit" }).click();
  await item.getByLabel("Title").fill("Keep me, renamed");
  await item.getByRole("button", { name: "Save" }).click();
  const edit = await actions.next();
  await expect(item).toContainText("Keep me, renamed"); // the editor closed with the new text
  await expect(item.getByLabel("Title")).toHaveCount(0);
  await expect(item.getByRole("button", { name: "Edit" })).toBeFocused();
  await edit.abort("internetdisconnected");
  await expect(item.getByRole("alert")).toHaveText(UNREACHABLE);
  await expect(item.getByLabel("Title")).toHaveValue("Keep me, renamed"); // what was typed is kept
  await expectAccessible(page, "dashboard, an edit that could not be saved");
  await item.getByRole("button", { name: "Cancel" }).click();
  await expect(item.getByText("Keep me", { exact: true })).toBeVisible();

  await item.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("alertdialog", { name: "Delete this task?" }).getByRole("button", { name: "Delete task" }).click();
  const removal = await actions.next();
  await expect(item).toBeHidden(); // gone at once
  await expect(page.getByTestId("tasks-empty")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Tasks", exact: true })).toBeFocused();
  await removal.abort("internetdisconnected");
  await expect(item).toBeVisible(); // back, with the reason
  await expect(item.getByRole("alert")).toHaveText(UNREACHABLE);
  await expect(page.getByTestId("tasks-empty")).toHaveCount(0);
  await expectAccessible(page, "dashboard, a delete that could not reach the server");
  await page.reload();
  await expect(item).toContainText("as I was"); // nothing changed on the server
}

async function aDeletedTaskComesBackFromUndo({ page }: { page: Page }) {
  await signUp(page, newUser("Undo"));
  await addTaskThroughApi(page, "Water the ferns", "twice a week");
  await page.reload();
  const list = page.getByRole("list", { name: "Tasks" });
  const item = list.getByRole("listitem").filter({ hasText: "Water the ferns" });
  await item.getByRole("checkbox", { name: "Completed" }).check();
  await expect(item).toHaveAttribute("aria-busy", "false");

  await item.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("alertdialog", { name: "Delete this task?" }).getByRole("button", { name: "Delete task" }).click();
  const toast = page.getByTestId("toast").filter({ hasText: "Task deleted: Water the ferns" });
  await expect(toast).toBeVisible();
  await expect(page.getByTestId("tasks-empty")).toBeVisible();
  await expectAccessible(page, "dashboard, a delete's toast with Undo");
  await toast.getByRole("button", { name: "Undo" }).click();

  await expect(page.getByTestId("toast").filter({ hasText: "Task restored: Water the ferns" })).toBeVisible();
  await expect(item).toHaveAttribute("aria-busy", "false");
  await expect(item).toContainText("twice a week");
  await expect(item.getByRole("checkbox", { name: "Completed" })).toBeChecked();
  await page.reload();
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expect(item.getByRole("checkbox", { name: "Completed" })).toBeChecked();
}

async function aFilterSwitchShowsItIsUnderWay({ page }: { page: Page }) {
  await signUp(page, newUser("Filter"));
  await addTaskThroughApi(page, "An open task");
  await page.reload();
  const region = page.getByTestId("tasks-region");
  await expect(region).toHaveAttribute("aria-busy", "false");
  const navigation = await hold(page, (url, method) => method === "GET" && url.searchParams.get("show") === "open");

  // From the click's own timestamp to the moment the list is marked busy, measured in the page.
  await page.evaluate(() => {
    const w = window as unknown as { busyAfterMs?: Promise<number> };
    const link = document.querySelector<HTMLAnchorElement>('nav[aria-label="Filter tasks"] a[href="/dashboard?show=open"]')!;
    const target = document.querySelector('[data-testid="tasks-region"]')!;
    w.busyAfterMs = new Promise((resolve) => {
      let clickedAt = 0;
      link.addEventListener("click", (e) => (clickedAt = e.timeStamp), { once: true, capture: true });
      new MutationObserver((_, observer) => {
        if (target.getAttribute("aria-busy") !== "true") return;
        observer.disconnect();
        resolve(performance.now() - clickedAt);
      }).observe(target, { attributes: true, attributeFilter: ["aria-busy"] });
    });
  });
  await page.getByRole("navigation", { name: "Filter tasks" }).getByRole("link", { name: "Open" }).click();
  const busyAfterMs = await page.evaluate(() => (window as unknown as { busyAfterMs: Promise<number> }).busyAfterMs);
  expect(busyAfterMs).toBeLessThan(100);

  const request = await navigation.next(); // the next list is on its way, unanswered
  await expect(region).toHaveAttribute("aria-busy", "true");
  await expect(page.getByRole("navigation", { name: "Filter tasks" }).getByRole("link", { name: "Open" })).toHaveAttribute("data-pending", "");
  await expect(page.getByRole("list", { name: "Tasks" }).getByRole("listitem").filter({ hasText: "An open task" })).toBeVisible();
  await expect(page).not.toHaveURL(/show=open/);
  await expectAccessible(page, "dashboard, a filter switch under way");
  await request.continue();
  await expect(page).toHaveURL(/\/dashboard\?show=open$/);
  await expect(region).toHaveAttribute("aria-busy", "false");
  await expect(page.getByRole("navigation", { name: "Filter tasks" }).getByRole("link", { name: "Open" })).toHaveAttribute("aria-current", "page");
}

for (const width of [375, 1280]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 900 } });

    test("an added task shows before the server answers; a refused one leaves the list and returns to the form", anAddShowsAtOnceAndARefusalReturnsToTheForm);
    test("an edit and a delete show at once; a lost network puts the task back with the reason", anEditAndADeleteRollBackWithoutTheNetwork);
    test("a deleted task comes back from its toast's Undo, with its state", aDeletedTaskComesBackFromUndo);
    test("a filter switch shows it is under way within 100 ms and keeps the list until the next one arrives", aFilterSwitchShowsItIsUnderWay);
  });
}
