import { describe, expect, it } from "vitest";
import { AUTH_EVENT_TYPES } from "@/server/security-events/types";
import { describeActivity, describeNetwork } from "./activity-words";

const say = (type: string, method: string | null = null, detail: Record<string, unknown> = {}) => describeActivity({ type, method, detail });

describe("a security event in plain words", () => {
  it("says every type in words of its own", () => {
    const said = AUTH_EVENT_TYPES.map((type) => say(type));
    expect(said.every((s) => !s.startsWith("Security event"))).toBe(true);
    expect(new Set(said).size).toBe(AUTH_EVENT_TYPES.length);
  });

  it("names how", () => {
    expect(say("sign-in", "password")).toBe("Signed in with a password");
    expect(say("sign-in", "github")).toBe("Signed in with GitHub");
    expect(say("sign-in", "saml-acme")).toBe("Signed in with saml-acme");
    expect(say("sign-in")).toBe("Signed in");
    expect(say("second-factor-enrolled", "totp")).toBe("Two-step sign-in turned on with an authenticator app");
    expect(say("second-factor-removed", "totp")).toBe("Two-step sign-in with an authenticator app removed");
    expect(say("provider-linked", "google")).toBe("Google account linked");
    expect(say("provider-unlinked", "acme")).toBe("acme account unlinked");
    expect(say("provider-linked")).toBe("A sign-in provider account linked");
  });

  it("reads the detail it knows", () => {
    expect(say("email-changed", "email", { to: "n…@example.com" })).toBe("Email address changed to n…@example.com");
    expect(say("email-change-requested", null, { to: "n…@example.com" })).toBe("Change of email to n…@example.com requested");
    expect(say("sessions-revoked", null, { scope: "everywhere" })).toBe("Signed out everywhere");
    expect(say("sessions-revoked", null, { scope: "others" })).toBe("Signed out on every other device");
    expect(say("sessions-revoked", null, { scope: "one" })).toBe("A session was signed out");
    expect(say("account-confirmed", "email", { proof: "new-password" })).toBe("Email address confirmed and a new password set");
  });

  it("says an unknown type rather than nothing, and the place", () => {
    expect(say("quantum-login")).toBe("Security event: quantum-login");
    expect(describeNetwork("203.0.113.0/24")).toBe("Network 203.0.113.0/24");
    expect(describeNetwork(null)).toBe("Network unknown");
  });
});
