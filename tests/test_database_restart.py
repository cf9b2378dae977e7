"""PostgreSQL restarting under load: readers and a writer see 503 with Retry-After, never 500;
the service recovers by itself, and every write it acknowledged is there afterwards."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import create_engine, select, text
from werkzeug.serving import WSGIRequestHandler, make_server

from gaps import services
from gaps.config import PROJECT_ROOT
from gaps.extensions import db
from gaps.models import Requirement
from gaps.seeding import read_seed
from tests.conftest import DEMO_PASSWORD, MIGRATIONS_DIR, SEED_DIR, make_app

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"),
                       reason="PostgreSQL only: restarting a server means nothing for an "
                              "SQLite file (run with TEST_DATABASE_URL)"),
]

POSTGRES = PROJECT_ROOT / "scripts" / "postgres"
LOAD_BEFORE_RESTART_SECONDS = 1.5
LOAD_AFTER_RECOVERY_SECONDS = 1.5
MOST_SECONDS_TO_RECOVER = 30


class QuietRequestHandler(WSGIRequestHandler):
    """No access log on the test's output."""

    def log_request(self, *args, **kwargs) -> None:
        """Say nothing."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnPostgres:
    """A PostgreSQL server of this test's own, which it may stop and start again."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="gaps-restart-"))
        self.port = str(_free_port())
        self.url = self._postgres("start").strip()

    def _postgres(self, command: str) -> str:
        return subprocess.run([str(POSTGRES), command, str(self.directory), self.port],  # noqa: S603
                              capture_output=True, text=True, check=True, timeout=120).stdout

    def restart(self) -> None:
        """Stop it (fast: every connection is cut) and start it again."""
        self._postgres("stop")
        self._postgres("start")

    def remove(self) -> None:
        """Stop it for good and delete its files."""
        self._postgres("stop")
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture
def own_postgres():
    """A private PostgreSQL server (the shared one must not be restarted under other tests)."""
    server = OwnPostgres()
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def served(own_postgres):
    """The application on a seeded database on that server, served by threads on a free port;
    yields its base URL and the application."""
    admin = create_engine(own_postgres.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text('CREATE DATABASE "gaps_restart"'))
    admin.dispose()
    database_url = own_postgres.url.rsplit("/", 1)[0] + "/gaps_restart"
    app = make_app(database_url)
    with app.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        services.load_seed(read_seed(SEED_DIR))
        services.ensure_demo_accounts(DEMO_PASSWORD)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="restart-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()


class Outcomes:
    """What the clients were answered, with the moment of each answer."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.answers: list[tuple[float, str, int, str | None]] = []
        self.acknowledged_writes = 0
        # Writes whose commit reached the database but whose answer was lost with it: the
        # writer finds them by reading back; the 503 must not have said nothing was saved.
        self.saved_unacknowledged = 0
        self.false_nothing_saved = 0

    def record(self, who: str, status: int, retry_after: str | None) -> None:
        """Keep one answer."""
        with self.lock:
            self.answers.append((time.monotonic(), who, status, retry_after))

    def statuses(self, who: str | None = None, since: float = 0.0) -> list[int]:
        """The statuses answered (to one client, after a moment)."""
        return [status for at, client, status, _ in self.answers
                if (who is None or client == who) and at >= since]


def _call(method: str, url: str, token: str, body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers.get("Retry-After"), json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After"), json.load(error)


def _reader(base: str, token: str, outcomes: Outcomes, stop: threading.Event) -> None:
    while not stop.is_set():
        for path in ("/api/v1/requirements", "/api/v1/gaps"):
            status, retry_after, _ = _call("GET", base + path, token)
            outcomes.record("reader", status, retry_after)


def _writer(base: str, token: str, requirement_id: int, outcomes: Outcomes,
            stop: threading.Event) -> None:
    url = f"{base}/api/v1/requirements/{requirement_id}"
    version = None
    number = 0
    unanswered = None  # (text, message) of a write answered 503
    while not stop.is_set():
        if version is None:
            status, retry_after, body = _call("GET", url, token)
            outcomes.record("writer", status, retry_after)
            if status != 200:
                continue
            version = body["version"]
            if unanswered and body["rationale"] == unanswered[0]:
                outcomes.saved_unacknowledged += 1
                outcomes.false_nothing_saved += "Nothing you sent" in unanswered[1]
            unanswered = None
            continue
        number += 1
        status, retry_after, body = _call("PATCH", url, token,
                                          {"version": version, "rationale": f"write {number}"})
        outcomes.record("writer", status, retry_after)
        if status == 200:
            outcomes.acknowledged_writes += 1
            version = body["version"]
        else:
            if status == 503:
                unanswered = (f"write {number}", body["error"]["message"])
            version = None


def test_a_postgresql_restart_under_load_gives_503s_then_recovers_losing_nothing(
        own_postgres, served):
    base, app = served
    with app.app_context():
        token = services.issue_api_token("manager@example.org", scope="write")
        requirement = db.session.execute(select(Requirement).order_by(Requirement.id)
                                         .limit(1)).scalar_one()
        requirement_id, first_version = requirement.id, requirement.version
        db.session.remove()
    outcomes, stop = Outcomes(), threading.Event()
    clients = [threading.Thread(target=_reader, args=(base, token, outcomes, stop)),
               threading.Thread(target=_writer,
                                args=(base, token, requirement_id, outcomes, stop))]
    for client in clients:
        client.start()
    try:
        time.sleep(LOAD_BEFORE_RESTART_SECONDS)
        own_postgres.restart()
        restarted_at = time.monotonic()
        deadline = restarted_at + MOST_SECONDS_TO_RECOVER
        while not (200 in outcomes.statuses("reader", restarted_at)
                   and 200 in outcomes.statuses("writer", restarted_at)):
            assert time.monotonic() < deadline, "the service did not recover"
            time.sleep(0.1)
        time.sleep(LOAD_AFTER_RECOVERY_SECONDS)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=60)

    statuses = outcomes.statuses()
    assert [status for status in statuses if status >= 500 and status != 503] == []
    assert 503 in statuses, "no request met the restart: it proved nothing"
    assert all(retry_after for _, _, status, retry_after in outcomes.answers
               if status == 503)
    assert set(statuses) <= {200, 409, 503}
    assert outcomes.acknowledged_writes > 0
    with app.app_context():
        version = db.session.execute(select(Requirement.version)
                                     .where(Requirement.id == requirement_id)).scalar_one()
        db.session.remove()
    assert outcomes.false_nothing_saved == 0
    assert version - first_version == (outcomes.acknowledged_writes
                                       + outcomes.saved_unacknowledged)
    assert outcomes.saved_unacknowledged <= 1  # only a write in flight when it stopped
