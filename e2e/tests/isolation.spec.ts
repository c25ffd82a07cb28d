import { expect, test } from "@playwright/test";
import { BACKEND_URL, bearer, backendToken, newUser, signUp } from "./helpers.ts";

test("two users in two browsers see only their own tasks, and B cannot reach A's task by id", async ({ browser }) => {
  const [ctxA, ctxB] = [await browser.newContext(), await browser.newContext()];
  const [pageA, pageB] = [await ctxA.newPage(), await ctxB.newPage()];
  await signUp(pageA, newUser("Alice"));
  await signUp(pageB, newUser("Bob"));

  await pageA.getByLabel("Title").fill("Alice's secret plan");
  await pageA.getByRole("button", { name: "Add task" }).click();
  await expect(pageA.getByRole("listitem").filter({ hasText: "Alice's secret plan" })).toBeVisible();
  await pageB.getByLabel("Title").fill("Bob's shopping list");
  await pageB.getByRole("button", { name: "Add task" }).click();
  await expect(pageB.getByRole("listitem").filter({ hasText: "Bob's shopping list" })).toBeVisible();

  await pageA.reload();
  await pageB.reload();
  await expect(pageA.getByText("Bob's shopping list")).toHaveCount(0);
  await expect(pageB.getByText("Alice's secret plan")).toHaveCount(0);

  // B goes around the UI and calls the backend directly with A's task id.
  const tokenA = await backendToken(pageA.request);
  const listA = await pageA.request.get(`${BACKEND_URL}/api/tasks`, { headers: bearer(tokenA) });
  const aliceTask = ((await listA.json()) as { items: { id: string; title: string }[] }).items.find((t) => t.title === "Alice's secret plan");
  expect(aliceTask).toBeTruthy();
  const tokenB = await backendToken(pageB.request);
  for (const method of ["get", "patch", "delete"] as const) {
    const res = await pageB.request[method](`${BACKEND_URL}/api/tasks/${aliceTask!.id}`, {
      headers: bearer(tokenB),
      ...(method === "patch" ? { data: { title: "pwned" } } : {}),
    });
    expect(res.status(), `${method.toUpperCase()} on A's task`).toBe(404);
    expect(await res.json()).toMatchObject({ code: "TASK_NOT_FOUND" });
  }
  const stillThere = await pageA.request.get(`${BACKEND_URL}/api/tasks/${aliceTask!.id}`, { headers: bearer(tokenA) });
  expect(await stillThere.json()).toMatchObject({ title: "Alice's secret plan" });
  await ctxA.close();
  await ctxB.close();
});
