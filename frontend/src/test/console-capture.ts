// Console output that a test provokes on purpose (a database cut, a wrong password, a duplicate
// sign-up) is swallowed for that test only and handed back, so the test asserts what was logged
// instead of printing it. Anything logged outside a capture still prints.
import { onTestFinished, vi } from "vitest";

export interface CapturedConsole {
  /** The text of each call, in order (the first argument; Better Auth's logger colours only its prefix). */
  lines(): string[];
  /** Every argument of each call, in order (an error logged after its line, say). */
  calls(): unknown[][];
}

export function captureConsole(method: "warn" | "error"): CapturedConsole {
  const spy = vi.spyOn(console, method).mockImplementation(() => undefined);
  onTestFinished(() => spy.mockRestore());
  return { lines: () => spy.mock.calls.map((args) => String(args[0])), calls: () => spy.mock.calls };
}
