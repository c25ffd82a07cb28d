// How easy a password is to guess: zxcvbn-ts (https://zxcvbn-ts.github.io/zxcvbn/) with its common
// and English dictionaries, the same judge in the form and on the server (src/server/password-hook.ts),
// so both give the same verdict. The dictionaries are large (about 1.6 MB of script, 0.8 MB compressed), so they are
// imported on first use: the browser loads them when the password field is first focused, the
// server once per process.
import type { TranslationKeys, ZxcvbnFactory } from "@zxcvbn-ts/core";

/** zxcvbn's score from 0 to 4; 3 = about 10^8 guesses or more: "safely unguessable" in its terms. */
const MIN_STRENGTH_SCORE = 3;

/** Why a password is easy to guess, in one sentence a person reads (zxcvbn's warnings, reworded). */
export const STRENGTH_WARNINGS: TranslationKeys["warnings"] = {
  straightRow: "A straight row of keys, like “qwerty”, is one of the first things tried.",
  keyPattern: "A short pattern of neighbouring keys is easy to guess.",
  simpleRepeat: "Repeated characters, like “aaa”, are easy to guess.",
  extendedRepeat: "A repeated pattern, like “abcabc”, is easy to guess.",
  sequences: "A run of characters, like “abc” or “123”, is easy to guess.",
  recentYears: "A recent year is easy to guess.",
  dates: "A date is easy to guess.",
  topTen: "This is one of the ten most used passwords.",
  topHundred: "This is one of the hundred most used passwords.",
  common: "This is one of the most used passwords.",
  similarToCommon: "This is too close to a password many people use.",
  wordByItself: "A single word is easy to guess.",
  namesByThemselves: "A name on its own is easy to guess.",
  commonNames: "Common names are easy to guess.",
  userInputs: "It contains your name or email address, which are easy to guess.",
  pwned: "This password has appeared in a data breach.",
};

/**
 * Bounds on the estimator's work, which the server does for anyone who sends a password: with
 * zxcvbn's defaults a random 128-character password costs over a second of CPU (its l33t matcher
 * tries every substitution), with these tens of milliseconds. The verdicts on the passwords people
 * pick do not change (src/lib/password-policy.test.ts); past 64 characters only the first 64 count.
 */
export const ESTIMATOR_LIMITS = { maxLength: 64, l33tMaxSubstitutions: 4 } as const;

/** When zxcvbn names no single pattern (a short mix of common pieces). */
const WEAK_FALLBACK = "This password would be easy to guess.";

/** The one sentence that explains a refusal: the reason, then what to do. */
export const strengthMessage = (warning: string | null): string =>
  `${(warning ?? WEAK_FALLBACK).replace(/\.$/, "")}; add a word or two that only you would pick.`;

interface StrengthVerdict {
  score: number;
  strong: boolean;
  /** One sentence, when not strong. */
  message?: string;
}

export type StrengthJudge = (password: string, userInputs?: readonly string[]) => StrengthVerdict;

/**
 * The words of a person's name and email that a password should not lean on: the whole name, each
 * word of it, the address and its local part with each piece (zxcvbn folds case itself).
 */
export function strengthInputs(name: string | undefined, email: string | undefined): string[] {
  const inputs = new Set<string>();
  const add = (s: string) => {
    const t = s.trim();
    if ([...t].length >= 3) inputs.add(t);
  };
  if (name) {
    add(name);
    name.split(/[\s.,'’-]+/u).forEach(add);
  }
  if (email) {
    add(email);
    const local = email.split("@")[0] ?? "";
    add(local);
    local.split(/[._+-]+/).forEach(add);
  }
  return [...inputs];
}

function judgeWith(factory: ZxcvbnFactory): StrengthJudge {
  return (password, userInputs = []) => {
    const result = factory.check(password, [...userInputs]);
    const strong = result.score >= MIN_STRENGTH_SCORE;
    return { score: result.score, strong, message: strong ? undefined : strengthMessage(result.feedback.warning) };
  };
}

async function build(): Promise<StrengthJudge> {
  const [{ ZxcvbnFactory }, common, en] = await Promise.all([
    import("@zxcvbn-ts/core"),
    import("@zxcvbn-ts/language-common"),
    import("@zxcvbn-ts/language-en"),
  ]);
  const factory = new ZxcvbnFactory({
    translations: { ...en.translations, warnings: STRENGTH_WARNINGS },
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
    ...ESTIMATOR_LIMITS,
  });
  return judgeWith(factory);
}

let loading: Promise<StrengthJudge> | undefined;

/** The judge, built once; a failed load (a browser that lost the network) is tried again next time. */
export function loadStrengthJudge(): Promise<StrengthJudge> {
  loading ??= build().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
