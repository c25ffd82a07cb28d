import { describe, expect, it } from "vitest";
import { reach } from "./reach";

describe("reach", () => {
  it("passes the answer through", async () => {
    expect(await reach(async () => 42)).toEqual({ reached: true, value: 42 });
  });

  it("turns a rejected request (offline) into not reached", async () => {
    expect(await reach(() => Promise.reject(new TypeError("Failed to fetch")))).toEqual({ reached: false });
  });

  it("gives up at the deadline, aborting the signal, even if the request ignores it", async () => {
    let aborted = false;
    const started = Date.now();
    const result = await reach((signal) => {
      signal.addEventListener("abort", () => (aborted = true));
      return new Promise<never>(() => {});
    }, 50);
    expect(result).toEqual({ reached: false });
    expect(aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
