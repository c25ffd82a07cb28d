// Which client address the throttle counts (throttle-address.ts): only one from a trusted header.
import { describe, expect, it } from "vitest";
import { clientAddress, normalizeAddress } from "./throttle-address";

const headers = (h: Record<string, string>) => new Headers(h);

describe("clientAddress", () => {
  it("is unknown without a trusted header, whatever the client sends", () => {
    expect(clientAddress(headers({ "x-forwarded-for": "198.51.100.7", "x-real-ip": "198.51.100.7" }), [])).toBeNull();
  });

  it("takes the first trusted header that holds exactly one valid address", () => {
    const trusted = ["x-real-ip", "x-forwarded-for"];
    expect(clientAddress(headers({ "x-real-ip": " 198.51.100.7 ", "x-forwarded-for": "203.0.113.1" }), trusted)).toBe("198.51.100.7");
    expect(clientAddress(headers({ "x-real-ip": "not-an-ip", "x-forwarded-for": "203.0.113.1" }), trusted)).toBe("203.0.113.1");
    expect(clientAddress(headers({ "x-forwarded-for": "203.0.113.1" }), ["x-real-ip"])).toBeNull();
  });

  it("refuses a list: which entry our proxy wrote cannot be told", () => {
    expect(clientAddress(headers({ "x-forwarded-for": "198.51.100.7, 203.0.113.1" }), ["x-forwarded-for"])).toBeNull();
    expect(clientAddress(headers({ "x-forwarded-for": ",203.0.113.1," }), ["x-forwarded-for"])).toBe("203.0.113.1");
  });
});

describe("normalizeAddress", () => {
  it("keeps IPv4, counts IPv6 per /64 and an IPv4-mapped address as IPv4", () => {
    expect(normalizeAddress("192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeAddress("2001:DB8:1:2:3:4:5:6")).toBe("2001:0db8:0001:0002::/64");
    expect(normalizeAddress("2001:db8:1:2::9")).toBe("2001:0db8:0001:0002::/64");
    expect(normalizeAddress("2001:db8::")).toBe("2001:0db8:0000:0000::/64");
    expect(normalizeAddress("::1")).toBe("0000:0000:0000:0000::/64");
    expect(normalizeAddress("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeAddress("::ffff:c000:201")).toBe("192.0.2.1");
    expect(normalizeAddress("64:ff9b::192.0.2.1")).toBe("0064:ff9b:0000:0000::/64");
  });

  it("refuses what is not an address", () => {
    for (const bad of ["", "localhost", "192.0.2.256", "1.2.3", "2001:db8::1::2", "unknown"]) expect(normalizeAddress(bad)).toBeNull();
  });
});
