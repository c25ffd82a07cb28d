"""The committed contracts/openapi.json is what the app serves.

Regenerate with `python3 -m uv run python scripts/export_openapi.py`."""

import json
from pathlib import Path

from app.main import app

COMMITTED = Path(__file__).resolve().parents[3] / "contracts" / "openapi.json"


def test_the_committed_openapi_contract_matches_the_app() -> None:
    assert COMMITTED.is_file(), "contracts/openapi.json is missing: run scripts/export_openapi.py"
    assert json.loads(COMMITTED.read_text()) == app.openapi(), (
        "stale: run scripts/export_openapi.py"
    )


def test_operation_ids_read_tag_dash_name() -> None:
    ids = [op["operationId"] for path in app.openapi()["paths"].values() for op in path.values()]
    assert "tasks-list_tasks" in ids and all("-" in i for i in ids)


def test_every_task_route_declares_its_error_responses() -> None:
    paths = app.openapi()["paths"]
    for method, op in paths["/api/tasks/{task_id}"].items():
        assert {"401", "404", "422", "503"} <= set(op["responses"]), method
