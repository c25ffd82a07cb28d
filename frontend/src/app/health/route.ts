// Readiness (deploy/services.json "health.ready"; the proxy's and the platform's health check): 200
// once the database answers through this instance's own pool, else 503 DATABASE_UNAVAILABLE with
// Retry-After, like the backend's GET /health. Both say which email verification policy they run with.
import { readiness } from "@/server/readiness";

export const dynamic = "force-dynamic";

export async function GET() {
  const [{ pool }, { env }] = await Promise.all([import("@/server/auth"), import("@/env")]);
  return readiness(pool, env.REQUIRE_EMAIL_VERIFICATION ? "required" : "optional");
}
