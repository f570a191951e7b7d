"""Alembic environment: runs migrations on the engine leadcell itself would use."""

import os

from alembic import context
from sqlmodel import SQLModel

import models.tables  # registers the tables on SQLModel.metadata
from models.db import DATABASE_DEFAULT, make_engine

config = context.config
database_url = (
    config.attributes.get("database_url")
    or config.get_main_option("sqlalchemy.url")
    or os.environ.get("DATABASE_URL", DATABASE_DEFAULT)
)


def run_migrations_online() -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=SQLModel.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
