"""The package's tests with coverage, as `npm test` runs them: every module of authbridge is held at
100% of its lines. Exits non-zero if pytest failed or a module is below, naming it and its missing
lines first; the last line is the summary. Run from packages/python/ (with the database env):
    python3 -m uv run --frozen python scripts/coverage_gate.py [pytest arguments]
"""

import json
import subprocess
import sys
from pathlib import Path

import coverage

PACKAGE = Path(__file__).resolve().parents[1]


def percent(covered: int, total: int) -> float:
    return 100.0 * covered / total if total else 100.0


def main(pytest_args: list[str]) -> int:
    tests = subprocess.run(  # noqa: S603  # this interpreter's pytest, the caller's arguments
        [sys.executable, "-m", "pytest", "-q", "--cov", "--cov-report=", *pytest_args],
        cwd=PACKAGE,
        check=False,
    ).returncode
    cov = coverage.Coverage(config_file=str(PACKAGE / "pyproject.toml"))
    cov.load()
    json_file = PACKAGE / "coverage" / "coverage.json"
    try:
        cov.html_report()  # into coverage/html ([tool.coverage.html])
        cov.json_report(outfile=str(json_file))
    except coverage.exceptions.NoDataError:
        print(f"coverage authbridge: no data (pytest exited {tests} before measuring)")
        return tests or 1
    report = json.loads(json_file.read_text())
    files, totals = report["files"], report["totals"]
    modules = sorted(str(p.relative_to(PACKAGE)) for p in (PACKAGE / "src").rglob("*.py"))
    below = []
    for name in modules:
        if name not in files:  # never imported: nothing of it ran
            below.append(f"coverage authbridge: {name}: never imported by the tests")
            continue
        summary = files[name]["summary"]
        if summary["missing_lines"]:
            missing = cov.analysis2(str(PACKAGE / name))[4]  # "80, 104, 120-123"
            below.append(
                f"coverage authbridge: {name} is below 100% of lines "
                f"({percent(summary['covered_lines'], summary['num_statements']):.1f}%); "
                f"missing lines {missing}"
            )
    if below:
        print("\n".join(below))
    lines = percent(totals["covered_lines"], totals["num_statements"])
    branches = percent(totals["covered_branches"], totals["num_branches"])
    print(
        f"coverage authbridge: lines {lines:.1f}%, branches {branches:.1f}% "
        f"({len(modules)} modules, each held at 100% of lines)"
    )
    return 1 if tests != 0 or below else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
