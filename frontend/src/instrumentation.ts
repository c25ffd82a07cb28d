// Runs once as a server starts (`next start`, the standalone server of start.mjs): the
// configuration is checked before the first request, so a bad value stops the process with ONE line
// naming the variable and the fix (exit 2, as scripts/check-env.ts does for `npm run start`), and a
// production server says in one line how it reaches the backend (config/backend-link.ts).
export async function register() {
  // NEXT_RUNTIME says which runtime loads this file; it is Next.js's, not configuration.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkAtStartup } = await import("./server/startup-check");
  await checkAtStartup();
}
