// `npm run doctor` asks each service what IT sees. This prints one JSON line: the key check value
// of BETTER_AUTH_SECRET (never the secret or its plain hash), or the configuration error.
import nextEnv from "@next/env";
import { ConfigError } from "../src/config/env-schema";
import { keyCheckValue } from "../src/config/key-check-value";

// Load frontend/.env* first, exactly as `next start` does, so an override hiding there (the classic
// cause of "the backend says invalid signature") shows up as a different key check value.
nextEnv.loadEnvConfig(process.cwd(), false, { info: () => {}, error: console.error });

try {
  const { env } = await import("../src/env");
  console.log(JSON.stringify({ secret_kcv: keyCheckValue(env.BETTER_AUTH_SECRET) }));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.log(JSON.stringify({ config_error: error.message }));
}
