// Just enough Markdown for the reference lint: which lines are inside fenced code, the anchors a file's
// headings get on GitHub, and the link targets on a line.

/** For each line, whether it lies inside a fenced code block (the fence lines included). */
export function fencedLines(lines: string[]): boolean[] {
  const inside: boolean[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null && m) {
      fence = m[1];
      inside.push(true);
    } else if (fence !== null) {
      inside.push(true);
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length && line.trim() === m[1]) fence = null;
    } else {
      inside.push(false);
    }
  }
  return inside;
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, each space a hyphen. */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // a link's text only
    .replace(/<[^>]+>/g, "") // inline HTML
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
}

/** Every anchor a Markdown file offers: heading slugs (repeats numbered -1, -2, … as GitHub does) and HTML ids. */
export function markdownAnchors(text: string): Set<string> {
  const lines = text.split("\n");
  const fenced = fencedLines(lines);
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  lines.forEach((line, i) => {
    if (fenced[i]) return;
    for (const m of line.matchAll(/<a\s[^>]*\b(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
    const h = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (!h) return;
    const base = githubSlug(h[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  });
  return anchors;
}

/** Inline code spans blanked out (same length), so links shown as code are not taken for links. */
function withoutCodeSpans(line: string): string {
  return line.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, (span) => " ".repeat(span.length));
}

/** Targets of inline links and images `[text](target "title")` and of reference definitions `[id]: target`. */
export function linkTargets(line: string): string[] {
  const prose = withoutCodeSpans(line);
  const targets: string[] = [];
  for (const m of prose.matchAll(/\]\(\s*(?:<([^>]*)>|((?:[^\s()]|\([^\s()]*\))+))(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) targets.push(m[1] ?? m[2]);
  const def = /^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/.exec(prose);
  if (def) targets.push(def[1]);
  return targets;
}
