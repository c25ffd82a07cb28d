// Where the launcher keeps things. Everything local lives under two git-ignored folders:
// .data/ (database clusters: state you would miss) and .dev/ (certificates, logs, generated env files).
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const DATA_DIR = path.join(ROOT, ".data");
export const DEV_DIR = path.join(ROOT, ".dev");
export const TLS_DIR = path.join(DEV_DIR, "tls");
export const LOG_DIR = path.join(DEV_DIR, "logs");
export const ENV_FILE = path.join(ROOT, ".env");
export const ENV_EXAMPLE = path.join(ROOT, ".env.example");
export const BACKEND_DIR = path.join(ROOT, "backend");
export const FRONTEND_DIR = path.join(ROOT, "frontend");
