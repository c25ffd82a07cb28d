// The server's first act (src/instrumentation.ts): validate the configuration, or stop.
import { backendLinkCase, describeBackendLink } from "@/config/backend-link";
import { ConfigError } from "@/config/env-schema";
import { productionMailProblem } from "@/config/production-mail";

// NODE_ENV is the build mode Next.js sets (and inlines), not configuration (see auth-options.ts).
// eslint-disable-next-line no-restricted-properties
const buildMode = () => process.env.NODE_ENV;

export async function checkAtStartup(): Promise<void> {
  try {
    const { env } = await import("@/env");
    if (buildMode() === "production") {
      const mailProblem = productionMailProblem(env);
      if (mailProblem) throw mailProblem;
      console.info(describeBackendLink(env.BACKEND_URL, backendLinkCase(env.BACKEND_URL, env.BACKEND_INTERNAL_HOSTS ?? [])));
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
