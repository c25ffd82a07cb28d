"""/api/tasks: the caller's tasks only. The owner is the token's `sub`, never the request body.

Another user's task answers 404 TASK_NOT_FOUND, exactly like a task that does not exist.
"""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.auth import CurrentUser
from app.db import tasks as queries
from app.errors import (
    AUTH_RESPONSES,
    NOT_FOUND_RESPONSE,
    PAYLOAD_TOO_LARGE_RESPONSE,
    VALIDATION_RESPONSE,
    AppError,
    ErrorCode,
)
from app.schemas import TaskCreate, TaskList, TaskPublic, TaskUpdate
from app.state import DbDep

router = APIRouter(
    prefix="/api/tasks", tags=["tasks"], responses={**AUTH_RESPONSES, **VALIDATION_RESPONSE}
)

# OFFSET is a bigint in PostgreSQL: bound it well below (and within JavaScript's safe integers)
# so that a huge offset is a 422, never a database error.
OFFSET_MAX = 2_147_483_647


def _not_found() -> AppError:
    return AppError(404, ErrorCode.TASK_NOT_FOUND)


@router.get("", response_model=TaskList)
def list_tasks(
    db: DbDep,
    current_user: CurrentUser,
    completed: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=OFFSET_MAX)] = 0,
) -> TaskList:
    tasks, total = queries.list_tasks(db, current_user.id, completed, limit, offset)
    return TaskList(items=tasks, total=total, limit=limit, offset=offset)


@router.post(
    "",
    response_model=TaskPublic,
    status_code=status.HTTP_201_CREATED,
    responses=PAYLOAD_TOO_LARGE_RESPONSE,
)
def create_task(db: DbDep, current_user: CurrentUser, body: TaskCreate) -> TaskPublic:
    return queries.create_task(db, current_user.id, body)


@router.get("/{task_id}", response_model=TaskPublic, responses=NOT_FOUND_RESPONSE)
def read_task(db: DbDep, current_user: CurrentUser, task_id: uuid.UUID) -> TaskPublic:
    task = queries.get_task(db, current_user.id, task_id)
    if task is None:
        raise _not_found()
    return task


@router.patch(
    "/{task_id}",
    response_model=TaskPublic,
    responses={**NOT_FOUND_RESPONSE, **PAYLOAD_TOO_LARGE_RESPONSE},
)
def update_task(
    db: DbDep, current_user: CurrentUser, task_id: uuid.UUID, body: TaskUpdate
) -> TaskPublic:
    changes = body.changes()
    task = (
        queries.update_task(db, current_user.id, task_id, changes)
        if changes
        else queries.get_task(db, current_user.id, task_id)
    )
    if task is None:
        raise _not_found()
    return task


@router.delete("/{task_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND_RESPONSE)
def delete_task(db: DbDep, current_user: CurrentUser, task_id: uuid.UUID) -> Response:
    if not queries.delete_task(db, current_user.id, task_id):
        raise _not_found()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
