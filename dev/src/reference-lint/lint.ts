// The reference lint (a suite of `npm test`): the repository stands on its own. It reads every text file
// git knows (tracked, or new and not ignored; lockfiles and generated data aside) and reports
//   - wording that points outside the repository (matchers.ts FORBIDDEN);
//   - a mention of a path under one of the repository's top-level folders that does not exist
//     (`frontend/src/...`, `docs/<page>.md#anchor`, resolved from the repository root), unless it names a
//     git-ignored local path such as `frontend/.next/`;
//   - in Markdown, a relative link or image whose target (relative to the file) or `#anchor` does not exist.
// One line per offender: `path:line: reference — problem`.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { linkTargets, fencedLines, markdownAnchors } from "./markdown.ts";
import { FORBIDDEN, type PathMention, pathMatcher } from "./matchers.ts";

export interface Offender {
  file: string;
  line: number;
  reference: string;
  problem: string;
}

/** Files that are data, not prose or code: generated, large and full of look-alikes. */
const NOT_SCANNED = [/(^|\/)package-lock\.json$/, /(^|\/)[^/]*\.lock$/, /^contracts\/jwt\/vectors\.json$/];
const MAX_BYTES = 2_000_000;

export const formatOffender = (o: Offender) => `${o.file}:${o.line}: ${o.reference} — ${o.problem}`;

function git(root: string, args: string[], input?: string): string {
  const res = spawnSync("git", args, { cwd: root, encoding: "utf8", input, maxBuffer: 64 * 1024 * 1024 });
  // check-ignore exits 1 when nothing is ignored: a normal answer, not a failure.
  if (res.status !== 0 && !(args[0] === "check-ignore" && res.status === 1)) {
    throw new Error(`git ${args[0]} failed in ${root}: ${(res.stderr || res.error?.message || "").trim()}`);
  }
  return res.stdout;
}

/** What the repository holds: tracked files and new ones not ignored, that exist in the working tree. */
function repoFiles(root: string): string[] {
  const listed = git(root, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]).split("\0").filter(Boolean);
  return [...new Set(listed)].filter((f) => fs.existsSync(path.join(root, f)) && fs.statSync(path.join(root, f)).isFile()).sort();
}

class Repo {
  readonly files: Set<string>;
  readonly dirs = new Set<string>();
  /** Mentions of paths under this repository's own top-level folders. */
  readonly pathMentions: (line: string) => PathMention[];
  private readonly anchors = new Map<string, Set<string>>();

  constructor(readonly root: string, files: string[]) {
    this.files = new Set(files);
    for (const f of files) for (let d = path.posix.dirname(f); d !== "."; d = path.posix.dirname(d)) this.dirs.add(d);
    this.pathMentions = pathMatcher([...this.dirs].filter((d) => !d.includes("/")));
  }

  exists(p: string): boolean {
    const clean = p.replace(/\/+$/, "");
    return clean === "" || this.files.has(clean) || this.dirs.has(clean);
  }

  anchorsOf(file: string): Set<string> {
    let a = this.anchors.get(file);
    if (!a) this.anchors.set(file, (a = markdownAnchors(fs.readFileSync(path.join(this.root, file), "utf8"))));
    return a;
  }

  /** Checks a repository-relative target (and anchor); returns the problem or null. */
  problemWith(target: string, anchor: string | null): string | null {
    if (target.startsWith("../") || target === "..") return "points outside the repository";
    if (target !== "" && !this.exists(target)) return "no such file or folder in the repository";
    if (anchor && /\.md$/i.test(target || "") && this.files.has(target) && !this.anchorsOf(target).has(anchor)) {
      return `${target} has no heading or anchor #${anchor}`;
    }
    return null;
  }
}

function isText(buf: Buffer): boolean {
  return !buf.subarray(0, 8000).includes(0);
}

/** Problems on one file's lines; path mentions that are missing are returned separately (they may be ignored local paths). */
function scanFile(repo: Repo, file: string, text: string, missing: Offender[]): Offender[] {
  const out: Offender[] = [];
  const lines = text.split("\n");
  const isMarkdown = /\.md$/i.test(file);
  const fenced = isMarkdown ? fencedLines(lines) : [];
  lines.forEach((line, i) => {
    const at = { file, line: i + 1 };
    const seen = new Set<string>();
    const add = (o: Offender, list = out) => {
      const key = `${o.reference}\0${o.problem}`;
      if (!seen.has(key)) list.push(o), seen.add(key);
    };
    for (const { pattern, problem } of FORBIDDEN) for (const m of line.matchAll(pattern)) add({ ...at, reference: m[0], problem });
    for (const { path: p, anchor } of repo.pathMentions(line)) {
      const reference = anchor ? `${p}#${anchor}` : p;
      if (!repo.exists(p)) add({ ...at, reference, problem: "no such file or folder in the repository" }, missing);
      else {
        const problem = repo.problemWith(p, anchor);
        if (problem) add({ ...at, reference, problem });
      }
    }
    if (isMarkdown && !fenced[i]) {
      for (const target of linkTargets(line)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//")) continue; // a URL, mailto:, …
        const [rawPath, anchor = null] = target.split("#", 2) as [string, string?];
        let decoded: string;
        try {
          decoded = decodeURIComponent(rawPath);
        } catch {
          decoded = rawPath;
        }
        const resolved = decoded === "" ? file : decoded.startsWith("/") ? decoded.slice(1) : path.posix.join(path.posix.dirname(file), decoded);
        const problem = repo.problemWith(path.posix.normalize(resolved).replace(/^\.\/?$/, ""), anchor);
        if (problem) add({ ...at, reference: target, problem: problem.replace(/^no such/, "link target: no such") });
      }
    }
  });
  return out;
}

/** Every offender in the repository at `root`, in file and line order. */
export function lintReferences(root: string): Offender[] {
  const files = repoFiles(root);
  const repo = new Repo(root, files);
  const offenders: Offender[] = [];
  const missing: Offender[] = [];
  for (const file of files) {
    if (NOT_SCANNED.some((re) => re.test(file))) continue;
    const abs = path.join(root, file);
    if (fs.statSync(abs).size > MAX_BYTES) continue;
    const buf = fs.readFileSync(abs);
    if (!isText(buf)) continue;
    offenders.push(...scanFile(repo, file, buf.toString("utf8"), missing));
  }
  // A missing path that git ignores is local state (`frontend/.next/`, `backend/.venv/`), not a broken reference.
  // Each is asked as a file and as a folder: `.next/` matches only a folder, and on a clean clone there is no
  // folder on disk for git to tell it apart by.
  const bare = (ref: string) => ref.split("#")[0].replace(/\/+$/, "");
  const candidates = [...new Set(missing.map((o) => bare(o.reference)))];
  const asked = candidates.flatMap((c) => [c, `${c}/`]);
  const answered = candidates.length
    ? git(root, ["check-ignore", "--no-index", "--stdin", "-z"], asked.join("\0") + "\0").split("\0").filter(Boolean)
    : [];
  const ignored = new Set(answered.map((p) => p.replace(/\/+$/, "")));
  offenders.push(...missing.filter((o) => !ignored.has(bare(o.reference))));
  return offenders.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** The `npm test` suite: prints each offender and a count; exit status 1 when there is any. */
export function referenceLint(root: string): number {
  const offenders = lintReferences(root);
  for (const o of offenders) console.log(formatOffender(o));
  console.log(offenders.length ? `${offenders.length} broken reference(s)` : "no broken references");
  return offenders.length ? 1 : 0;
}
