"""Alembic environment: the URL and TLS settings come from app.settings (validated).

Tests hand in a ready connection via `config.attributes["connection"]`.
"""

from logging.config import fileConfig

from alembic import context
from sqlmodel import SQLModel

from app import frontend_tables, models  # noqa: F401  registers every table on SQLModel.metadata

target_metadata = SQLModel.metadata
if context.config.config_file_name and "connection" not in context.config.attributes:
    fileConfig(context.config.config_file_name, disable_existing_loggers=False)


def run_migrations(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    from app.db.engine import build_engine
    from app.settings import load_settings  # validates the settings (TLS URL, secret, CA)

    # The direct URL (DATABASE_URL_UNPOOLED, else DATABASE_URL): DDL and the version table want
    # a real session, not a transaction-mode pooler's.
    settings = load_settings()
    engine = build_engine(
        settings.direct_database_url.get_secret_value(), settings.database_ca_cert
    )
    try:
        with engine.connect() as connection:
            run_migrations(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline mode is not supported: run against a database")
run_online()
