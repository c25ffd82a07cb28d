import { describe, expect, it } from "vitest";
import { describeDevice } from "./device-name";

describe("describeDevice", () => {
  it("names desktop and mobile browsers with their major version and system", () => {
    expect(describeDevice("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.85 Safari/537.36")).toBe("Chrome 131 on Linux");
    expect(
      describeDevice("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"),
    ).toBe("Safari 17 on iOS (mobile)");
    expect(describeDevice("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0")).toBe("Firefox 133 on Windows");
  });

  it("says when it does not know, instead of guessing", () => {
    expect(describeDevice(null)).toBe("Unknown device");
    expect(describeDevice("  ")).toBe("Unknown device");
    expect(describeDevice("curl/8.5.0")).toBe("Other client (curl/8.5.0)");
  });
});
