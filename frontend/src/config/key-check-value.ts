// Key check value of the shared secret: a truncated HMAC-SHA256 of a fixed label, so `npm run
// doctor` can compare the two services' secrets without either revealing it (or a plain hash).
// Same label and length as backend/app/doctor.py.
import { createHmac } from "node:crypto";

const KCV_LABEL = "authbridge key check v1";

export const keyCheckValue = (secret: string): string =>
  createHmac("sha256", Buffer.from(secret, "utf8")).update(KCV_LABEL).digest("hex").slice(0, 16);
