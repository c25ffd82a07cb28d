// The house's size figures for a checkout: lines per top folder, files over 300 lines and functions over 60
// lines, over the source files git knows (tracked, or new and not ignored: .ts, .tsx, .mjs, .py). TypeScript
// functions are read with the compiler's own parser (declarations, methods, accessors, constructors, arrow
// functions, function expressions); Python's with `ast` (def and async def). A nested function counts on its
// own and inside its parent. docs/layout.md says what the limits are for.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

export const MAX_FILE_LINES = 300;
export const MAX_FUNCTION_LINES = 60;

const SOURCE = /\.(ts|tsx|mjs|py)$/;

export interface Sized {
  /** Repository-relative path; for a function, `path:line name`. */
  where: string;
  lines: number;
}

export interface Measures {
  files: number;
  linesPerFolder: Map<string, number>;
  longFiles: Sized[];
  longFunctions: Sized[];
}

/** The source files git knows below `root`, as they are in the working tree. */
export function sourceFiles(root: string): string[] {
  const res = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: root, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`git ls-files failed in ${root}: ${res.stderr}`);
  return res.stdout
    .split("\0")
    .filter((f) => SOURCE.test(f) && fs.existsSync(path.join(root, f)))
    .sort();
}

const lineCount = (text: string) => (text.length === 0 ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0));

function functionName(node: ts.Node): string {
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  if (ts.isConstructorDeclaration(node)) return "constructor";
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText().slice(0, 40)})`;
  return "(anonymous)";
}

/** Every TypeScript function of `text` with its length in lines. */
export function typescriptFunctions(file: string, text: string): Sized[] {
  const kind = file.endsWith(".tsx") ? ts.ScriptKind.TSX : file.endsWith(".mjs") ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const found: Sized[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ where: `${file}:${start + 1} ${functionName(node)}`, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const PYTHON_FUNCTIONS = `
import ast, json, sys
out = []
for path in sys.argv[1:]:
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            out.append([f"{path}:{start} {node.name}", node.end_lineno - start + 1])
print(json.dumps(out))
`;

/** Every Python function of `files` (repository-relative, read from `root`) with its length in lines. */
export function pythonFunctions(root: string, files: string[]): Sized[] {
  if (!files.length) return [];
  const res = spawnSync("python3", ["-c", PYTHON_FUNCTIONS, ...files], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`python3 ast failed: ${res.stderr}`);
  return (JSON.parse(res.stdout) as [string, number][]).map(([where, lines]) => ({ where, lines }));
}

export function measure(root: string): Measures {
  const files = sourceFiles(root);
  const linesPerFolder = new Map<string, number>();
  const longFiles: Sized[] = [];
  const functions: Sized[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    const lines = lineCount(text);
    const folder = file.includes("/") ? file.split("/")[0]! : ".";
    linesPerFolder.set(folder, (linesPerFolder.get(folder) ?? 0) + lines);
    if (lines > MAX_FILE_LINES) longFiles.push({ where: file, lines });
    if (!file.endsWith(".py")) functions.push(...typescriptFunctions(file, text));
  }
  functions.push(...pythonFunctions(root, files.filter((f) => f.endsWith(".py"))));
  const byLength = (a: Sized, b: Sized) => b.lines - a.lines || a.where.localeCompare(b.where);
  return {
    files: files.length,
    linesPerFolder,
    longFiles: longFiles.sort(byLength),
    longFunctions: functions.filter((f) => f.lines > MAX_FUNCTION_LINES).sort(byLength),
  };
}
