// The auth-flow modules, held at 100% of their lines by Vitest's coverage thresholds
// (frontend/vitest.config.ts) and by `npm test`'s frontend suite (dev/src/test-command.ts), which
// reports their total; docs/development.md "Coverage". Paths from frontend/.
export const AUTH_MODULES: readonly string[] = [
  // the token issuer
  "src/server/jwt-issuer.ts",
  "src/server/backend-token-plugin.ts",
  // Better Auth's configuration and hooks
  "src/server/auth-options.ts",
  "src/server/password-hook.ts",
  "src/server/mail/auth-mail-options.ts",
  // the throttle
  "src/server/throttle.ts",
  "src/server/throttle-store.ts",
  "src/server/throttle-settings.ts",
  "src/server/throttle-address.ts",
  // the auth route handler
  "src/server/auth-route.ts",
  "src/server/body-limit.ts",
  "src/server/db-errors.ts",
  // the account mail flows
  "src/server/mail/account-mail.ts",
  "src/server/mail/mailer.ts",
  "src/server/mail/delete-link-plugin.ts",
  "src/server/mail/verification-link.ts",
  "src/server/after-response.ts",
];
