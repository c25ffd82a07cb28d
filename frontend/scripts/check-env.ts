// Runs before `next dev|build|start`: bad configuration stops here with ONE line naming the
// variable and the fix, exit code 2, no stack trace (the same shape as the backend).
import { ConfigError } from "../src/config/env-schema";

try {
  await import("../src/env");
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
