// Liveness (deploy/services.json "health.live"): the process answers. Never touches the database,
// so a database outage does not get healthy instances restarted.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
