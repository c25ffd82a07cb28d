import { describe, expect, it } from "vitest";
import {
  checkEmail,
  checkImage,
  checkName,
  EMAIL_MAX_LENGTH,
  IMAGE_URL_MAX_LENGTH,
  NAME_MAX_CODE_POINTS,
  normalizeName,
} from "./profile-rules";

const codes = (failures: Array<{ code: string }>) => failures.map((f) => f.code);

describe("name", () => {
  it("accepts an ordinary name, non-Latin scripts, emoji and inner spaces", () => {
    for (const name of ["Ada Lovelace", "José Núñez", "李小龍", "Zoë 👩‍🔬", "O'Brien-Smith", "X"]) {
      expect(codes(checkName(name)), name).toEqual([]);
    }
  });

  it("refuses an absent, empty, blank or invisible name", () => {
    for (const name of [undefined, null, 42, {}, "", "   ", "\t \u3000", "\u200B\u200B", "\u0301"]) {
      expect(codes(checkName(name)), JSON.stringify(name)).toEqual(["NAME_REQUIRED"]);
    }
  });

  it("counts at most 100 code points after trimming (not UTF-16 units)", () => {
    expect(codes(checkName("a".repeat(NAME_MAX_CODE_POINTS)))).toEqual([]);
    expect(codes(checkName(`  ${"a".repeat(NAME_MAX_CODE_POINTS)}  `))).toEqual([]);
    expect(codes(checkName("😀".repeat(NAME_MAX_CODE_POINTS)))).toEqual([]); // 200 UTF-16 units
    expect(codes(checkName("a".repeat(NAME_MAX_CODE_POINTS + 1)))).toEqual(["NAME_TOO_LONG"]);
    expect(codes(checkName("a".repeat(1_000_000)))).toEqual(["NAME_TOO_LONG"]);
  });

  it("refuses NUL, other control characters, line breaks and direction overrides", () => {
    for (const bad of ["\u0000", "\u0007", "\n", "\r", "\u007F", "\u0085", "\u2028", "\u202E", "\u2066", "\uD800"]) {
      expect(codes(checkName(`Ada${bad}Lovelace`)), JSON.stringify(bad)).toEqual(["NAME_INVALID_CHARACTERS"]);
    }
  });

  it("is stored trimmed", () => {
    expect(normalizeName("  Ada Lovelace \n")).toBe("Ada Lovelace");
  });
});

describe("email", () => {
  it("accepts what Better Auth accepts", () => {
    expect(codes(checkEmail("ada@example.com"))).toEqual([]);
    expect(codes(checkEmail("Ada.Lovelace+tag@mail.example.co.uk"))).toEqual([]);
  });

  it("refuses an absent, empty or malformed address", () => {
    expect(codes(checkEmail(undefined))).toEqual(["EMAIL_REQUIRED"]);
    expect(codes(checkEmail(""))).toEqual(["EMAIL_REQUIRED"]);
    for (const bad of ["ada", "ada@", "@example.com", "ada@example", "ada lovelace@example.com", " ada@example.com"]) {
      expect(codes(checkEmail(bad)), bad).toEqual(["INVALID_EMAIL"]);
    }
  });

  it("refuses control characters", () => {
    for (const bad of ["ada\u0000@example.com", "ada@example.com\u0000", "ada@exa\nmple.com", "ada\u202E@example.com"]) {
      expect(codes(checkEmail(bad)), JSON.stringify(bad)).toEqual(["INVALID_EMAIL"]);
    }
  });

  it("accepts 254 characters and refuses 255", () => {
    const at254 = `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(EMAIL_MAX_LENGTH - 64 - 1 - 63 - 1 - 63 - 1)}`;
    expect(at254).toHaveLength(EMAIL_MAX_LENGTH);
    expect(codes(checkEmail(at254))).toEqual([]);
    expect(codes(checkEmail(`a${at254}`))).toEqual(["EMAIL_TOO_LONG"]);
    expect(codes(checkEmail(`${"a".repeat(1_000_000)}@example.com`))).toEqual(["EMAIL_TOO_LONG"]);
  });
});

describe("image", () => {
  it("may be absent, or null (remove it)", () => {
    expect(checkImage(undefined)).toEqual([]);
    expect(checkImage(null)).toEqual([]);
  });

  it("accepts an https URL", () => {
    expect(codes(checkImage("https://images.example.com/u/ada.png?size=64#x"))).toEqual([]);
    expect(codes(checkImage("https://例え.jp/画像.png"))).toEqual([]);
  });

  it("refuses other schemes, relative URLs, credentials and non-strings", () => {
    for (const bad of [
      "",
      "http://images.example.com/ada.png",
      "javascript:alert(1)",
      "data:image/png;base64,iVBORw0KGgo=",
      "file:///etc/passwd",
      "//images.example.com/ada.png",
      "/ada.png",
      "https://user:secret@images.example.com/ada.png",
      "https:ada.png",
      42,
      { url: "https://images.example.com/ada.png" },
    ]) {
      expect(codes(checkImage(bad)), JSON.stringify(bad)).toEqual(["IMAGE_INVALID"]);
    }
  });

  it("refuses white space and control characters the URL parser would silently drop", () => {
    for (const bad of ["https://ex\u0000ample.com/a.png", "https://example.com/a\n.png", "\thttps://example.com/a.png", "https://example.com/a b.png", " https://example.com/a.png"]) {
      expect(codes(checkImage(bad)), JSON.stringify(bad)).toEqual(["IMAGE_INVALID"]);
    }
  });

  it("accepts 2,048 characters and refuses 2,049 (and 50 MB)", () => {
    const prefix = "https://images.example.com/";
    const at2048 = prefix + "a".repeat(IMAGE_URL_MAX_LENGTH - prefix.length);
    expect(codes(checkImage(at2048))).toEqual([]);
    expect(codes(checkImage(`${at2048}a`))).toEqual(["IMAGE_TOO_LONG"]);
    expect(codes(checkImage(`data:image/png;base64,${"A".repeat(50 * 1024 * 1024)}`))).toEqual(["IMAGE_TOO_LONG"]);
  });
});
