import { describe, expect, it } from "vitest";
import { providerUnavailable, signInErrorSentence } from "./sign-in-errors";

describe("the sign-in page's sentence for a provider's failure", () => {
  it("names the provider when the page knows it, and says 'your provider' otherwise", () => {
    expect(signInErrorSentence("access_denied", "Local SSO")).toBe("You cancelled signing in at Local SSO, so nothing changed.");
    expect(signInErrorSentence("provider_timeout", null)).toBe("Your provider did not answer in time. Please try again in a moment.");
    expect(signInErrorSentence("email_not_verified", null)).toBe("Your provider did not confirm your email address. Confirm it there, then try again.");
    expect(signInErrorSentence("account_not_linked", "GitHub")).toBe("An account with this email already exists. Sign in with it, then link GitHub from Settings.");
  });

  it("one sentence for every way the state can fail", () => {
    const sentences = new Set(["state_mismatch", "state_not_found", "state_invalid", "please_restart_the_process", "invalid_callback_request", "nonce_binding_missing", "no_callback_url"].map((c) => signInErrorSentence(c, "Google")));
    expect([...sentences]).toEqual(["That sign-in was already finished or has expired. Please start again."]);
  });

  it("a code it does not know gets a general sentence, never the code or the provider's words", () => {
    const s = signInErrorSentence("server_error<script>", "Acme SSO");
    expect(s).toBe("Signing in with Acme SSO did not work. Please try again, or sign in with your email and password.");
    expect(signInErrorSentence("unable_to_get_user_info", "Acme SSO")).toBe("Acme SSO's answer could not be verified, so you were not signed in. Please start again.");
    expect(providerUnavailable("Local SSO")).toBe("Signing in with Local SSO is not available right now. Use your email and password, or try again later.");
  });
});
