// The contract's vectors: contracts/jwt/vectors.json of the repository, or the copy `npm run compat` hands
// over in AUTHBRIDGE_VECTORS when it runs these tests outside the repository against the packed package.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface Vectors {
  secret: string;
  issuer: string;
  audience: string;
  lifetime_seconds: number;
  cases: { name: string; token: string; expect: string }[];
  rotation: { previous_secret: string; cases: { name: string; token: string; previous: boolean; expect: string }[] };
}

const VECTORS_PATH = process.env.AUTHBRIDGE_VECTORS ?? fileURLToPath(new URL("../../../contracts/jwt/vectors.json", import.meta.url));

export const readVectors = (): Vectors => JSON.parse(readFileSync(VECTORS_PATH, "utf8")) as Vectors;
