// A session's device as a person would name it, from the User-Agent Better Auth stored with the
// session (bowser parses it): "Chrome 131 on Linux", "Safari on iOS (mobile)". A missing or unknown
// agent (a script, curl) says so rather than guessing.
import Bowser from "bowser";

export function describeDevice(userAgent: string | null | undefined): string {
  const ua = (userAgent ?? "").trim();
  if (!ua) return "Unknown device";
  const parser = Bowser.getParser(ua);
  const browser = parser.getBrowserName();
  const major = parser.getBrowserVersion()?.split(".")[0];
  const os = parser.getOSName();
  const platform = parser.getPlatformType();
  if (!browser && !os) return `Other client (${ua.slice(0, 40)})`;
  const name = [browser || "Unknown browser", major && browser ? major : ""].filter(Boolean).join(" ");
  const where = os ? ` on ${os}` : "";
  const kind = platform === "mobile" || platform === "tablet" ? ` (${platform})` : "";
  return `${name}${where}${kind}`;
}
