// The browser defences of the production build (docs/security.md "Browser defences"): the
// nonce Content-Security-Policy is enforced (injected scripts do not run, violations are reported),
// normal use never trips it, pages cannot be framed, /api/auth/* bodies are capped, and the
// sign-up form judges profile fields with the server's rules (docs/security.md "Profile fields"), and a
// form cannot be sent before the page is interactive.
import { expect, type Page, test } from "@playwright/test";
import http from "node:http";
import { GOOD_PASSWORD, newUser, signIn, signOut, signUp } from "./helpers.ts";

interface Violation {
  url: string;
  directive: string;
  blocked: string;
}

/** Collects `securitypolicyviolation` events of every document the page loads, and CSP console errors. */
async function watchViolations(page: Page) {
  const violations: Violation[] = [];
  const consoleErrors: string[] = [];
  await page.exposeFunction("__reportViolation", (v: Violation) => violations.push(v));
  // Init scripts are run by the browser's automation channel, not as page scripts: CSP does not apply.
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __reportViolation: (v: object) => void }).__reportViolation;
      report({ url: document.location.href, directive: e.effectiveDirective, blocked: e.blockedURI });
    });
  });
  page.on("console", (m) => {
    // Chromium reports a blocked action as an error, a header it cannot parse as a warning.
    if (["error", "warning"].includes(m.type()) && /Content Security Policy|Permissions-Policy|Refused to/i.test(m.text())) {
      consoleErrors.push(m.text());
    }
  });
  return { violations, consoleErrors };
}

test("pages and API answers carry the browser headers; every script tag carries this answer's nonce", async ({ request }) => {
  const first = await request.get("/sign-in");
  const second = await request.get("/sign-in");
  expect(first.status()).toBe(200);
  const policy = first.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
  expect(nonce, policy).toBeTruthy();
  expect(second.headers()["content-security-policy"]).not.toContain(nonce); // fresh per request
  const scriptSrc = policy.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src ")) ?? "";
  expect(scriptSrc).toContain("'strict-dynamic'");
  expect(scriptSrc).not.toMatch(/unsafe-inline|unsafe-eval/);
  const styleSrc = policy.split(";").map((d) => d.trim()).find((d) => d.startsWith("style-src ")) ?? "";
  expect(styleSrc).not.toContain("unsafe-inline");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("object-src 'none'");

  const html = await first.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

  const staticScript = /<script\b[^>]*\bsrc="(\/_next\/static\/[^"]+)"/.exec(html)?.[1];
  expect(staticScript).toBeTruthy();
  const asset = await request.get(staticScript!);
  expect(asset.status()).toBe(200);

  for (const res of [first, await request.get("/api/auth/get-session"), await request.get("/no-such-page"), asset]) {
    const h = res.headers();
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(h["permissions-policy"]).toContain("camera=()");
    expect(h["permissions-policy"]).toContain("microphone=()");
    expect(h["permissions-policy"]).toContain("geolocation=()");
    if (res !== asset) expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  }
  const api = await request.get("/api/auth/get-session");
  expect(api.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
});

test("an injected inline script, script URL or event handler does not run, and the violation is reported", async ({ page }) => {
  const { violations, consoleErrors } = await watchViolations(page);
  // What a stored or reflected HTML injection would put into the page the server sends; the
  // policy header stays as the server sent it. (Scripts added through DevTools, as page.evaluate
  // does, are exempt from CSP, so the injection has to be in the HTML.)
  await page.route("**/sign-in", async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(
      "</body>",
      `<script>window.__injected = "script ran"</script>` +
        `<script src="/injected.js"></script>` +
        `<img src="/definitely-missing.png" alt="" onerror="window.__injectedHandler = 'handler ran'"></body>`,
    );
    expect(html).toContain("__injected");
    await route.fulfill({ response, body: html });
  });
  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

  await expect.poll(() => violations.map((v) => `${v.directive} ${v.blocked}`).sort()).toEqual(
    ["script-src-attr inline", "script-src-elem inline", `script-src-elem ${new URL("/injected.js", page.url()).href}`].sort(),
  );
  const ran = await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return [w.__injected, w.__injectedHandler];
  });
  expect(ran).toEqual([undefined, undefined]);
  expect(consoleErrors.length).toBeGreaterThanOrEqual(3);

  // The page's own (nonced) scripts did run: the form is interactive.
  await page.getByLabel("Email").fill("nobody@example.test");
  await page.getByLabel("Password", { exact: true }).fill("Wrong-Pass-1x");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password." })).toBeVisible();
});

test("no page trips the policy in normal use: sign-up, dashboard, a task, change password, a missing page, sign-out", async ({ page }) => {
  const { violations, consoleErrors } = await watchViolations(page);
  const user = newUser("Csp");
  await signUp(page, user);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(user.name);

  await page.getByLabel("Title").fill("Check the policy");
  await page.getByRole("button", { name: "Add task" }).click();
  await expect(page.getByRole("list", { name: "Tasks" }).getByRole("listitem").filter({ hasText: "Check the policy" })).toBeVisible();
  // A modal dialog (Radix adds a scroll-lock <style>, which must carry the nonce) and the theme script.
  await page.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("alertdialog")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("alertdialog")).toHaveCount(0);

  await page.getByRole("button", { name: /^Account menu for / }).click();
  await page.getByRole("menuitem", { name: "Settings" }).click();
  await page.getByRole("link", { name: "Password" }).click();
  await expect(page.getByRole("heading", { name: "Change password" })).toBeVisible();
  await page.goto("/no-such-page");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Go to your tasks" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  await signOut(page);
  await signIn(page, user);
  await expect(page).toHaveURL(/\/dashboard$/);
  // Reached by client-side navigation: the document (and its policy's nonce) is still the sign-in page's.
  await page.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("alertdialog")).toBeVisible();
  await page.keyboard.press("Escape");

  expect(violations).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

test("a page cannot be framed, not even by itself", async ({ page, baseURL }) => {
  await page.goto("/sign-in");
  const target = `${baseURL}/sign-up`;
  await page.evaluate(
    (src) =>
      new Promise<void>((resolve) => {
        const frame = document.createElement("iframe");
        frame.addEventListener("load", () => resolve(), { once: true });
        frame.src = src;
        document.body.append(frame);
      }),
    target,
  );
  const framed = page.frames().find((f) => f !== page.mainFrame());
  expect(framed).toBeDefined();
  expect(framed!.url()).not.toBe(target); // Chromium puts its error page in the frame instead
  await expect(page.frameLocator("iframe").getByRole("heading", { name: "Create account" })).toHaveCount(0);
});

test("request bodies on /api/auth are capped: a 50 MB sign-up is 413 and creates no account", async ({ request }) => {
  const user = newUser("Huge");
  const data = { name: user.name, email: user.email, password: user.password, image: `https://example.com/${"a".repeat(50 * 1024 * 1024)}` };
  // The server answers 413 and closes while the client is still writing its 50 MB: now and then the reset
  // (EPIPE, ECONNRESET) reaches the client before the answer, which the kernel then discards.
  const huge = await request.post("/api/auth/sign-up/email", { data }).catch((err: Error) => {
    if (/EPIPE|ECONNRESET/.test(err.message)) return null;
    throw err;
  });
  if (huge) {
    expect(huge.status()).toBe(413);
    expect(await huge.json()).toEqual({ code: "PAYLOAD_TOO_LARGE", message: "The request body is larger than 64 KiB." });
  }
  const signInAttempt = await request.post("/api/auth/sign-in/email", { data: { email: user.email, password: user.password } });
  expect(signInAttempt.status()).toBe(401);
});

test("a chunked body is refused once it passes the cap, before the client has sent it all", async ({ baseURL }) => {
  const url = new URL("/api/auth/sign-up/email", baseURL);
  const chunk = Buffer.alloc(64 * 1024, "a");
  const limit = 200 * 1024 * 1024;
  // The server answers 413 and closes while the client is still writing: the client may then see the reset
  // (EPIPE, ECONNRESET) before it has read the answer, which the kernel may have discarded. Either way the
  // server stopped reading long before the client's 200 MB were sent.
  type Outcome = { status: number; connection?: string; body: string; sent: number; cut?: string };
  const result = await new Promise<Outcome>((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(url, { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked", origin: url.origin } });
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body, sent });
        req.destroy();
      });
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (answered) return;
      if (err.code === "EPIPE" || err.code === "ECONNRESET") resolve({ status: 0, body: "", sent, cut: err.code });
      else reject(err);
    });
    const pump = () => {
      while (!answered && sent < limit) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    req.write('{"name":"Chunky","email":"chunky@example.test","password":"Correct-Horse-9-battery","image":"');
    pump();
  });
  expect(result.sent).toBeLessThan(limit);
  if (result.cut) return; // the reset outran the answer: the cut itself is the refusal
  expect(result.status).toBe(413);
  expect(JSON.parse(result.body)).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
  expect(result.connection).toBe("close");
});

test("the sign-up form refuses a name the server would refuse, before sending anything", async ({ page }) => {
  const signUps: string[] = [];
  page.on("request", (r) => (r.url().includes("/api/auth/sign-up") ? signUps.push(r.url()) : undefined));
  const user = newUser("Form");
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  const name = page.getByLabel("Name");
  const submit = page.getByRole("button", { name: "Create account" });

  await name.fill("a".repeat(101));
  await submit.click();
  await expect(name).toHaveAccessibleDescription("Your name must be at most 100 characters.");
  await name.fill("\u200B\u200B"); // zero-width spaces: nothing visible
  await submit.click();
  await expect(name).toHaveAccessibleDescription("Enter your name.");
  expect(signUps).toEqual([]);

  await name.fill("Zoë 👩‍🔬");
  await submit.click();
  await expect(page).toHaveURL(/\/dashboard$/); // sign-up signs in (the address waits to be confirmed)
});

test("before a page is interactive its form cannot be sent: the button waits, and Enter never puts the password in the address", async ({ browser }) => {
  // No JavaScript at all: the page as it is before hydration, for as long as that lasts.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  for (const [path, button] of [
    ["/sign-up", "Create account"],
    ["/sign-in", "Sign in"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("button", { name: button, exact: true })).toBeDisabled();
    const password = page.getByLabel("Password", { exact: true });
    await password.fill(GOOD_PASSWORD);
    await password.press("Enter"); // waits for any navigation it starts
    const url = new URL(page.url());
    expect([url.pathname, url.search]).toEqual([path, ""]);
  }
  await context.close();
});
