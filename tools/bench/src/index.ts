// The public face of @authbridge/bench: what other workspaces may import (docs/layout.md). Nothing else in src/ is theirs to reach.
export { benchCommand } from "./command.ts";
