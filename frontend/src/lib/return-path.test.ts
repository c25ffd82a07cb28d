import { describe, expect, it } from "vitest";
import { safeReturnPath, signInHref } from "./return-path";

describe("safeReturnPath", () => {
  it.each([
    ["/dashboard?page=2&show=open", "/dashboard?page=2&show=open"],
    ["/settings/password", "/settings/password"],
    ["/settings/profile#name", "/settings/profile#name"],
    ["/a/../settings", "/settings"],
  ])("keeps the same-origin path %s", (raw, want) => {
    expect(safeReturnPath(raw)).toBe(want);
  });

  it.each([
    "https://evil.example/",
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/\tx",
    "",
    "/api/auth/sign-out",
    "/sign-in?next=/x",
    "/sign-up",
  ])("refuses %j", (raw) => {
    expect(safeReturnPath(raw)).toBe("/dashboard");
  });

  it("refuses what is not a string", () => {
    expect(safeReturnPath(undefined)).toBe("/dashboard");
    expect(safeReturnPath(["/settings"])).toBe("/dashboard");
  });
});

describe("signInHref", () => {
  it("carries a safe return path and the reason", () => {
    expect(signInHref("/dashboard?page=2", "signed-out")).toBe("/sign-in?next=%2Fdashboard%3Fpage%3D2&reason=signed-out");
    expect(signInHref("/dashboard")).toBe("/sign-in");
    expect(signInHref("https://evil.example/")).toBe("/sign-in");
    expect(signInHref(undefined, "signed-out")).toBe("/sign-in?reason=signed-out");
  });
});
