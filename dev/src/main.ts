// The launcher: `npm run dev`, `npm test`, `npm run doctor`, `npm run bench`, `npm run faults`, `npm run prod`,
// `npm run compat` all land here
// (through dev/bootstrap.mjs, which installed the Node dependencies first).
import { benchCommand } from "@authbridge/bench";
import { compatCommand } from "./compat-command.ts";
import { devCommand } from "./dev-command.ts";
import { doctorCommand } from "./doctor-command.ts";
import { faultsCommand } from "@authbridge/faults";
import { ensurePackagesBuilt } from "./packages.ts";
import { prodCommand } from "@authbridge/prod";
import { testCommand } from "./test-command.ts";

const commands: Record<string, (args: string[]) => Promise<number>> = {
  dev: devCommand,
  test: testCommand,
  doctor: doctorCommand,
  bench: benchCommand,
  faults: faultsCommand,
  prod: prodCommand,
  compat: compatCommand,
};

const [name = "", ...args] = process.argv.slice(2);
const command = commands[name];
if (!command) {
  console.error(`usage: node dev/bootstrap.mjs <${Object.keys(commands).join("|")}>`);
  process.exit(2);
}
try {
  // The app imports packages/better-auth/ as built (dev/src/packages.ts); `compat` packs its own.
  if (name !== "compat") ensurePackagesBuilt();
  process.exitCode = await command(args);
} catch (err) {
  // Launcher failures are one readable line, not a stack trace.
  console.error(`\n✗ ${(err as Error).message}`);
  process.exitCode = 1;
}
