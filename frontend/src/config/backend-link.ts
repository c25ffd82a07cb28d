// The link from the frontend's server to the backend carries 30-day bearer tokens. In production it
// must be https, unless it never leaves the machine (loopback) or the operator named the host as
// one on a private network (BACKEND_INTERNAL_HOSTS: a container network, a platform's private
// networking). docs/operations.md "The link to the backend"; `npm run doctor` reports the case.

export type BackendLinkCase = "https" | "loopback" | "internal" | "refused";

/** `*` stands for part of one host label, as in BETTER_AUTH_TRUSTED_ORIGINS. */
const hostPattern = (pattern: string) =>
  new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")).join("[a-z0-9-]*")}$`);

export const isLoopback = (host: string) =>
  host === "localhost" || host.endsWith(".localhost") || /^127(?:\.\d{1,3}){3}$/.test(host) || host === "[::1]";

/** Which case a BACKEND_URL is, given the internal-host allow-list. */
export function backendLinkCase(backendUrl: string, internalHosts: readonly string[]): BackendLinkCase {
  const url = new URL(backendUrl);
  if (url.protocol === "https:") return "https";
  const host = url.hostname.toLowerCase();
  if (isLoopback(host)) return "loopback";
  if (internalHosts.some((pattern) => hostPattern(pattern.toLowerCase()).test(host))) return "internal";
  return "refused";
}

/** The one line the frontend logs at startup (and `npm run doctor` prints) for this case. */
export function describeBackendLink(backendUrl: string, linkCase: BackendLinkCase): string {
  const origin = new URL(backendUrl).origin;
  switch (linkCase) {
    case "https":
      return `backend link: ${origin} over https`;
    case "loopback":
      return `backend link: ${origin} is plain http on loopback (never leaves this machine)`;
    case "internal":
      return `backend link: ${origin} is plain http to a host in BACKEND_INTERNAL_HOSTS (a private network you vouch for)`;
    case "refused":
      return (
        `is plain http to ${new URL(backendUrl).host}, which is neither loopback nor in BACKEND_INTERNAL_HOSTS, ` +
        "and it carries 30-day tokens. Fix: use https://, or add the host to BACKEND_INTERNAL_HOSTS if it is on a private network"
      );
  }
}
