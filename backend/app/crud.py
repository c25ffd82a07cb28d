"""Queries. Every task query is filtered by its owner; each write is one statement, committed."""

import uuid

from sqlalchemy import delete, func, insert, select, update
from sqlmodel import Session

from app.models import AuthSession, Task, TaskCreate, User


def get_user_of_live_session(db: Session, session_id: str, user_id: str) -> User | None:
    """The revocation check: one indexed query (session PK, then user PK)."""
    statement = (
        select(User)
        .join(AuthSession, AuthSession.user_id == User.id)
        .where(
            AuthSession.id == session_id,
            AuthSession.user_id == user_id,
            AuthSession.expires_at > func.now(),
        )
    )
    return db.exec(statement).scalars().first()  # type: ignore[call-overload]


def list_tasks(
    db: Session, owner_id: str, completed: bool | None, limit: int, offset: int
) -> tuple[list[Task], int]:
    where = [Task.user_id == owner_id]
    if completed is not None:
        where.append(Task.completed == completed)
    total = db.exec(select(func.count()).select_from(Task).where(*where)).scalar_one()  # type: ignore[call-overload]
    rows = db.exec(  # type: ignore[call-overload]
        select(Task)
        .where(*where)
        .order_by(Task.created_at.desc(), Task.id.desc())  # type: ignore[union-attr]
        .limit(limit)
        .offset(offset)
    )
    return list(rows.scalars().all()), total


def create_task(db: Session, owner_id: str, data: TaskCreate) -> Task:
    """One INSERT ... RETURNING, then COMMIT: nothing runs after the commit that could fail and
    turn a stored row into an error response."""
    statement = (
        insert(Task).values(id=uuid.uuid4(), user_id=owner_id, **data.model_dump()).returning(Task)
    )
    task = db.exec(statement).scalars().one()  # type: ignore[call-overload]
    db.commit()  # a 201 means the row is committed
    return task


def get_task(db: Session, owner_id: str, task_id: uuid.UUID) -> Task | None:
    statement = select(Task).where(Task.id == task_id, Task.user_id == owner_id)
    return db.exec(statement).scalars().first()  # type: ignore[call-overload]


def update_task(
    db: Session, owner_id: str, task_id: uuid.UUID, changes: dict[str, object]
) -> Task | None:
    """One UPDATE ... WHERE id AND owner RETURNING: another user's row is never touched."""
    statement = (
        update(Task)
        .where(Task.id == task_id, Task.user_id == owner_id)  # type: ignore[arg-type]
        .values(**changes, updated_at=func.now())
        .returning(Task)
    )
    task = db.exec(statement).scalars().first()  # type: ignore[call-overload]
    db.commit()
    return task


def delete_task(db: Session, owner_id: str, task_id: uuid.UUID) -> bool:
    statement = delete(Task).where(Task.id == task_id, Task.user_id == owner_id)  # type: ignore[arg-type]
    deleted = db.exec(statement).rowcount  # type: ignore[call-overload]
    db.commit()
    return bool(deleted)
