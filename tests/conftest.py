"""Fixtures: a migrated, seeded database per test (made from one template), clients, sign-in."""

import contextvars
from collections.abc import Callable, Iterator
from contextlib import nullcontext

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import event

from gaps import create_app, services
from gaps.config import PROJECT_ROOT
from gaps.extensions import db as database
from tests.databases import DEMO_PASSWORD, Databases

SEED_DIR = PROJECT_ROOT / "seed_data"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def make_app(database_url: str, **overrides) -> Flask:
    """An application on the given database with the test settings."""
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                       "MIGRATIONS_DIR": str(MIGRATIONS_DIR), **overrides})


@pytest.fixture(scope="session")
def databases() -> Iterator[Databases]:
    """Makes test databases on the engine under test (SQLite, or `TEST_DATABASE_URL`)."""
    made = Databases(make_app, MIGRATIONS_DIR, SEED_DIR)
    yield made
    made.close()


@pytest.fixture
def database_url(databases) -> Iterator[str]:
    """A private, seeded database for this test."""
    url = databases.seeded()
    yield url
    databases.drop(url)


@pytest.fixture
def app_overrides() -> dict:
    """Settings a test module may override by redefining this fixture."""
    return {}


class IsolatedClient(FlaskClient):
    """A test browser whose every request runs as in production: its own app context,
    session and `g`, never the test's; the test's session then re-reads what is committed."""

    def open(self, *args, **kwargs):
        _end_test_transaction()
        # A streamed body (exports) is read inside the request's own context, as a server does.
        kwargs.setdefault("buffered", True)
        try:
            return contextvars.Context().run(super().open, *args, **kwargs)
        finally:
            _end_test_transaction()


def _end_test_transaction() -> None:
    if has_app_context():
        database.session.rollback()


@pytest.fixture
def app(database_url, app_overrides) -> Iterator[Flask]:
    """The application on this test's own seeded database."""
    application = make_app(database_url, **app_overrides)
    application.test_client_class = IsolatedClient
    yield application
    with application.app_context():
        database.engine.dispose()


@pytest.fixture
def db(app):
    """The database handle, inside an application context."""
    with app.app_context():
        yield database
        database.session.remove()


@pytest.fixture
def client(app) -> FlaskClient:
    """A browser without a session."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Runs `flask …` commands against this test's database."""
    return app.test_cli_runner()


def demo_email(role: str) -> str:
    """The demo account of a role."""
    return f"{role}@example.org"


@pytest.fixture
def login_as(app) -> Callable[[str], FlaskClient]:
    """A signed-in browser for a demo role (or any e-mail address with the demo password)."""

    def sign_in(role_or_email: str, password: str = DEMO_PASSWORD) -> FlaskClient:
        browser = app.test_client()
        email = role_or_email if "@" in role_or_email else demo_email(role_or_email)
        response = browser.post("/sign-in", data={"email": email, "password": password})
        assert response.status_code == 302, f"sign-in as {email} failed"
        return browser

    return sign_in


@pytest.fixture
def api_token(app) -> Callable[[str], dict]:
    """Authorization headers carrying a fresh API token (read and write unless told) for a
    demo role."""

    def headers(role_or_email: str, scope: str = "write") -> dict:
        email = role_or_email if "@" in role_or_email else demo_email(role_or_email)
        with nullcontext() if has_app_context() else app.app_context():
            token = services.issue_api_token(email, name="test", scope=scope)
        return {"Authorization": f"Bearer {token}"}

    return headers


class StatementCounter:
    """Counts the SQL statements the application sends while it is active."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.statements: list[str] = []

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self) -> "StatementCounter":
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        """Statements seen, not counting transaction control."""
        return sum(1 for statement in self.statements
                   if not statement.strip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK",
                                                               "PRAGMA")))


@pytest.fixture
def count_statements(app) -> Callable[[], StatementCounter]:
    """A context manager counting SQL statements sent by the application."""

    def counter() -> StatementCounter:
        with app.app_context():
            engine = database.engine
        return StatementCounter(engine)

    return counter
