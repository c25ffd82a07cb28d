"""The backend test suite with coverage, as `npm test` runs it (docs/development.md "Coverage").

pytest with coverage (configured in pyproject.toml), the HTML report in .dev/coverage/backend/, then
one summary line at the very end. Exits non-zero if pytest failed or if an auth module is below
100% of its lines, naming the file and its missing lines first. Run from backend/ with the test env:
    python3 -m uv run --frozen python scripts/coverage_gate.py [pytest arguments]
"""

import json
import subprocess
import sys
from pathlib import Path

import coverage

BACKEND = Path(__file__).resolve().parents[1]
REPORT_DIR = BACKEND.parent / ".dev" / "coverage" / "backend"
# What of every token and session check of a request stays in the app, held at 100% of lines (the
# verifier, the session check, its cache and listener are packages/python's, held there by its own
# gate, packages/python/scripts/coverage_gate.py).
AUTH_MODULES = (
    "app/auth.py",
    "app/state.py",
    "app/errors.py",
)


def percent(covered: int, total: int) -> float:
    return 100.0 * covered / total if total else 100.0


def main(pytest_args: list[str]) -> int:
    tests = subprocess.run(  # noqa: S603  # this interpreter's pytest, the caller's arguments
        [sys.executable, "-m", "pytest", "-q", "--cov", "--cov-report=", *pytest_args],
        cwd=BACKEND,
        check=False,
    ).returncode
    cov = coverage.Coverage(config_file=str(BACKEND / "pyproject.toml"))
    cov.load()
    json_file = REPORT_DIR / "coverage.json"
    try:
        cov.html_report()  # into REPORT_DIR ([tool.coverage.html])
        cov.json_report(outfile=str(json_file))
    except coverage.exceptions.NoDataError:
        print(f"coverage backend: no data (pytest exited {tests} before measuring)")
        return tests or 1
    report = json.loads(json_file.read_text())
    files, totals = report["files"], report["totals"]
    below = []
    covered = statements = 0
    for name in AUTH_MODULES:
        summary = files[name]["summary"] if name in files else None
        if summary is None:  # never imported: nothing of it ran
            below.append(f"coverage backend: {name}: never imported by the tests")
            continue
        covered += summary["covered_lines"]
        statements += summary["num_statements"]
        if summary["missing_lines"]:
            missing = cov.analysis2(str(BACKEND / name))[4]  # "80, 104, 120-123"
            below.append(
                f"coverage backend: {name} is below 100% of lines "
                f"({percent(summary['covered_lines'], summary['num_statements']):.1f}%); "
                f"missing lines {missing}"
            )
    if below:
        print("\n".join(below))
    lines = percent(totals["covered_lines"], totals["num_statements"])
    branches = percent(totals["covered_branches"], totals["num_branches"])
    auth = percent(covered, statements)
    print(
        f"coverage backend: lines {lines:.1f}%, branches {branches:.1f}%; "
        f"auth modules {auth:.1f}% lines ({len(AUTH_MODULES)} files)"
    )
    return 1 if tests != 0 or below else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
