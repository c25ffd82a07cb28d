// The time from clicking "Add task" to the task being in the list, in Debian's Chromium driven by
// Playwright against the production build: measured inside the page, from the click event's own
// timestamp to the moment a list item with the new title is in the DOM (a MutationObserver), and to
// the next animation frame after it (when the browser can paint it). Each add waits until the server
// has answered (nothing busy any more) before the next one starts.
import { chromium } from "playwright-core";
import { median } from "@authbridge/harness";

export interface AddLatency {
  samples: number;
  /** Click to the item in the DOM, ms, each sample. */
  domMs: number[];
  /** Click to the first animation frame after it, ms, each sample. */
  frameMs: number[];
  p50Dom: number;
  p50Frame: number;
}

const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

// In-page scripts as plain JavaScript text: a compiled TypeScript function could carry the
// compiler's helpers (tsx's `__name`), which do not exist in the page.

/** Resolves window.__addTiming with {dom, frame} once an item titled TITLE appears after a click on Add task. */
const ARM = `(title) => {
  window.__addTiming = new Promise((resolve) => {
    let clickedAt = null;
    const button = [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === "Add task");
    button.addEventListener("click", (e) => { clickedAt = e.timeStamp; }, { once: true, capture: true });
    const present = () => [...document.querySelectorAll('[data-testid="task-item"]')].some((li) => li.textContent.includes(title));
    const observer = new MutationObserver(() => {
      if (clickedAt === null || !present()) return;
      observer.disconnect();
      const dom = performance.now() - clickedAt;
      requestAnimationFrame(() => resolve({ dom, frame: performance.now() - clickedAt }));
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}`;

/**
 * Resolves once the add form and every task item are idle (the server has answered); rejects after
 * 15 s. Checked once a frame (page.waitForFunction would evaluate its predicate as a string, which
 * the page's Content-Security-Policy refuses).
 */
const SETTLED = `new Promise((resolve, reject) => {
  const giveUpAt = performance.now() + 15000;
  const check = () => {
    const form = document.querySelector('form[aria-label="Add a task"]');
    if (form !== null && form.getAttribute("aria-busy") !== "true" && !document.querySelector('[data-testid="task-item"][aria-busy="true"]')) return resolve(true);
    if (performance.now() > giveUpAt) return reject(new Error("the add did not settle within 15 s"));
    requestAnimationFrame(check);
  };
  check();
})`;

/** `samples` timed adds (after one untimed warm-up add) by the user whose session cookie is `cookie`. */
export async function addTaskLatency(frontendUrl: string, cookie: string, samples: number): Promise<AddLatency> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // As the server set them: a production build's cookies are __Secure-/__Host- ones, which Chromium
    // takes on http://localhost (a secure context) only when marked Secure.
    const host = new URL(frontendUrl).hostname;
    await context.addCookies(
      cookie.split("; ").map((pair) => {
        const at = pair.indexOf("=");
        const name = pair.slice(0, at);
        return { name, value: pair.slice(at + 1), domain: host, path: "/", secure: /^__(Secure|Host)-/.test(name), httpOnly: true, sameSite: "Lax" as const };
      }),
    );
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${frontendUrl}/dashboard`);
    const domMs: number[] = [];
    const frameMs: number[] = [];
    for (let i = 0; i <= samples; i++) {
      const title = `Timed add ${i} ${Date.now()}`;
      await page.locator("#new-task-title").fill(title);
      await page.evaluate(`(${ARM})(${JSON.stringify(title)})`);
      await page.getByRole("button", { name: "Add task" }).click();
      const t = (await page.evaluate("window.__addTiming")) as { dom: number; frame: number };
      await page.evaluate(SETTLED);
      if (i === 0) continue; // the first add compiles and warms both servers' paths
      domMs.push(t.dom);
      frameMs.push(t.frame);
    }
    return { samples, domMs, frameMs, p50Dom: median(domMs), p50Frame: median(frameMs) };
  } finally {
    await browser.close();
  }
}
