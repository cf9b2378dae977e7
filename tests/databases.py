"""Test databases on either engine: SQLite files, or PostgreSQL databases made from a template.

The suite runs on SQLite unless `TEST_DATABASE_URL` names a PostgreSQL server (any database on
it: the tests create and drop their own).
"""

import itertools
import os
import shutil
import tempfile
from pathlib import Path

import flask_migrate
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from gaps import services
from gaps.config import normalise_database_url
from gaps.extensions import db
from gaps.seeding import read_seed

DEMO_PASSWORD = "demo-password-for-tests"  # noqa: S105


class Databases:
    """Creates empty or seeded databases for tests and drops them afterwards."""

    def __init__(self, make_app, migrations_dir: Path, seed_dir: Path) -> None:
        self.make_app = make_app
        self.migrations_dir = migrations_dir
        self.seed_dir = seed_dir
        server = os.environ.get("TEST_DATABASE_URL", "").strip()
        self.server = make_url(normalise_database_url(server)) if server else None
        self.engine = "postgresql" if self.server else "sqlite"
        self.folder = Path(tempfile.mkdtemp(prefix="gaps-tests-"))
        self.names = (f"gaps_test_{os.getpid()}_{number}" for number in itertools.count())
        self._template: str | None = None
        self._admin = (create_engine(self.server.set(database="postgres"),
                                     isolation_level="AUTOCOMMIT")
                       if self.server else None)

    def _url(self, name: str) -> str:
        if self.server:
            return self.server.set(database=name).render_as_string(hide_password=False)
        return f"sqlite:///{self.folder / (name + '.sqlite')}"

    def empty(self) -> str:
        """A new database with nothing in it."""
        name = next(self.names)
        if self.server:
            with self._admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        return self._url(name)

    def _build_template(self) -> str:
        url = self.empty()
        app = self.make_app(url)
        with app.app_context():
            flask_migrate.upgrade(directory=str(self.migrations_dir))
            services.load_seed(read_seed(self.seed_dir))
            services.ensure_demo_accounts(DEMO_PASSWORD)
            db.engine.dispose()
        return url

    def seeded(self) -> str:
        """A new database migrated to head with the example and the demo accounts."""
        if self._template is None:
            self._template = self._build_template()
        template = make_url(self._template).database
        name = next(self.names)
        if self.server:
            with self._admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        else:
            shutil.copyfile(template, self.folder / f"{name}.sqlite")
        return self._url(name)

    def drop(self, url: str) -> None:
        """Remove a database made by this object."""
        name = make_url(url).database
        if self.server:
            with self._admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(name + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        """Drop the template and every file left behind."""
        if self._template is not None:
            self.drop(self._template)
        if self._admin is not None:
            self._admin.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)
