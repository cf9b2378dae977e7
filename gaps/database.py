"""Transactions per database: on SQLite, WAL and a busy timeout, and writers queue up front;
on PostgreSQL, cursors planned to be read to the end."""

from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import Any

from flask import Flask, g, has_request_context
from sqlalchemy import event
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from gaps.domain.errors import Conflict, InvalidValue, StaleVersion
from gaps.extensions import db

_writing: ContextVar[bool] = ContextVar("writing", default=False)


def register_database_behaviour(app: Flask) -> None:
    """End each request's session even when the server cut its connection; on SQLite, make
    concurrent writers wait their turn instead of failing."""
    # Runs before Flask-SQLAlchemy's own teardown (teardowns run last registered first).
    app.teardown_appcontext(end_session_even_if_the_connection_is_gone)
    for name, listener in (("before_commit", _note_commit_sent),
                           ("after_commit", _note_commit_done)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _queue_sqlite_writers(app)
    elif app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        _plan_cursors_for_every_row(app)


def end_session_even_if_the_connection_is_gone(_error: BaseException | None = None) -> None:
    """Close the request's session. A database restarting cuts connections at any moment, even
    after the answer is ready: the failed rollback marks the connection dead (the pool drops
    it), and the answer stands rather than becoming a server error."""
    try:
        db.session.remove()
    except (OperationalError, InterfaceError):
        db.session.remove()  # the connection is now invalidated: closing cannot fail again


def what_was_saved() -> str:
    """Whether this request's writes were saved: "nothing", "unknown" (the connection was lost
    during the commit: the database may have saved it without saying so) or "saved"."""
    if g.get("commit_done"):
        return "saved"
    return "unknown" if g.get("commit_sent") else "nothing"


def _note_commit_sent(session) -> None:
    if has_request_context():
        g.commit_sent = True


def _note_commit_done(session) -> None:
    if has_request_context():
        g.commit_done = True


def _plan_cursors_for_every_row(app: Flask) -> None:
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        # The server-side cursors (`yield_per`: exports, snapshots) are read to the end, but
        # PostgreSQL plans a cursor for its first tenth by default, which makes the whole
        # register's CSV 40 % slower. Set outside a transaction, which would undo it
        # (SQLAlchemy's PostgreSQL documentation recipe for session settings).
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        cursor = dbapi_connection.cursor()
        cursor.execute("SET SESSION cursor_tuple_fraction = 1.0")
        cursor.close()
        dbapi_connection.autocommit = autocommit


def _queue_sqlite_writers(app: Flask) -> None:
    busy_timeout_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        # pysqlite's own transaction handling starts transactions too late for
        # writers to queue; take over (SQLAlchemy's pysqlite documentation recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A use case takes the write lock when it starts (waiting for it if need be), so it
        # never fails half-way; readers take no lock and never block anyone.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writing.get() else "BEGIN")


def use_case(function: Callable) -> Callable:
    """Run a service function in a transaction of its own that may write; undo it on error."""

    @wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        session = db.session()  # the request's own session behind the scoped proxy
        # End the page's read-only transaction: the use case reads again under the write
        # lock, and optimistic version checks catch anything changed in between.
        if session.in_transaction():
            session.rollback()
        token = _writing.set(True)
        try:
            return function(*args, **kwargs)
        except StaleDataError as error:
            session.rollback()
            raise StaleVersion("Someone else saved this at the same moment. Nothing was saved: "
                               "reload it and try again.") from error
        except IntegrityError as error:
            session.rollback()
            raise Conflict("That would clash with a record that already exists. Nothing was "
                           "saved.") from error
        except DataError as error:
            session.rollback()
            raise InvalidValue("A value is too long or not allowed here. Nothing was "
                               "saved.") from error
        except BaseException:
            session.rollback()
            raise
        finally:
            _writing.reset(token)

    return run
