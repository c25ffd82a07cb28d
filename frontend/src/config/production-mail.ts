// A production server must be able to mail people: every sign-up sends a confirmation link and every
// forgotten password a reset link. Started without SMTP_URL, or with SMTP_URL on the development
// catcher of its own machine while its public URL is elsewhere, it would lose every one of them with
// a log line. checkAtStartup (src/server/startup-check.ts) refuses such a start with this one line;
// `npm run prod`, whose public URL is this machine's, may use the catcher.
import { isLoopback } from "./backend-link";
import { ConfigError, DEV_SMTP_URL } from "./env-schema";

const CATCHER_PORT = new URL(DEV_SMTP_URL).port;
const FIX = "Fix: set SMTP_URL to your mail provider's SMTP endpoint, e.g. smtps://USER:PASS@smtp.provider.com:465 (docs/operations.md \"Mail\")";

/** The reason a production start must not go on with these mail settings, or null. */
export function productionMailProblem(env: { SMTP_URL?: string; BETTER_AUTH_URL: string }): ConfigError | null {
  if (!env.SMTP_URL) {
    return new ConfigError("SMTP_URL", `is not set, so verification and password-reset links would never reach anyone. ${FIX}`);
  }
  const smtp = new URL(env.SMTP_URL);
  const atCatcher = isLoopback(smtp.hostname.toLowerCase()) && (smtp.port || "25") === CATCHER_PORT;
  if (atCatcher && !isLoopback(new URL(env.BETTER_AUTH_URL).hostname.toLowerCase())) {
    return new ConfigError("SMTP_URL", `points at the development mail catcher (${smtp.host}), so mail for ${new URL(env.BETTER_AUTH_URL).host} would never leave this machine. ${FIX}`);
  }
  return null;
}
