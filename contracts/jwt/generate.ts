// Rebuilds contracts/jwt/vectors.json from the real issuer (@authbridge/better-auth) with a fixed secret and clock.
// Run: npm run gen:vectors -w frontend   (the builder is vectors-builder.ts beside this file)
import { writeFileSync } from "node:fs";
import { buildVectors, serializeVectors, VECTORS_FILE } from "./vectors-builder";
import { selfCheck } from "./vectors-foreign";

async function main(): Promise<void> {
  selfCheck();
  const vectors = await buildVectors();
  writeFileSync(VECTORS_FILE, serializeVectors(vectors));
  const counts: Record<string, number> = {};
  for (const c of vectors.cases) counts[c.expect] = (counts[c.expect] ?? 0) + 1;
  console.log(`wrote ${VECTORS_FILE}: ${vectors.cases.length} cases ${JSON.stringify(counts)}`);
}

void main();
