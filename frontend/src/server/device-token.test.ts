// Device tokens (device-token.ts): what makes one valid for an account, what the cookie holds, and
// its bounds. The throttle's use of them, end to end: lockout.integration.test.ts.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEVICE_TOKEN_MAX_AGE_SECONDS, DEVICE_TOKENS_KEPT, deviceCookieName, deviceTokens } from "./device-token";

const SECRET = randomBytes(32).toString("base64url");
const account = (n: number) => randomBytes(32).toString("base64url") + String(n);
/** The Cookie header a browser sends back for a Set-Cookie value. */
const sentBack = (setCookie: string) => setCookie.split(";")[0]!;
const valueOf = (setCookie: string) => sentBack(setCookie).split("=")[1]!;

describe("deviceTokens", () => {
  it("recognises its own token for the account it names, and no other account", () => {
    const tokens = deviceTokens(SECRET, false);
    const [mine, other] = [account(1), account(2)];
    const cookie = sentBack(tokens.issue(null, mine));
    const device = tokens.deviceOf(cookie, mine);
    expect(device).toMatch(/^[\w-]{22}$/);
    expect(tokens.deviceOf(cookie, other)).toBeNull();
    expect(tokens.deviceOf(null, mine)).toBeNull();
    expect(tokens.deviceOf("other=1", mine)).toBeNull();
    // A new token each time: a new device id.
    expect(tokens.deviceOf(sentBack(tokens.issue(cookie, mine)), mine)).not.toBe(device);
  });

  it("sets an HttpOnly, SameSite=Lax, Path=/ cookie for 400 days; __Host- and Secure where cookies are secure", () => {
    const plain = deviceTokens(SECRET, false).issue(null, account(1));
    expect(plain).toMatch(/^authbridge\.device=[^;]+; Path=\/; Max-Age=34560000; HttpOnly; SameSite=Lax$/);
    const secure = deviceTokens(SECRET, true).issue(null, account(1));
    expect(secure).toMatch(/^__Host-authbridge\.device=[^;]+; Path=\/; Max-Age=34560000; HttpOnly; SameSite=Lax; Secure$/);
    expect(DEVICE_TOKEN_MAX_AGE_SECONDS).toBe(400 * 24 * 60 * 60);
    expect([deviceCookieName(false), deviceCookieName(true)]).toEqual(["authbridge.device", "__Host-authbridge.device"]);
    // Each reads only its own name: a plain cookie is not a secure app's (a sibling could have set it).
    const mine = account(3);
    expect(deviceTokens(SECRET, true).deviceOf(sentBack(deviceTokens(SECRET, false).issue(null, mine)), mine)).toBeNull();
  });

  it("refuses a token altered in any character, or signed under another secret", () => {
    const tokens = deviceTokens(SECRET, false);
    const mine = account(1);
    const value = valueOf(tokens.issue(null, mine));
    expect(value.split(".")).toHaveLength(4);
    for (let i = 0; i < value.length; i++) {
      const altered = `${value.slice(0, i)}${value[i] === "A" ? "B" : "A"}${value.slice(i + 1)}`;
      expect(tokens.deviceOf(`authbridge.device=${altered}`, mine), `character ${i}`).toBeNull();
    }
    const foreign = deviceTokens(randomBytes(32).toString("base64url"), false);
    expect(tokens.deviceOf(sentBack(foreign.issue(null, mine)), mine)).toBeNull();
    expect(tokens.deviceOf(`authbridge.device=${value}.x`, mine)).toBeNull(); // five parts
    expect(tokens.deviceOf(`authbridge.device=${value.split(".").slice(1).join(".")}`, mine)).toBeNull(); // three parts
  });
});

describe("deviceTokens: age and how many are kept", () => {
  it("refuses a token older than 400 days", () => {
    let now = Date.UTC(2030, 0, 1);
    const tokens = deviceTokens(SECRET, false, () => now);
    const mine = account(1);
    const cookie = sentBack(tokens.issue(null, mine));
    now += DEVICE_TOKEN_MAX_AGE_SECONDS * 1000;
    expect(tokens.deviceOf(cookie, mine)).not.toBeNull();
    now += 1000;
    expect(tokens.deviceOf(cookie, mine)).toBeNull();
  });

  it(`keeps the ${DEVICE_TOKENS_KEPT} newest accounts, the newest first, one token per account, only valid ones`, () => {
    const tokens = deviceTokens(SECRET, false);
    const accounts = Array.from({ length: DEVICE_TOKENS_KEPT + 1 }, (_, i) => account(i));
    let cookie = "authbridge.device=junk~more.junk.x.y";
    for (const a of accounts) cookie = sentBack(tokens.issue(cookie, a));
    expect(valueOf(`${cookie};`).split("~")).toHaveLength(DEVICE_TOKENS_KEPT);
    expect(tokens.deviceOf(cookie, accounts[0]!)).toBeNull(); // the oldest went
    for (const a of accounts.slice(1)) expect(tokens.deviceOf(cookie, a)).not.toBeNull();
    // Signing in to the oldest kept account again makes it the newest, with a new device id.
    const before = tokens.deviceOf(cookie, accounts[1]!);
    cookie = sentBack(tokens.issue(cookie, accounts[1]!));
    const kept = valueOf(`${cookie};`).split("~");
    expect(kept).toHaveLength(DEVICE_TOKENS_KEPT);
    expect(kept[0]!.startsWith(`${accounts[1]}.`)).toBe(true);
    expect(kept.filter((t) => t.startsWith(`${accounts[1]}.`))).toHaveLength(1);
    expect(tokens.deviceOf(cookie, accounts[1]!)).not.toBe(before);
  });

  it("reads no more than it could have written", () => {
    const tokens = deviceTokens(SECRET, false);
    const accounts = Array.from({ length: DEVICE_TOKENS_KEPT + 1 }, (_, i) => account(i));
    const each = accounts.map((a) => valueOf(tokens.issue(null, a)));
    // Six tokens by hand: the sixth is beyond what a browser keeps, so it is not read.
    const six = `authbridge.device=${each.join("~")}`;
    expect(tokens.deviceOf(six, accounts[4]!)).not.toBeNull();
    expect(tokens.deviceOf(six, accounts[5]!)).toBeNull();
    // A cookie longer than five tokens can be is not read at all.
    const padded = `authbridge.device=${each[0]}~${"x".repeat(1024)}`;
    expect(tokens.deviceOf(padded, accounts[0]!)).toBeNull();
  });
});
