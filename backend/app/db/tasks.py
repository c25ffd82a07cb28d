"""Queries: constant SQL, written once, each ONE statement and one round trip
(app/db/database.py). Every task query is filtered by its owner; each write is a single
statement that PostgreSQL commits before it answers.

The text never changes between calls, so psycopg prepares each statement server-side after a
few uses on a connection (app/db/engine.py PREPARE_THRESHOLD): no rebuilding in Python, no
re-planning in PostgreSQL. Only the columns a caller needs are read. The session check's query
is packages/python's (authbridge.schema LIVE_SESSION_USER), run on the same engine.
"""

import uuid

from app.db.database import Database
from app.schemas import TaskCreate, TaskPublic

# A page of the owner's tasks AND their total in one statement: the count is one row that the page
# is joined onto, so an empty page still carries the total. Constant text, one per filter.
TASK_PAGE = """
SELECT c.total, t.id, t.title, t.description, t.completed, t.created_at, t.updated_at
FROM (SELECT count(*) AS total FROM task WHERE user_id = %(owner)s) AS c
LEFT JOIN (
    SELECT id, title, description, completed, created_at, updated_at
    FROM task WHERE user_id = %(owner)s
    ORDER BY created_at DESC, id DESC LIMIT %(limit)s OFFSET %(offset)s
) AS t ON true
"""
TASK_PAGE_BY_COMPLETED = """
SELECT c.total, t.id, t.title, t.description, t.completed, t.created_at, t.updated_at
FROM (
    SELECT count(*) AS total FROM task WHERE user_id = %(owner)s AND completed = %(completed)s
) AS c
LEFT JOIN (
    SELECT id, title, description, completed, created_at, updated_at
    FROM task WHERE user_id = %(owner)s AND completed = %(completed)s
    ORDER BY created_at DESC, id DESC LIMIT %(limit)s OFFSET %(offset)s
) AS t ON true
"""
TASK_BY_ID = """
SELECT id, title, description, completed, created_at, updated_at
FROM task WHERE id = %(id)s AND user_id = %(owner)s
"""
INSERT_TASK = """
INSERT INTO task (id, user_id, title, description, completed)
VALUES (%(id)s, %(owner)s, %(title)s, %(description)s, %(completed)s)
RETURNING id, title, description, completed, created_at, updated_at
"""
# A field left out of PATCH arrives as NULL and keeps its value (null itself is refused by
# TaskUpdate): one statement text for every combination of changed fields.
UPDATE_TASK = """
UPDATE task SET
    title = COALESCE(%(title)s, title),
    description = COALESCE(%(description)s, description),
    completed = COALESCE(%(completed)s, completed),
    updated_at = now()
WHERE id = %(id)s AND user_id = %(owner)s
RETURNING id, title, description, completed, created_at, updated_at
"""
DELETE_TASK = "DELETE FROM task WHERE id = %(id)s AND user_id = %(owner)s"


def task_of(row: object) -> TaskPublic:
    return TaskPublic.model_validate(row, from_attributes=True)


def list_tasks(
    db: Database, owner_id: str, completed: bool | None, limit: int, offset: int
) -> tuple[list[TaskPublic], int]:
    params = {"owner": owner_id, "completed": completed, "limit": limit, "offset": offset}
    rows = db.read(TASK_PAGE if completed is None else TASK_PAGE_BY_COMPLETED, params)
    total = rows[0].total  # the count row is always there
    return [task_of(r) for r in rows if r.id is not None], total


def create_task(db: Database, owner_id: str, data: TaskCreate) -> TaskPublic:
    """One INSERT ... RETURNING in autocommit: the answer comes after the commit, and nothing
    runs after it that could turn a stored row into an error response."""
    params = {"id": uuid.uuid4(), "owner": owner_id, **data.model_dump()}
    return task_of(db.write(INSERT_TASK, params)[0])


def get_task(db: Database, owner_id: str, task_id: uuid.UUID) -> TaskPublic | None:
    row = db.read_one(TASK_BY_ID, {"id": task_id, "owner": owner_id})
    return None if row is None else task_of(row)


def update_task(
    db: Database, owner_id: str, task_id: uuid.UUID, changes: dict[str, object]
) -> TaskPublic | None:
    """One UPDATE ... WHERE id AND owner RETURNING: another user's row is never touched."""
    params = {
        "id": task_id,
        "owner": owner_id,
        "title": changes.get("title"),
        "description": changes.get("description"),
        "completed": changes.get("completed"),
    }
    rows = db.write(UPDATE_TASK, params)
    return task_of(rows[0]) if rows else None


def delete_task(db: Database, owner_id: str, task_id: uuid.UUID) -> bool:
    return db.write_count(DELETE_TASK, {"id": task_id, "owner": owner_id}) > 0
