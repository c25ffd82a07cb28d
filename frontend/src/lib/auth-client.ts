// Better Auth's React client: the browser talks only to /api/auth/* (session cookie, HttpOnly).
// Two-step sign-in (twoFactorClient: /two-factor/*) and passkeys (passkeyClient: /passkey/*, the
// WebAuthn ceremonies through @simplewebauthn/browser); docs/security.md "Two-step sign-in", "Passkeys".
// A sign-in that waits for its code answers `twoFactorRedirect: true`, which the sign-in form reads.
import { passkeyClient } from "@better-auth/passkey/client";
import { twoFactorClient } from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";

export const authClient = createAuthClient({ plugins: [twoFactorClient(), passkeyClient()] });
