// The public face of @authbridge/harness: what other workspaces may import (docs/layout.md). Nothing else in src/ is theirs to reach.
export { PASSWORD, appDb, backendToken, bearer, changePassword, clientIp, cookieOf, insertAccount, mintToken, revokeSessions, signIn, signOut, signUp, uniqueEmail } from "./accounts.ts";
export { migrate, provisionDatabase } from "./database.ts";
export { LOCAL_PG_PORT, ensureEnvFile, loadConfig, resolveFromRoot } from "./env-file.ts";
export { fmt, pct, playwrightCounts, table } from "./format.ts";
export { send, TlsClient, type HttpAnswer, type HttpRequest } from "./http-client.ts";
export { median, percentile, runLoad, type LoadResult } from "./http-load.ts";
export { DEV_IDP_CLIENT_ID, DEV_IDP_PORT, TEST_IDP_CLIENT_ID, TEST_IDP_CLIENT_SECRET, TEST_IDP_PORT, devClientSecret, localIssuer, startLocalIdp, wantsLocalIdp, type LocalIdp } from "./local-idp.ts";
export { DEV_MAIL_PORTS, TEST_MAIL_PORTS, localSmtpPort, startMailCatcher, type MailCatcher } from "./mail-catcher.ts";
export { BACKEND_DIR, DATA_DIR, DEV_DIR, ENV_FILE, FRONTEND_DIR, LOG_DIR, ROOT } from "./paths.ts";
export { assertPortsFree, freePort } from "./ports.ts";
export { LocalPostgres } from "./postgres.ts";
export { VERBOSE, capture, captureOutput, run, runAsync, startService, waitForHttp, type Service } from "./proc.ts";
export { refusalTimes, summariseLags, warm, type LagSummary, type Refusal } from "./revocation-lag.ts";
export { buildFrontend, startBackend, startFrontend, startFrontendOnly, startStack, type Stack } from "./stack.ts";
export { MISMATCH_TEST_FRONTEND_PORT, STRICT_TEST_PORTS, TEST_PORTS, freshDatabaseEnv, prepareTestDatabases } from "./test-db.ts";
export { ensureDevTls, type TlsFiles } from "./tls.ts";
export { UV_ENV, ensureCaddy, ensureCertutil, ensureChromium, ensurePgBouncer, syncPython, uv, uvRun } from "./toolchain.ts";
