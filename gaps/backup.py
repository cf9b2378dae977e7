"""Backing up and restoring the database: SQLite's online backup API, or pg_dump/pg_restore."""

import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs PostgreSQL's own tools, with no shell
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url


class BackupFailed(RuntimeError):
    """The backup or restore could not be done; the message says why."""


def backup(engine: Engine, destination: Path) -> None:
    """Write a consistent copy of the database to `destination`."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(Path(url.database), destination)
    elif url.get_backend_name() == "postgresql":
        _run([_postgres_tool(engine, "pg_dump"), "--format=custom", "--no-owner",
              "--no-privileges", f"--file={destination}", f"--dbname={_libpq(url)}"], url)
    else:
        raise BackupFailed(f"Backups of {url.get_backend_name()} databases are not supported.")


def restore(engine: Engine, source: Path) -> None:
    """Replace the database's content with a backup made by `backup`."""
    if not source.is_file():
        raise BackupFailed(f"There is no backup at {source}.")
    url = engine.url
    engine.dispose()  # no connection of ours may hold the database while it is replaced
    if url.get_backend_name() == "sqlite":
        _check_sqlite_file(source)
        _sqlite_copy(source, Path(url.database))
    elif url.get_backend_name() == "postgresql":
        _run([_postgres_tool(engine, "pg_restore"), "--clean", "--if-exists", "--no-owner",
              "--no-privileges", "--single-transaction", "--exit-on-error",
              f"--dbname={_libpq(url)}", str(source)], url)
    else:
        raise BackupFailed(f"Restoring {url.get_backend_name()} databases is not supported.")


def _sqlite_copy(source: Path, destination: Path) -> None:
    with sqlite3.connect(source) as origin, sqlite3.connect(destination) as target:
        origin.backup(target)
    origin.close()
    target.close()


def _check_sqlite_file(path: Path) -> None:
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise BackupFailed(f"{path} is not an SQLite backup.")


def _libpq(url) -> str:
    # The tools take the plain libpq form; the password goes in the environment, not argv.
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _postgres_tool(engine: Engine, name: str) -> str:
    with engine.connect() as connection:
        server_major = int(connection.execute(text("SHOW server_version_num")).scalar()) // 10000
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0)
    suitable = [path for path in candidates
                if path.parts[-3].isdigit() and int(path.parts[-3]) >= server_major]
    if suitable:
        return str(suitable[0])
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(f"{name} is not installed (it comes with PostgreSQL's client).")
    return found


def _run(command: list[str], url) -> None:
    environment = dict(os.environ)
    if make_url(url).password:
        environment["PGPASSWORD"] = make_url(url).password
    finished = subprocess.run(command, capture_output=True, text=True, env=environment,  # noqa: S603
                              check=False)
    if finished.returncode != 0:
        raise BackupFailed(f"{Path(command[0]).name} failed: {finished.stderr.strip()[:500]}")
