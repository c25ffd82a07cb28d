// Better Auth's React client: the browser talks only to /api/auth/* (session cookie, HttpOnly).
import { createAuthClient } from "better-auth/react";

export const authClient = createAuthClient();
