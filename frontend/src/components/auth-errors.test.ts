import { describe, expect, it } from "vitest";
import { accountErrors, signInErrors } from "./auth-errors";

describe("auth form errors", () => {
  it("puts the server's field errors next to their fields", () => {
    expect(
      accountErrors(
        {
          status: 422,
          code: "NAME_REQUIRED",
          fields: [
            { field: "name", message: "Enter your name." },
            { field: "password", message: "Password must contain a digit." },
            { field: "password", message: "This password is too common." },
          ],
        },
        "sign-up",
      ),
    ).toEqual({ name: "Enter your name.", password: "Password must contain a digit. This password is too common." });
  });

  it("explains a duplicate email on the email field", () => {
    expect(accountErrors({ status: 422, code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL", message: "User already exists." }, "sign-up").email).toMatch(/already exists/);
  });

  it("never passes an unknown server message through", () => {
    const leak = { status: 500, message: "relation \"user\" does not exist" };
    expect(accountErrors(leak, "sign-up")).toEqual({ form: "Could not create the account right now. Please try again." });
    expect(accountErrors(leak, "change-password")).toEqual({ form: "Could not change the password right now. Please try again." });
  });

  it("gives one generic sign-in error whatever was wrong", () => {
    expect(signInErrors({ status: 401, code: "INVALID_EMAIL_OR_PASSWORD" })).toEqual({ form: "Invalid email or password." });
    expect(signInErrors({ status: 429 })).toEqual({ form: "Too many attempts. Please wait a minute and try again." });
  });

  it("says to confirm the email when the right password met an unverified address (only then does it come)", () => {
    const { form } = signInErrors({ status: 403, code: "EMAIL_NOT_VERIFIED" });
    expect(form).toMatch(/^Confirm your email address first: /);
    // A sentence: the way to a new link is the form's button, never a path to type.
    expect(form).not.toMatch(/\//);
  });

  it("says the service is temporarily unavailable when the database is down (503)", () => {
    const down = { status: 503, code: "DATABASE_UNAVAILABLE", message: "Accounts are temporarily unavailable (database unreachable). Please try again in a few seconds." };
    expect(signInErrors(down)).toEqual({ form: "Sign-in is temporarily unavailable. Please try again in a few seconds." });
    expect(accountErrors(down, "sign-up")).toEqual({ form: "Sign-up is temporarily unavailable. Please try again in a few seconds." });
    expect(accountErrors(down, "change-password")).toEqual({ form: "Changing the password is temporarily unavailable. Please try again in a few seconds." });
  });

  it("shows our rate-limit message (with the wait) on both forms", () => {
    const limited = { status: 429, code: "RATE_LIMITED", message: "Too many attempts. Please try again in 42 seconds." };
    expect(signInErrors(limited)).toEqual({ form: "Too many attempts. Please try again in 42 seconds." });
    expect(accountErrors(limited, "sign-up")).toEqual({ form: "Too many attempts. Please try again in 42 seconds." });
    expect(accountErrors({ status: 429 }, "change-password")).toEqual({ form: "Too many attempts. Please wait a minute and try again." });
  });
});
