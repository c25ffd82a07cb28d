import { describe, expect, it } from "vitest";
import { NETWORK_ERROR_MESSAGE } from "@/components/reach";
import { addFailure, changeFailure, confirmFailure, describeKeeping, PASSKEY_NAME_MAX, passkeyNameProblem, signInFailure } from "./passkey-words";

const closed = { code: "ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY", status: 400, message: "The operation either timed out or was not allowed." };

describe("a passkey ceremony that did not happen, in one sentence", () => {
  it("says a closed prompt as 'not used', whatever the ceremony", () => {
    expect(signInFailure(closed)).toBe("No passkey was used. Try again, or sign in with your password.");
    expect(confirmFailure({ code: "ERROR_CEREMONY_ABORTED" })).toBe("No passkey was used. Try again, or confirm another way.");
    expect(addFailure(closed)).toBe("No passkey was added. Try again when you are ready.");
  });

  it("says a passkey the server does not know", () => {
    const unknown = { code: "PASSKEY_NOT_FOUND", status: 401, message: "Passkey not found" };
    expect(signInFailure(unknown)).toMatch(/not registered here any more/);
    expect(confirmFailure(unknown)).toMatch(/not registered to your account/);
    expect(changeFailure(unknown, "rename")).toMatch(/Reload the page/);
    expect(changeFailure({ status: 404 }, "remove")).toMatch(/Reload the page/);
  });

  it("keeps the server's own sentences and the throttle's wait", () => {
    expect(signInFailure({ code: "RATE_LIMITED", status: 429, message: "Too many attempts. Please try again in 2 minutes." })).toBe("Too many attempts. Please try again in 2 minutes.");
    expect(addFailure({ status: 429 })).toBe("Too many attempts. Please try again in a minute.");
    expect(changeFailure({ code: "PASSKEY_NAME_TOO_LONG", status: 422, message: "A passkey's name must be at most 100 characters." }, "rename")).toBe(
      "A passkey's name must be at most 100 characters.",
    );
    expect(confirmFailure({ code: "PASSKEY_OF_ANOTHER_ACCOUNT", status: 403, message: "This passkey belongs to another account." })).toBe("This passkey belongs to another account.");
  });

  it("says a request that did not arrive, and a service that is down", () => {
    expect(confirmFailure({ code: "AUTH_CANCELLED", status: 400 })).toBe(NETWORK_ERROR_MESSAGE);
    expect(signInFailure({ status: 503 })).toMatch(/temporarily unavailable/);
  });

  it("says a passkey registered already on this authenticator, and one the device cannot keep", () => {
    expect(addFailure({ code: "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED" })).toMatch(/registered already/);
    expect(addFailure({ code: "PREVIOUSLY_REGISTERED", status: 400, message: "x" })).toMatch(/registered already/);
    expect(addFailure({ code: "ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT" })).toMatch(/PIN, fingerprint or face/);
  });

  it("falls back to a sentence of its own for anything else", () => {
    expect(signInFailure({})).toMatch(/Could not sign in with the passkey/);
    expect(confirmFailure({ status: 500 })).toMatch(/Could not confirm/);
    expect(addFailure({ status: 500 })).toBe("Could not add the passkey. Try again.");
    expect(changeFailure({ status: 500 }, "rename")).toBe("Could not rename the passkey. Try again.");
    expect(changeFailure({ status: 500 }, "remove")).toBe("Could not remove the passkey. Try again.");
    expect(changeFailure({}, "list")).toMatch(/Could not load your passkeys/);
  });
});

describe("a passkey's name, before the prompt", () => {
  it("asks for one, refuses control characters and more than the server's limit", async () => {
    const { PASSKEY_NAME_MAX: serverMax, PASSKEY_ERRORS } = await import("@/server/second-factor/plugin");
    expect(PASSKEY_NAME_MAX).toBe(serverMax);
    expect(passkeyNameProblem("  ")).toBe(PASSKEY_ERRORS.NAME_REQUIRED.message);
    expect(passkeyNameProblem("a\nb")).toBe(PASSKEY_ERRORS.NAME_INVALID.message);
    expect(passkeyNameProblem("é".repeat(100))).toBeUndefined();
    expect(passkeyNameProblem("é".repeat(101))).toBe(PASSKEY_ERRORS.NAME_TOO_LONG.message);
    expect(passkeyNameProblem("Chrome 131 on Linux")).toBeUndefined();
  });

  it("says how the passkey is kept when the authenticator told", () => {
    expect(describeKeeping("multiDevice")).toBe("Synced to your other devices");
    expect(describeKeeping("singleDevice")).toBe("Kept on one device");
    expect(describeKeeping(null)).toBeUndefined();
  });
});
