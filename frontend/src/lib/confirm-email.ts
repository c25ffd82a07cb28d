// The unconfirmed address, seen from the pages (docs/security.md "Email verification").

/** Where a signed-in user whom the backend refuses until the address is confirmed is sent (401 EMAIL_NOT_VERIFIED). */
export const CONFIRM_EMAIL_PATH = "/confirm-email";

/** Set for the browser session when the user dismisses the "Confirm your email" banner. */
export const BANNER_DISMISSED_COOKIE = "authbridge-confirm-banner";
