// Once per Vitest run: the test mail catcher, unless one already answers (`npm test` starts it), so
// that no test file stops it while another still reads mail.
import { ensureMailCatcher } from "./mail-catcher";

export default async function setup(): Promise<() => void> {
  return ensureMailCatcher();
}
