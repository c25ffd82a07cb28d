// What the reference lint looks for on a line: wording that points outside the repository (planning
// notes, issue numbers, sibling folders), and mentions of repository paths that must exist.

export interface Forbidden {
  pattern: RegExp;
  problem: string;
}

// Written as patterns so that this file does not itself contain what it forbids.
export const FORBIDDEN: Forbidden[] = [
  { pattern: /\bissues? #?\d+/gi, problem: "cites an issue number; point at a docs/ section, a repo file or a test instead" },
  { pattern: /\b(?:STYLE|TEAM)\.md\b/gi, problem: "names a note that is not in the repository" },
  { pattern: /\.\.\/shared\//g, problem: "points at a folder outside the repository" },
];

// One path segment: a Next.js route group `(auth)`, a dynamic segment `[id]` / `[...all]`, or a plain name.
const SEGMENT = String.raw`(?:\([\w.-]+\)|\[[\w.]+\]|[\w.@+-]+)`;

export interface PathMention {
  /** The path as written, trailing sentence punctuation removed. */
  path: string;
  /** The `#anchor` right after it, if any. */
  anchor: string | null;
}

/**
 * A finder of repository path mentions, for a repository whose top-level folders are `topFolders`
 * (`frontend`, `backend`, `docs`, …): `frontend/src/server/auth.ts`, `docs/security.md#passwords`,
 * `backend/tests/`. Not a mention: a glob or template (`dev/src/*.test.ts`, `docs/<name>.md`, `dev/${x}`),
 * an elided example (`frontend/src/...`), a single word after the folder with neither an extension nor a
 * trailing slash, which is prose ("the frontend/backend pair"), or a path inside a longer one or a URL.
 */
export function pathMatcher(topFolders: string[]): (line: string) => PathMention[] {
  const names = topFolders.filter((f) => /^[\w-]+$/.test(f)).map((f) => f.replace(/-/g, "\\-"));
  if (!names.length) return () => [];
  // Not preceded by anything that makes it part of a longer word, URL or path (`/dev/null`, `.dev/`,
  // `https://host/docs/`, `authbridge-backend/`, `${ROOT}/e2e`, `../docs/` in a relative link).
  const repoPath = new RegExp(String.raw`(?<![\w.\/@~$\\-])(?:${names.join("|")})\/(?:${SEGMENT}\/)*${SEGMENT}?`, "g");
  return (line) => {
    const found: PathMention[] = [];
    for (const m of line.matchAll(repoPath)) {
      const raw = m[0];
      const next = line[m.index + raw.length] ?? "";
      if (next !== "" && "*{<$…".includes(next)) continue;
      const path = raw.replace(/\.+$/, "");
      const rest = path.split("/").slice(1).filter(Boolean);
      if (rest.length === 0 || rest.some((s) => /^\.{3,}$/.test(s))) continue;
      if (rest.length === 1 && !path.endsWith("/") && !rest[0].includes(".")) continue;
      const anchor = path === raw && next === "#" ? (/^#([\w-]+)/.exec(line.slice(m.index + raw.length))?.[1] ?? null) : null;
      found.push({ path, anchor });
    }
    return found;
  };
}
