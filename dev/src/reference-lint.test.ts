// The reference lint on small throwaway git repositories: each kind of bad reference is reported with its
// file and line, and look-alikes that are not references (globs, URLs, examples, ignored local paths) are not.
// The fixtures' top-level folders (web/, api/, notes/, kit/) are not this repository's, and the forbidden
// wording is assembled from pieces, so this file does not trip the lint on the real repository.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { formatOffender, lintReferences, type Offender, referenceLint } from "./reference-lint/lint.ts";
import { githubSlug, linkTargets, markdownAnchors } from "./reference-lint/markdown.ts";
import { pathMatcher } from "./reference-lint/matchers.ts";

const ISSUE = ["iss", "ue"].join("");
const NOTE = (name: string) => `${name}.${"md"}`;

/** A git repository in a temp folder with these files (committed, so they count as tracked). */
function repo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "authbridge-reflint-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const git = (...args: string[]) => {
    const res = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: dir, encoding: "utf8" });
    assert.equal(res.status, 0, res.stderr);
  };
  git("init", "-q");
  git("add", "-A");
  git("commit", "-q", "-m", "fixture");
  return dir;
}

const BASE = {
  "notes/guide.md": "# Guide\n\n## Rate limiting\n\ntext\n\n## Rate limiting\n",
  "web/src/server/auth.ts": "export const x = 1;\n",
  "api/app/main.py": "x = 1\n",
  "kit/run.ts": "export {};\n",
  ".gitignore": ".next/\n.venv/\n",
};

const brief = (offenders: Offender[]) => offenders.map((o) => `${o.file}:${o.line} ${o.reference}`);

test("a clean repository passes", () => {
  assert.deepEqual(lintReferences(repo(BASE)), []);
});

test("issue numbers, planning notes and sibling folders are reported on their line", () => {
  const dir = repo({
    ...BASE,
    "api/app/db.py": `x = 1\n# Policy (${ISSUE} 5): bounded retries\n# see ${ISSUE.toUpperCase()} #12\n`,
    "web/eslint.config.mjs": `// ${NOTE("STYLE")}: env in one place\n// ${NOTE("TEAM")} says so\n`,
    "kit/x.ts": `import y from "../${"shared"}/y.ts";\n`,
  });
  const offenders = lintReferences(dir);
  assert.deepEqual(brief(offenders), [
    `api/app/db.py:2 ${ISSUE} 5`,
    `api/app/db.py:3 ${ISSUE.toUpperCase()} #12`,
    `kit/x.ts:1 ../${"shared"}/`,
    `web/eslint.config.mjs:1 ${NOTE("STYLE")}`,
    `web/eslint.config.mjs:2 ${NOTE("TEAM")}`,
  ]);
  assert.match(offenders[0].problem, /issue number/);
});

test("the word without a number, or inside another word, is fine", () => {
  const dir = repo({ ...BASE, "notes/a.md": `Report a security ${ISSUE} privately.\nThe ${ISSUE}r signs tokens; t${ISSUE} 3 is another word.\n` });
  assert.deepEqual(lintReferences(dir), []);
});

test("a missing repository path in a comment or a doc is reported; existing files and folders pass", () => {
  const dir = repo({
    ...BASE,
    "kit/a.ts": [
      "// the issuer is web/src/server/auth.ts; the verifier api/app/main.py.",
      "// see web/src/server/gone.ts and api/app/ (a folder)",
      "// notes/guide.md#rate-limiting and notes/guide.md#rate-limiting-1 exist, notes/guide.md#nope does not",
      "// the page lives in web/src/app/(auth)/sign-in/page.tsx",
    ].join("\n"),
  });
  assert.deepEqual(
    lintReferences(dir).map((o) => `${o.file}:${o.line} ${o.reference} — ${o.problem}`),
    [
      "kit/a.ts:2 web/src/server/gone.ts — no such file or folder in the repository",
      "kit/a.ts:3 notes/guide.md#nope — notes/guide.md has no heading or anchor #nope",
      "kit/a.ts:4 web/src/app/(auth)/sign-in/page.tsx — no such file or folder in the repository",
    ],
  );
});

test("Markdown links resolve relative to the file, anchors against the target's headings", () => {
  const dir = repo({
    ...BASE,
    "notes/other.md": [
      "[guide](guide.md) and [its section](guide.md#rate-limiting) and [here](#other)",
      "[missing](missing.md) [bad anchor](guide.md#no-such-section) [bad local](#nowhere)",
      "[code](../web/src/server/auth.ts) [gone](../web/src/server/gone.ts) [outside](../../etc/passwd)",
      "## Other",
      "[ref]: ./nothing-here.md",
    ].join("\n"),
  });
  assert.deepEqual(brief(lintReferences(dir)), [
    "notes/other.md:2 missing.md",
    "notes/other.md:2 guide.md#no-such-section",
    "notes/other.md:2 #nowhere",
    "notes/other.md:3 ../web/src/server/gone.ts",
    "notes/other.md:3 ../../etc/passwd",
    "notes/other.md:5 ./nothing-here.md",
  ]);
});

test("look-alikes that are not references pass: globs, templates, URLs, examples, prose, ignored paths, code", () => {
  const dir = repo({
    ...BASE,
    "notes/look-alikes.md": [
      "Tests are `kit/src/*.test.ts` and `web/src/**/*.ts`; pages are `notes/<name>.md`; `web/.env*`.",
      "Code: `${ROOT}/api/tests` and https://example.com/notes/none.md and http://localhost:3000/web/src/x.ts",
      "Elided: web/src/... and the web/api pair, a kit/test server, /kit/null, .kit/env.sh.",
      "Local state: web/.next/ and api/.venv/ are ignored, as are web/.next and `api/.venv` without the slash.",
      "[site](https://example.com/missing.md) [mail](mailto:a@example.invalid) `[shown](as-code.md)`",
      "```md",
      "[inside a fence](not-checked.md)",
      "```",
      "my-api/app/none.py and @scope/notes/none.md",
    ].join("\n"),
  });
  assert.deepEqual(lintReferences(dir), []);
});

test("untracked new files are scanned; git-ignored ones are not", () => {
  const dir = repo(BASE);
  fs.writeFileSync(path.join(dir, "notes/new.md"), "[x](nope.md)\n");
  fs.mkdirSync(path.join(dir, ".next"));
  fs.writeFileSync(path.join(dir, ".next/build.md"), "[x](nope.md)\n");
  assert.deepEqual(brief(lintReferences(dir)), ["notes/new.md:1 nope.md"]);
});

test("the suite prints `path:line: reference — problem` and fails", (t) => {
  const dir = repo({ ...BASE, "notes/a.md": "\nsee notes/missing.md\n" });
  const lines: string[] = [];
  t.mock.method(console, "log", (s: string) => lines.push(s));
  assert.equal(referenceLint(dir), 1);
  assert.deepEqual(lines, ["notes/a.md:2: notes/missing.md — no such file or folder in the repository", "1 broken reference(s)"]);
  lines.length = 0;
  assert.equal(referenceLint(repo(BASE)), 0);
  assert.deepEqual(lines, ["no broken references"]);
});

test("GitHub heading anchors", () => {
  assert.equal(githubSlug("Rate limiting"), "rate-limiting");
  assert.equal(githubSlug("Fault scenarios, this machine, 2026-11-22"), "fault-scenarios-this-machine-2026-11-22");
  assert.equal(githubSlug("a. Backend auth cost — per `request`"), "a-backend-auth-cost--per-request");
  assert.equal(githubSlug("[Links](x.md) and <b>tags</b>"), "links-and-tags");
  assert.deepEqual([...markdownAnchors("# A\n## A\n```\n# not a heading\n```\n<a id=\"custom\"></a>\n")], ["a", "a-1", "custom"]);
});

test("link targets and path mentions on one line", () => {
  assert.deepEqual(linkTargets('[a](x.md) ![img](i/p.png "t") [b](<with space.md>) `[c](code.md)` [d](app/(auth)/page.tsx)'), [
    "x.md",
    "i/p.png",
    "with space.md",
    "app/(auth)/page.tsx",
  ]);
  const mentions = pathMatcher(["web", "notes"]);
  assert.deepEqual(mentions("see notes/security.md#passwords, web/src/app/api/auth/[...all]/route.ts. and other/x.ts"), [
    { path: "notes/security.md", anchor: "passwords" },
    { path: "web/src/app/api/auth/[...all]/route.ts", anchor: null },
  ]);
  assert.equal(formatOffender({ file: "a.md", line: 3, reference: "b.md", problem: "gone" }), "a.md:3: b.md — gone");
});
