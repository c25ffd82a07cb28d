// Once per Vitest run: the test mail catcher and the local OpenID provider, unless they already answer
// (`npm test` starts them), so that no test file stops one while another still uses it.
import { ensureLocalIdp } from "./local-idp";
import { ensureMailCatcher } from "./mail-catcher";

export default async function setup(): Promise<() => void> {
  const stops = [await ensureMailCatcher(), await ensureLocalIdp()];
  return () => stops.forEach((stop) => stop());
}
