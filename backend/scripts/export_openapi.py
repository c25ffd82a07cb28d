"""Write the FastAPI app's OpenAPI document to ../contracts/openapi.json (committed).

Run: `python3 -m uv run python scripts/export_openapi.py` (or with --check to fail when stale).
The document does not depend on configuration, so placeholder values are used if none are set.
"""

import json
import os
import sys
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[1]
TARGET = BACKEND.parent / "contracts" / "openapi.json"

# Never used to connect or sign: only to let the app module build (no .env on a fresh clone).
os.environ.setdefault("BETTER_AUTH_SECRET", "openapi-export-only-not-a-real-secret-0000")
os.environ.setdefault("DATABASE_URL", "postgresql://export@localhost/export?sslmode=require")
sys.path.insert(0, str(BACKEND))


def render() -> str:
    from app.main import app

    return json.dumps(app.openapi(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main() -> int:
    document = render()
    if "--check" in sys.argv:
        if not TARGET.is_file() or TARGET.read_text() != document:
            print(f"{TARGET} is stale: run scripts/export_openapi.py", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(document)
    print(f"wrote {TARGET.relative_to(BACKEND.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
