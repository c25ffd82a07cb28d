// What the sign-in page says when a sign-in through a provider came back with `?error=<code>` (and `?via=<id>`,
// the provider the button named): one sentence per code, never the provider's own words. The codes are Better
// Auth's callback codes, the ones src/server/sign-in-providers.ts adds (provider_timeout, provider_unreachable)
// and the linking rules' (src/server/sign-in-methods/plugin.ts: email_not_verified, account_not_linked).

const RESTART = "That sign-in was already finished or has expired. Please start again.";

const SENTENCES: Readonly<Record<string, (p: string) => string>> = {
  access_denied: (p) => `You cancelled signing in at ${p}, so nothing changed.`,
  state_mismatch: () => RESTART,
  state_not_found: () => RESTART,
  state_invalid: () => RESTART,
  please_restart_the_process: () => RESTART,
  invalid_callback_request: () => RESTART,
  nonce_binding_missing: () => RESTART,
  no_callback_url: () => RESTART,
  invalid_code: (p) => `${p} did not accept this sign-in: it was already used or has expired. Please start again.`,
  provider_timeout: (p) => `${p} did not answer in time. Please try again in a moment.`,
  provider_unreachable: (p) => `${p} could not be reached. Please try again in a moment.`,
  unable_to_get_user_info: (p) => `${p}'s answer could not be verified, so you were not signed in. Please start again.`,
  issuer_mismatch: (p) => `${p}'s answer could not be verified, so you were not signed in. Please start again.`,
  email_not_found: (p) => `${p} did not share an email address, and an account needs one. Allow it at ${p}, then try again.`,
  email_not_verified: (p) => `${p} did not confirm your email address. Confirm it there, then try again.`,
  account_not_linked: (p) => `An account with this email already exists. Sign in with it, then link ${p} from Settings.`,
  account_already_linked_to_different_user: (p) => `This ${p} identity is already linked to another account.`,
  oauth_provider_not_found: (p) => `Signing in with ${p} is not available right now. Use your email and password, or try again later.`,
};

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The sentence for `code`; `provider` is the provider's name (null when the page does not know which). */
export function signInErrorSentence(code: string, provider: string | null): string {
  const name = provider ?? "your provider";
  const say = SENTENCES[code] ?? ((p: string) => `Signing in with ${p} did not work. Please try again, or sign in with your email and password.`);
  return capitalised(say(name));
}

/** What a provider's button says when the app cannot start its sign-in (the provider is unknown to it right now). */
export const providerUnavailable = (provider: string) => `Signing in with ${provider} is not available right now. Use your email and password, or try again later.`;
