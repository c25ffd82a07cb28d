// THE rules for the profile fields a user writes (name, email, image), one definition used by the
// server hook on every Better Auth endpoint that writes them (src/server/password-hook.ts) and by
// the forms before submit; the password has its own module (src/lib/password-policy.ts).
// Why bounded at all: every session check loads the user row, so an unbounded field is paid for
// on every request (docs/security.md "Profile fields").
import * as z from "zod/mini";
import { countCodePoints } from "./password-policy";

export const NAME_MAX_CODE_POINTS = 100;
/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets including the angle brackets. */
export const EMAIL_MAX_LENGTH = 254;
export const IMAGE_URL_MAX_LENGTH = 2048;

type ProfileField = "name" | "email" | "image";

type ProfileRuleCode =
  | "NAME_REQUIRED"
  | "NAME_TOO_LONG"
  | "NAME_INVALID_CHARACTERS"
  | "NAME_LINK"
  | "EMAIL_REQUIRED"
  | "EMAIL_TOO_LONG"
  | "INVALID_EMAIL"
  | "IMAGE_TOO_LONG"
  | "IMAGE_INVALID";

export interface ProfileFailure {
  field: ProfileField;
  code: ProfileRuleCode;
  message: string;
}

/**
 * Characters no profile field may hold: C0/C1 controls and DEL (NUL makes PostgreSQL refuse the
 * row), lone surrogates (silently turned into U+FFFD on the way to the database), the line and
 * paragraph separators, and the bidirectional embedding/override/isolate controls that make text
 * display in another order than it is stored.
 */
const FORBIDDEN_CHARACTER = /[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
/** A character someone can see: a letter, digit, punctuation or symbol (not a space, mark or format character). */
const VISIBLE_CHARACTER = /[\p{L}\p{N}\p{P}\p{S}]/u;

export const hasForbiddenCharacter = (s: string): boolean => FORBIDDEN_CHARACTER.test(s);

/**
 * Text a mail client or a browser would turn into a link: a scheme (`https://`, `mailto:`), `www.`, an
 * email address, or a host name with a top-level domain (`evil.example`). A name appears in email
 * (docs/security.md "Mail that cannot be turned against anyone"), so a name is never a link.
 * "J.R.R. Tolkien" and "Dr. Who" are names: one letter before a dot, or a space after it, is no host.
 */
const LINK_LIKE = /[a-z][a-z0-9+.-]*:\/\/|\bwww\.|\bmailto:|\S@\S|[\p{L}\p{N}-]{2,}\.[\p{L}]{2,}/iu;

const failure = (field: ProfileField, code: ProfileRuleCode, message: string): ProfileFailure => ({ field, code, message });

/** The stored form of a name: without surrounding white space. */
export const normalizeName = (name: string): string => name.trim();

/** Name: 1–100 code points after trimming, at least one visible character, no forbidden characters, no link. */
export function checkName(value: unknown): ProfileFailure[] {
  if (typeof value !== "string") return [failure("name", "NAME_REQUIRED", "Enter your name.")];
  const name = normalizeName(value);
  if (hasForbiddenCharacter(name)) {
    return [failure("name", "NAME_INVALID_CHARACTERS", "Your name cannot contain control characters or line breaks.")];
  }
  if (!VISIBLE_CHARACTER.test(name)) return [failure("name", "NAME_REQUIRED", "Enter your name.")];
  if (countCodePoints(name) > NAME_MAX_CODE_POINTS) {
    return [failure("name", "NAME_TOO_LONG", `Your name must be at most ${NAME_MAX_CODE_POINTS} characters.`)];
  }
  if (LINK_LIKE.test(name)) return [failure("name", "NAME_LINK", "Your name cannot contain a web address or an email address.")];
  return [];
}

const emailSchema = z.email();

/**
 * Email: what Better Auth accepts (zod's `z.email()`, the check its endpoints run) and at most 254
 * characters. The length is checked first, so the pattern never runs on a huge string.
 */
export function checkEmail(value: unknown): ProfileFailure[] {
  if (typeof value !== "string" || value === "") return [failure("email", "EMAIL_REQUIRED", "Enter your email address.")];
  if (value.length > EMAIL_MAX_LENGTH) {
    return [failure("email", "EMAIL_TOO_LONG", `Your email address must be at most ${EMAIL_MAX_LENGTH} characters.`)];
  }
  if (hasForbiddenCharacter(value) || !emailSchema.safeParse(value).success) {
    return [failure("email", "INVALID_EMAIL", "Enter a valid email address.")];
  }
  return [];
}

/**
 * Image: absent (undefined, or null to remove it), or an absolute `https:` URL of at most 2,048
 * characters, without white space, control characters or credentials (`https://user:pass@…`).
 */
export function checkImage(value: unknown): ProfileFailure[] {
  if (value === undefined || value === null) return [];
  const invalid = [failure("image", "IMAGE_INVALID", "The image must be an https:// URL.")];
  if (typeof value !== "string") return invalid;
  if (value.length > IMAGE_URL_MAX_LENGTH) {
    return [failure("image", "IMAGE_TOO_LONG", `The image URL must be at most ${IMAGE_URL_MAX_LENGTH} characters.`)];
  }
  // The URL parser would quietly strip tabs and newlines and trim controls, so look at the raw text.
  if (hasForbiddenCharacter(value) || /\s/u.test(value) || !/^https:\/\//i.test(value)) return invalid;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return invalid;
  }
  if (url.protocol !== "https:" || !url.hostname || url.username || url.password) return invalid;
  return [];
}
