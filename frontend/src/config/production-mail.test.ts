// A production start refuses mail settings that would lose every verification and reset link
// (docs/operations.md "Mail"); src/server/startup-check.ts stops the server with this one line.
import { describe, expect, it } from "vitest";
import { productionMailProblem } from "./production-mail";

const PUBLIC = "https://app.example.com";

describe("production mail settings", () => {
  it("refuses a start without SMTP_URL, in one line naming the variable and the fix", () => {
    const problem = productionMailProblem({ BETTER_AUTH_URL: PUBLIC });
    expect(problem?.variable).toBe("SMTP_URL");
    expect(problem?.message).toMatch(/^config error: SMTP_URL: is not set, .* Fix: set SMTP_URL to your mail provider's SMTP endpoint/);
    expect(problem?.message).not.toContain("\n");
  });

  it.each(["smtp://localhost:1025", "smtp://127.0.0.1:1025", "smtp://[::1]:1025"])("refuses the development catcher %s for a public URL elsewhere", (smtp) => {
    expect(productionMailProblem({ SMTP_URL: smtp, BETTER_AUTH_URL: PUBLIC })?.message).toMatch(/points at the development mail catcher .* app\.example\.com would never leave this machine/);
  });

  it.each([
    ["a provider over smtps", "smtps://user:pass@smtp.postmarkapp.com:465", PUBLIC],
    ["a provider over smtp + STARTTLS", "smtp://user:pass@email-smtp.eu-west-1.amazonaws.com:587", PUBLIC],
    ["a relay on this machine's port 25", "smtp://localhost:25", PUBLIC],
    ["the catcher while the public URL is this machine too (npm run prod)", "smtp://localhost:1025", "https://localhost:8443"],
  ])("accepts %s", (_, smtp, publicUrl) => {
    expect(productionMailProblem({ SMTP_URL: smtp, BETTER_AUTH_URL: publicUrl })).toBeNull();
  });
});
