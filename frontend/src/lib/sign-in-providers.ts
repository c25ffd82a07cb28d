// Which sign-in providers the app offers (root README.md "Configuration", docs/operations.md "Sign-in providers"):
// each one whose variables are set, in the order of their buttons. The configuration only: Better Auth's side is
// src/server/sign-in-providers.ts.
import type { ServerEnv } from "@/config/env-schema";

type ProviderId = "github" | "google" | "oidc";
export interface SignInProvider {
  id: ProviderId;
  /** What the button says after "Continue with". */
  name: string;
}

type ProviderEnv = Pick<ServerEnv, "GITHUB_CLIENT_ID" | "GOOGLE_CLIENT_ID" | "OIDC_ISSUER" | "OIDC_NAME">;

/** The configured providers, in the order of their buttons. */
export function signInProviders(env: ProviderEnv): SignInProvider[] {
  const providers: SignInProvider[] = [];
  if (env.GITHUB_CLIENT_ID) providers.push({ id: "github", name: "GitHub" });
  if (env.GOOGLE_CLIENT_ID) providers.push({ id: "google", name: "Google" });
  if (env.OIDC_ISSUER) providers.push({ id: "oidc", name: env.OIDC_NAME ?? "SSO" });
  return providers;
}
