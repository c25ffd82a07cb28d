// The two scripts the "packages (artifacts)" suite (package-artifacts.ts) runs outside the repository: the Node
// one with Better Auth and the installed plugin, and the Python one that lists the wheel and the sdist.

/** What the Node script does with Better Auth and the installed plugin: sign up (printing the token), or sign out. */
export const NODE_SCRIPT = `// Written by dev/src/package-artifacts.ts: Better Auth with the installed @authbridge/better-auth.
import fs from "node:fs";
import { backendToken } from "@authbridge/better-auth";
import { betterAuth } from "better-auth";
import pg from "pg";

const env = process.env;
const url = new URL(env.DATABASE_URL);
for (const p of ["sslmode", "channel_binding", "sslrootcert"]) url.searchParams.delete(p);
const pool = new pg.Pool({ connectionString: url.toString(), ssl: { ca: fs.readFileSync(env.DATABASE_CA_CERT, "utf8") } });
const timestamps = { createdAt: "created_at", updatedAt: "updated_at" };
const auth = betterAuth({
  database: pool,
  secret: env.BETTER_AUTH_SECRET,
  baseURL: "http://127.0.0.1:3999",
  emailAndPassword: { enabled: true },
  user: { fields: { emailVerified: "email_verified", ...timestamps } },
  session: { fields: { userId: "user_id", expiresAt: "expires_at", ipAddress: "ip_address", userAgent: "user_agent", ...timestamps } },
  account: { fields: { accountId: "account_id", providerId: "provider_id", userId: "user_id", accessToken: "access_token",
    refreshToken: "refresh_token", idToken: "id_token", accessTokenExpiresAt: "access_token_expires_at",
    refreshTokenExpiresAt: "refresh_token_expires_at", ...timestamps } },
  verification: { fields: { expiresAt: "expires_at", ...timestamps } },
  plugins: [backendToken({ secret: env.BETTER_AUTH_SECRET, issuer: env.BACKEND_JWT_ISSUER, audience: env.BACKEND_JWT_AUDIENCE,
    lifetimeSeconds: Number(env.BACKEND_JWT_LIFETIME_SECONDS) })],
});
try {
  if (process.argv[2] === "sign-up") {
    const email = "artifact-" + Date.now() + "-" + Math.random().toString(36).slice(2) + "@example.test";
    const res = await auth.api.signUpEmail({ body: { email, password: "Artifact-Horse-8-staple", name: "Artifact" }, asResponse: true });
    if (res.status !== 200) throw new Error("sign-up answered " + res.status + ": " + (await res.text()));
    const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const { token } = await auth.api.getBackendToken({ headers: new Headers({ cookie }) });
    console.log(JSON.stringify({ email, cookie, token }));
  } else {
    const headers = new Headers({ cookie: env.COOKIE });
    const { user } = (await auth.api.getSession({ headers })) ?? {};
    await auth.api.signOut({ headers });
    if (process.argv[2] === "delete" && user) await pool.query('DELETE FROM "user" WHERE id = $1', [user.id]);
    console.log(JSON.stringify({ signedOut: true }));
  }
} finally {
  await pool.end();
}
`;

/** Lists the wheel and the sdist (argv) and fails when one misses what it must hold or holds what it must not. */
export const LIST_ARTIFACTS = `
import sys, tarfile, zipfile
wheel = zipfile.ZipFile(sys.argv[1]).namelist()
sdist = [n.split("/", 1)[1] for n in tarfile.open(sys.argv[2]).getnames() if "/" in n]
need = ["authbridge/__init__.py", "authbridge/py.typed", "authbridge/jwt_verifier.py", "authbridge/fastapi/dependencies.py", "authbridge/schema.py"]
missing = [n for n in need if n not in wheel] + ["src/" + n for n in need if "src/" + n not in sdist]
missing += [n for n in ("README.md", "CHANGELOG.md", "pyproject.toml") if n not in sdist]
extra = [n for n in wheel + sdist if n.startswith(("tests/", "scripts/")) or "/tests/" in n or n.endswith(".lock")]
print("wheel:", len(wheel), "files; sdist:", len(sdist), "files")
if missing or extra:
    sys.exit("missing: %s; must not be there: %s" % (missing, extra))
`;
