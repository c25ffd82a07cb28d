import { env } from "@/env";
import { auth, pool } from "@/server/auth";
import { signupMarkersFor } from "@/server/auth-options";
import { authRouteHandler } from "@/server/auth-route";
import { authThrottle } from "@/server/throttle";

// Better Auth's handler (what toNextJsHandler wraps) behind the throttle (throttle.ts), inside our
// error mapping and redirect check (auth-route.ts): redirect targets only on BETTER_AUTH_URL's origin.
const handler = authRouteHandler(authThrottle(auth, pool, env), {
  publicUrl: env.BETTER_AUTH_URL,
  quietDuplicates: env.REQUIRE_EMAIL_VERIFICATION,
  signupMarkers: signupMarkersFor(env),
});

export { handler as GET, handler as POST };
