// The public face of @authbridge/prod: what other workspaces may import (docs/layout.md). Nothing else in src/ is theirs to reach.
export { prodCommand } from "./command.ts";
export { productionChecks } from "./doctor.ts";
export { PROD_PORTS, startTopology, type ProdPorts, type Topology } from "./topology.ts";
