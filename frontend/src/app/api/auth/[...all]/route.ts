import { auth } from "@/server/auth";
import { authRouteHandler } from "@/server/auth-route";

// Better Auth's handler (what toNextJsHandler wraps) inside our error mapping (auth-route.ts).
const handler = authRouteHandler((request) => auth.handler(request));

export { handler as GET, handler as POST };
