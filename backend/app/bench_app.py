"""BENCH ONLY: the real app plus `GET /bench/tasks?user_id=...`, a task list WITHOUT authentication.

`npm run bench` serves this (uvicorn app.bench_app:app) to compare authenticated `GET /api/tasks`
with the very same route code minus the auth dependency, side by side in one server. The
unauthenticated route reads any user's tasks, so this module refuses to load unless
AUTHBRIDGE_BENCH=1, and nothing else imports it. Never deploy it.
"""

import argparse
import os
import sys
from types import SimpleNamespace
from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.http.server import uvicorn_options
from app.main import create_app
from app.routes import tasks
from app.schemas import TaskList
from app.state import DbDep

if os.environ.get("AUTHBRIDGE_BENCH") != "1":
    raise RuntimeError("app.bench_app serves tasks without authentication: benchmarks only")

router = APIRouter(prefix="/bench", tags=["bench"])


@router.get("/tasks", response_model=TaskList)
def list_tasks_unauthenticated(
    db: DbDep,
    user_id: str,
    completed: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> TaskList:
    """The real route function with the owner from the query string instead of the token."""
    owner: Any = SimpleNamespace(id=user_id)
    return tasks.list_tasks(
        db=db, current_user=owner, completed=completed, limit=limit, offset=offset
    )


app = create_app()
app.include_router(router)


def main() -> int:
    """`python -m app.bench_app --port P --workers N` (npm run bench starts it)."""
    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    uvicorn.run(
        "app.bench_app:app",
        **uvicorn_options("127.0.0.1", args.port, args.workers),
        access_log=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
