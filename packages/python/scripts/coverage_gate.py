"""The package's tests with coverage, as `npm test` runs them: every module of authbridge is held at
100% of its lines. Exits non-zero if pytest failed or a module is below, naming it and its missing
lines first; the last line is the summary. Run from packages/python/ (with the database env):
    python3 -m uv run --frozen python scripts/coverage_gate.py [pytest arguments]

`gate()` is the one gate of both Python projects: backend/scripts/coverage_gate.py loads this file
and runs it over the backend's auth modules, with its own summary line.
"""

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import coverage

PACKAGE = Path(__file__).resolve().parents[1]
SUMMARY = (
    "lines {lines:.1f}%, branches {branches:.1f}% ({modules} modules, each held at 100% of lines)"
)


def percent(covered: int, total: int) -> float:
    return 100.0 * covered / total if total else 100.0


def held_below(
    label: str,
    cov: coverage.Coverage,
    root: Path,
    files: dict[str, dict[str, dict[str, int]]],
    modules: Sequence[str],
) -> tuple[list[str], float]:
    """One line per held module below 100% of its lines (or never imported), and the held
    modules' lines together, in percent."""
    below = []
    covered = statements = 0
    for name in modules:
        if name not in files:  # never imported: nothing of it ran
            below.append(f"coverage {label}: {name}: never imported by the tests")
            continue
        summary = files[name]["summary"]
        covered += summary["covered_lines"]
        statements += summary["num_statements"]
        if summary["missing_lines"]:
            missing = cov.analysis2(str(root / name))[4]  # "80, 104, 120-123"
            below.append(
                f"coverage {label}: {name} is below 100% of lines "
                f"({percent(summary['covered_lines'], summary['num_statements']):.1f}%); "
                f"missing lines {missing}"
            )
    return below, percent(covered, statements)


def gate(
    root: Path,
    label: str,
    modules: Sequence[str],
    json_file: Path,
    pytest_args: Sequence[str],
    summary: str,
) -> int:
    """pytest with coverage in `root` (its pyproject.toml's settings, HTML report included), then
    `modules` held at 100% of lines; the last line is `coverage <label>: <summary>`, `summary` a
    format string of `lines`, `branches` (every measured one), `held` (the modules' lines, in
    percent) and `modules` (how many)."""
    tests = subprocess.run(  # noqa: S603  # this interpreter's pytest, the caller's arguments
        [sys.executable, "-m", "pytest", "-q", "--cov", "--cov-report=", *pytest_args],
        cwd=root,
        check=False,
    ).returncode
    cov = coverage.Coverage(config_file=str(root / "pyproject.toml"))
    cov.load()
    try:
        cov.html_report()  # where the project's [tool.coverage.html] says
        cov.json_report(outfile=str(json_file))
    except coverage.exceptions.NoDataError:
        print(f"coverage {label}: no data (pytest exited {tests} before measuring)")
        return tests or 1
    report = json.loads(json_file.read_text())
    totals = report["totals"]
    below, held = held_below(label, cov, root, report["files"], modules)
    if below:
        print("\n".join(below))
    lines = percent(totals["covered_lines"], totals["num_statements"])
    branches = percent(totals["covered_branches"], totals["num_branches"])
    figures = summary.format(lines=lines, branches=branches, held=held, modules=len(modules))
    print(f"coverage {label}: {figures}")
    return 1 if tests != 0 or below else 0


def main(pytest_args: list[str]) -> int:
    modules = sorted(str(p.relative_to(PACKAGE)) for p in (PACKAGE / "src").rglob("*.py"))
    json_file = PACKAGE / "coverage" / "coverage.json"
    return gate(PACKAGE, "authbridge", modules, json_file, pytest_args, SUMMARY)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
