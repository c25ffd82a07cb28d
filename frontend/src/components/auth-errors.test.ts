import { describe, expect, it } from "vitest";
import { signInErrors, signUpErrors } from "./auth-errors";

describe("auth form errors", () => {
  it("puts the server's field errors next to their fields", () => {
    expect(
      signUpErrors({
        status: 422,
        code: "NAME_REQUIRED",
        fields: [
          { field: "name", message: "Enter your name." },
          { field: "password", message: "Password must contain a digit." },
          { field: "password", message: "This password is too common." },
        ],
      }),
    ).toEqual({ name: "Enter your name.", password: "Password must contain a digit. This password is too common." });
  });

  it("explains a duplicate email on the email field", () => {
    expect(signUpErrors({ status: 422, code: "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL", message: "User already exists." }).email).toMatch(/already exists/);
  });

  it("never passes an unknown server message through", () => {
    expect(signUpErrors({ status: 500, message: "relation \"user\" does not exist" })).toEqual({ form: "Could not create the account right now. Please try again." });
  });

  it("gives one generic sign-in error whatever was wrong", () => {
    expect(signInErrors({ status: 401, code: "INVALID_EMAIL_OR_PASSWORD" })).toEqual({ form: "Invalid email or password." });
    expect(signInErrors({ status: 403, code: "EMAIL_NOT_VERIFIED" })).toEqual({ form: "Invalid email or password." });
    expect(signInErrors({ status: 429 }).form).toMatch(/Too many attempts/);
  });
});
