// The public face of @authbridge/faults: what other workspaces may import (docs/layout.md). Nothing else in src/ is theirs to reach.
export { faultsCommand, runFastFaults } from "./command.ts";
