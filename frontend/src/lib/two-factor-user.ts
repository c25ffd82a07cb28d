// Whether two-step sign-in is on for a user (docs/security.md "Two-step sign-in"): Better Auth's
// twoFactor column, which the session's user carries. The session's inferred user type does not name
// it (src/server/auth-options.ts builds its plugin list by spreading arrays, and Better Auth infers
// plugin fields only from a tuple), so Better Auth's own `UserWithTwoFactor` names it here.
import type { User } from "better-auth";
import type { UserWithTwoFactor } from "better-auth/plugins";

export type MaybeTwoFactorUser = Pick<User, "id"> & Partial<Pick<UserWithTwoFactor, "twoFactorEnabled">>;

export const hasTwoFactor = (user: MaybeTwoFactorUser): boolean => user.twoFactorEnabled === true;
