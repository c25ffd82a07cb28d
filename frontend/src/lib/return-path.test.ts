// The one redirect rule (docs/security.md "Redirects") against a corpus of open-redirect tricks:
// each case says what it must become. `null` = refused (Better Auth's parameters answer 400,
// `?next=` falls back to the dashboard).
import { describe, expect, it } from "vitest";
import { DEFAULT_RETURN_PATH, MAX_TARGET_LENGTH, nextFromQuery, safeReturnPath, sameOriginTarget, signInHref } from "./return-path";

const APP = "https://app.example.com";
const LOCAL = "http://localhost:3000";

/** Targets that stay on our site, and what each becomes. */
const ACCEPTED: Array<[string, string]> = [
  // root-relative paths on our site stay as they are
  ["/dashboard", "/dashboard"],
  ["/", "/"],
  ["/settings/profile", "/settings/profile"],
  ["/dashboard?page=2&show=open", "/dashboard?page=2&show=open"],
  ["/settings/profile#name", "/settings/profile#name"],
  ["/dashboard?", "/dashboard?"],
  ["/x?next=//evil.example", "/x?next=//evil.example"], // `//` after `?` is data, not a host
  ["/x#//evil.example", "/x#//evil.example"],
  // normalised, and still one `/` in front
  ["/a/../settings", "/settings"],
  ["/%2e%2e/settings", "/settings"],
  ["/./settings", "/settings"],
  ["/evil.example", "/evil.example"], // a path on our site that happens to look like a host
  ["/caf\u00e9", "/caf%C3%A9"],
  // absolute URLs on exactly our origin become their path; case and a default port do not matter
  [`${APP}/x?y=1#z`, "/x?y=1#z"],
  ["HTTPS://APP.EXAMPLE.COM/x", "/x"],
  ["https://app.example.com:443/x", "/x"],
  [APP, "/"],
];

/** Targets that leave our site, or could: refused. */
const REFUSED: string[] = [
  // protocol-relative, as written or after normalisation
  "//evil.example",
  "//evil.example/x",
  "///evil.example",
  "/.//evil.example",
  "/..//evil.example",
  "/%2e%2e//evil.example",
  "/%2E%2E//evil.example",
  "/././/evil.example",
  // backslashes, which browsers read as slashes
  "/\\evil.example",
  "/./\\evil.example",
  "\\\\evil.example",
  "\\/evil.example",
  "/x\\y",
  // encoded separators
  "%2F%2Fevil.example",
  "/%2F%2Fevil.example",
  "/%2f/evil.example",
  "%5C%5Cevil.example",
  "/%5Cevil.example",
  "/%5cevil.example",
  // tabs, newlines, spaces and other controls, which browsers drop or strip
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "java\tscript:alert(1)",
  " //evil.example",
  " /dashboard",
  "/dashboard ",
  "/dash board",
  "/\u0000",
  "/\u007f",
  "/\u0085",
  // other schemes
  "javascript:alert(1)",
  "JAVASCRIPT:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "mailto:someone@example.com",
  "ftp://app.example.com/x",
  "https:evil.example",
  "https:/evil.example",
  // other origins: host, scheme, port, look-alikes
  "https://evil.example/",
  "http://app.example.com/x",
  "https://app.example.com:8443/x",
  "https://app.example.com.evil.example/",
  "https://\u0430pp.example.com/", // Cyrillic а
  "https://xn--pp-6kc.example.com/", // the same, as punycode
  "https://xn--app-example-com/",
  // not a URL at all
  "https://[app.example.com/",
  "https://app%00.example.com/",
  "http://:3000/",
  // user-info, on another host or on ours
  "https://app.example.com@evil.example/",
  "https://evil@app.example.com/",
  "https://user:pass@app.example.com/",
  // path-relative references resolve against whatever page the browser is on
  "evil.example",
  "dashboard",
  "./dashboard",
  "../dashboard",
  "?x=1",
  "#top",
  "",
];

describe("sameOriginTarget", () => {
  it.each(ACCEPTED)("accepts %j as %j", (raw, want) => {
    expect(sameOriginTarget(raw, APP)).toBe(want);
  });

  it.each(REFUSED)("refuses %j", (raw) => {
    expect(sameOriginTarget(raw, APP)).toBeNull();
  });

  it("tells ports apart: only our own", () => {
    expect(sameOriginTarget("http://localhost:3000/x", LOCAL)).toBe("/x");
    expect(sameOriginTarget("http://localhost:3001/x", LOCAL)).toBeNull();
    expect(sameOriginTarget("http://localhost/x", LOCAL)).toBeNull();
    expect(sameOriginTarget("http://127.0.0.1:3000/x", LOCAL)).toBeNull();
    expect(sameOriginTarget("https://localhost:3000/x", LOCAL)).toBeNull();
  });

  it("reads only the origin of the public URL it is given", () => {
    expect(sameOriginTarget(`${APP}/x`, `${APP}/some/base/path`)).toBe("/x");
    expect(sameOriginTarget("/x", `${APP}/some/base/path`)).toBe("/x");
  });

  it("with no public URL, accepts root-relative paths only", () => {
    expect(sameOriginTarget("/settings?x=1", null)).toBe("/settings?x=1");
    expect(sameOriginTarget(`${APP}/x`, null)).toBeNull();
    expect(sameOriginTarget("http://paths-only.invalid/x", null)).toBeNull();
    expect(sameOriginTarget("/.//evil.example", null)).toBeNull();
  });

  it("refuses very long input", () => {
    const longest = `/${"a".repeat(MAX_TARGET_LENGTH - 1)}`;
    expect(sameOriginTarget(longest, APP)).toBe(longest);
    expect(sameOriginTarget(`${longest}a`, APP)).toBeNull();
    expect(sameOriginTarget(`/${"a".repeat(1_000_000)}`, APP)).toBeNull();
  });

  it.each([undefined, null, 42, true, {}, ["/settings"], { toString: () => "/settings" }, new URL(`${APP}/x`)])(
    "refuses what is not a string: %j",
    (raw) => {
      expect(sameOriginTarget(raw, APP)).toBeNull();
    },
  );

  it("never answers something that resolves to another origin (every accepted case, resolved as a browser would)", () => {
    const tricks = ["/dashboard", "/a/../b", "/%2e%2e/b", "/.//evil", "/..//evil", "/%2e%2e//evil", "HTTPS://APP.EXAMPLE.COM//evil", `${APP}/.//evil`];
    const accepted = tricks.map((raw) => sameOriginTarget(raw, APP)).filter((t): t is string => t !== null);
    expect(accepted).toEqual(["/dashboard", "/b", "/b"]);
    // The answer resolved against any page of ours, and against another origin's page, stays relative to that page's origin.
    for (const target of accepted) {
      expect(new URL(target, `${APP}/deep/page`).origin).toBe(APP);
      expect(new URL(target, "https://other.example/").origin).toBe("https://other.example");
    }
  });
});

describe("safeReturnPath (?next=)", () => {
  it.each([
    ["/dashboard?page=2&show=open", "/dashboard?page=2&show=open"],
    ["/settings/password", "/settings/password"],
    ["/settings/profile#name", "/settings/profile#name"],
    ["/a/../settings", "/settings"],
    [`${APP}/settings`, "/settings"],
  ])("keeps the same-origin path %j as %j", (raw, want) => {
    expect(safeReturnPath(raw, APP)).toBe(want);
  });

  it.each([
    "https://evil.example/",
    "//evil.example/x",
    "/.//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/\tx",
    "",
    // never an API answer, never the sign-in or sign-up page again (also when encoded or in capitals)
    "/api/auth/sign-out",
    "/%61pi/auth/sign-out",
    "/API/auth/sign-out",
    "/sign-in?next=/x",
    "/sign-in/",
    "/sign-up",
    // malformed percent-encoding: no page has such a path
    "/%E0%A4%A",
  ])("falls back to the dashboard for %j", (raw) => {
    expect(safeReturnPath(raw, APP)).toBe(DEFAULT_RETURN_PATH);
  });

  it("keeps paths that only start like the excluded ones", () => {
    expect(safeReturnPath("/apis", APP)).toBe("/apis");
    expect(safeReturnPath("/sign-in-help", APP)).toBe("/sign-in-help");
  });

  it("falls back to what the caller chooses", () => {
    expect(safeReturnPath("//evil.example", APP, "/settings")).toBe("/settings");
    expect(safeReturnPath(undefined, APP)).toBe(DEFAULT_RETURN_PATH);
    expect(safeReturnPath(["/settings"], APP)).toBe(DEFAULT_RETURN_PATH);
  });
});

describe("nextFromQuery (the sign-in page's ?next=)", () => {
  it("is where a signed-in visitor of /sign-in?next=… is sent: a path on our origin, or the dashboard", () => {
    expect(nextFromQuery("/.//evil.example", APP)).toBe("/dashboard");
    expect(nextFromQuery("https://evil.example/", APP)).toBe("/dashboard");
    expect(nextFromQuery(`${APP}/settings/password`, APP)).toBe("/settings/password");
    expect(nextFromQuery("/settings/password", APP)).toBe("/settings/password");
    expect(nextFromQuery(undefined, APP)).toBe("/dashboard");
  });

  it("reads a repeated ?next= by its first value only", () => {
    expect(nextFromQuery(["//evil.example", "/settings"], APP)).toBe("/dashboard");
    expect(nextFromQuery(["/settings", "//evil.example"], APP)).toBe("/settings");
    expect(nextFromQuery([], APP)).toBe("/dashboard");
  });
});

describe("signInHref", () => {
  it("carries a safe return path and the reason", () => {
    expect(signInHref("/dashboard?page=2", "signed-out")).toBe("/sign-in?next=%2Fdashboard%3Fpage%3D2&reason=signed-out");
    expect(signInHref("/dashboard")).toBe("/sign-in");
    expect(signInHref(undefined, "signed-out")).toBe("/sign-in?reason=signed-out");
  });

  it("drops a return path that is not a path of this site", () => {
    for (const next of ["https://evil.example/", "//evil.example", "/.//evil.example", `${APP}/settings`]) {
      expect(signInHref(next)).toBe("/sign-in");
    }
  });
});
