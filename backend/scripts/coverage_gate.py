"""The backend test suite with coverage, as `npm test` runs it (docs/development.md "Coverage").

pytest with coverage (configured in pyproject.toml), the HTML report in .dev/coverage/backend/, then
one summary line at the very end. Exits non-zero if pytest failed or if an auth module is below
100% of its lines, naming the file and its missing lines first. Run from backend/ with the test env:
    python3 -m uv run --frozen python scripts/coverage_gate.py [pytest arguments]

The gate itself is the package's, packages/python/scripts/coverage_gate.py (one gate for both).
"""

import importlib.util
import sys
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[1]
REPORT_DIR = BACKEND.parent / ".dev" / "coverage" / "backend"
SHARED_GATE = BACKEND.parent / "packages" / "python" / "scripts" / "coverage_gate.py"
# What of every token and session check of a request stays in the app, held at 100% of lines (the
# verifier, the session check, its cache and listener are packages/python's, held there by its own
# gate).
AUTH_MODULES = (
    "app/auth.py",
    "app/state.py",
    "app/errors.py",
)
SUMMARY = (
    "lines {lines:.1f}%, branches {branches:.1f}%; auth modules {held:.1f}% lines ({modules} files)"
)


def main(pytest_args: list[str]) -> int:
    spec = importlib.util.spec_from_file_location("authbridge_coverage_gate", SHARED_GATE)
    if spec is None or spec.loader is None:
        raise SystemExit(f"coverage backend: no gate at {SHARED_GATE}")
    shared = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shared)
    json_file = REPORT_DIR / "coverage.json"
    return shared.gate(BACKEND, "backend", AUTH_MODULES, json_file, pytest_args, SUMMARY)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
