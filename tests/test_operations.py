"""Running it for real: health check, secret key, proxy, logs, backups, concurrent writers."""

import json
import logging
import multiprocessing
import os
import socket
import subprocess
import time
import urllib.request

import flask_migrate
import pytest
from sqlalchemy import inspect, select, text

from gaps import services
from gaps.config import PROJECT_ROOT, refuse_weak_secret_key
from gaps.extensions import db as database
from gaps.models import Requirement, User
from tests.conftest import DEMO_PASSWORD, MIGRATIONS_DIR, make_app


def test_healthz_says_the_database_is_reachable_and_at_head(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["schema"] == "at head"
    assert body["revision"] == body["head"]


def test_healthz_reports_a_schema_behind_head(app, db):
    with app.app_context():
        flask_migrate.downgrade(directory=str(MIGRATIONS_DIR), revision="-1")
        database.session.remove()
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["schema"] == "behind"


def test_healthz_reports_an_unreachable_database(databases):
    url = databases.empty()
    app = make_app(url)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable or not migrated"
    with app.app_context():
        database.engine.dispose()
    databases.drop(url)


@pytest.mark.parametrize("key", [None, "", "development-only-not-secret", "short"])
def test_a_real_secret_key_is_required_outside_development(key):
    with pytest.raises(RuntimeError, match="Set SECRET_KEY"):
        refuse_weak_secret_key(key)


def test_the_application_refuses_to_start_in_production_without_a_key(monkeypatch):
    monkeypatch.setenv("GAPS_ENV", "production")
    with pytest.raises(RuntimeError, match="Set SECRET_KEY"):
        make_app("sqlite://", TESTING=False, SECRET_KEY="development-only-not-secret")
    make_app("sqlite://", TESTING=False, SECRET_KEY="x" * 40)


def test_one_trusted_proxy_gives_the_client_address_and_scheme(database_url):
    app = make_app(database_url, GAPS_PROXY_COUNT=1)
    seen = {}

    @app.get("/test-only-where-from")
    def where_from():
        from flask import request
        seen.update(addr=request.remote_addr, scheme=request.scheme)
        return ""

    app.test_client().get("/test-only-where-from", headers={
        "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})
    assert seen == {"addr": "203.0.113.9", "scheme": "https"}


def _lines(caplog, logger: str) -> list[dict]:
    return [dict(getattr(record, "fields", {}), message=record.getMessage())
            for record in caplog.records if record.name == logger]


def test_each_request_is_one_log_line_with_a_request_id(client, caplog):
    caplog.set_level(logging.INFO, logger="gaps")
    response = client.get("/sign-in", headers={"X-Request-ID": "trace-42"})
    assert response.headers["X-Request-ID"] == "trace-42"
    lines = _lines(caplog, "gaps.requests")
    assert len(lines) == 1
    assert lines[0]["request_id"] == "trace-42" and lines[0]["status"] == 200
    assert lines[0]["path"] == "/sign-in" and lines[0]["duration_ms"] >= 0
    unsafe = client.get("/sign-in", headers={"X-Request-ID": "bad id; with spaces"})
    assert len(unsafe.headers["X-Request-ID"]) == 32


def test_the_json_formatter_writes_one_line_per_record():
    from gaps.observability import JsonLines
    record = logging.LogRecord("gaps.requests", logging.INFO, __file__, 1, "request", (), None)
    record.fields = {"request_id": "abc", "status": 200}
    line = JsonLines().format(record)
    assert "\n" not in line
    assert json.loads(line)["request_id"] == "abc"


def test_security_events_have_their_own_logger(client, login_as, caplog):
    caplog.set_level(logging.INFO, logger="gaps")
    client.post("/sign-in", data={"email": "manager@example.org", "password": "wrong"})
    login_as("collector").get("/register")
    login_as("reviewer").get("/register/export?format=csv")
    events = [line["event"] for line in _lines(caplog, "gaps.security")]
    assert {"sign_in_failed", "sign_in", "refused", "export"} <= set(events)


def test_no_password_token_or_session_cookie_reaches_a_log(client, login_as, api_token,
                                                           caplog):
    caplog.set_level(logging.DEBUG)
    secret_typed_as_email = "Tr0ub4dor&3-typed-in-the-wrong-box"
    client.post("/sign-in", data={"email": secret_typed_as_email, "password": "whatever"})
    client.post("/sign-in", data={"email": "manager@example.org", "password": "wrong-password"})
    browser = login_as("manager")
    cookie = browser.get_cookie("session").value
    browser.get("/requirements")
    headers = api_token("reviewer")
    token = headers["Authorization"].removeprefix("Bearer ")
    client.get("/api/v1/register", headers=headers)
    client.get("/api/v1/gaps", headers={"Authorization": "Bearer not-a-real-token-value"})
    everything = "\n".join(f"{record.getMessage()} {getattr(record, 'fields', '')}"
                           for record in caplog.records)
    assert everything, "nothing was logged at all"
    for secret in (DEMO_PASSWORD, "wrong-password", secret_typed_as_email, cookie, token,
                   "not-a-real-token-value"):
        assert secret not in everything


def _table_contents(app) -> dict:
    with app.app_context():
        names = sorted(inspect(database.engine).get_table_names())
        contents = {}
        with database.engine.connect() as connection:
            for name in names:
                rows = connection.execute(text(f'SELECT * FROM "{name}"')).all()  # noqa: S608
                contents[name] = sorted(tuple(str(value) for value in row) for row in rows)
        return contents


def test_backup_and_restore_round_trip_every_table(app, runner, db, tmp_path):
    backup_file = tmp_path / "gaps.backup"
    result = runner.invoke(args=["backup", "-o", str(backup_file)])
    assert result.exit_code == 0, result.output
    before = _table_contents(app)

    manager = db.session.execute(select(User).filter_by(email="manager@example.org")).scalar_one()
    requirement = db.session.execute(select(Requirement).filter_by(ref="R-059")).scalar_one()
    services.update_requirement(manager, requirement.id, requirement.version,
                                {"question": "Changed after the backup?"})
    services.take_snapshot(manager, "After the backup")
    assert _table_contents(app) != before

    db.session.remove()
    refused = runner.invoke(args=["restore", str(backup_file)])
    assert refused.exit_code != 0 and "--yes" in refused.output
    result = runner.invoke(args=["restore", str(backup_file), "--yes"])
    assert result.exit_code == 0, result.output
    assert _table_contents(app) == before


def test_restoring_something_that_is_not_a_backup_fails_clearly(runner, tmp_path):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"this is not a backup at all")
    result = runner.invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code != 0
    message = result.output.lower()
    assert "not an sqlite backup" in message or "pg_restore failed" in message


def _increment_counters(database_url: str, requirement_ids: list[int], changes: int,
                        results) -> None:
    """One writer process: read a counter, add one, write it back; again on a stale read."""
    app = make_app(database_url)
    applied = retried = 0
    errors = []
    with app.app_context():
        actor = database.session.execute(
            select(User).filter_by(email="manager@example.org")).scalar_one()
        for number in range(changes):
            requirement_id = requirement_ids[number % len(requirement_ids)]
            while True:
                database.session.expire_all()
                requirement = database.session.get(Requirement, requirement_id)
                value = int(requirement.rationale or 0) + 1
                try:
                    services.update_requirement(actor, requirement_id, requirement.version,
                                                {"rationale": str(value)})
                except services.StaleVersion:
                    retried += 1
                    continue
                except Exception as error:  # noqa: BLE001 - reported to the test, not hidden
                    errors.append(repr(error))
                    break
                applied += 1
                break
        database.engine.dispose()
    results.put({"applied": applied, "retried": retried, "errors": errors, "pid": os.getpid()})


def test_two_processes_writing_at_once_lose_nothing(database_url, db):
    requirements = db.session.execute(select(Requirement).order_by(Requirement.ref).limit(3)
                                      ).scalars().all()
    ids = [requirement.id for requirement in requirements]
    for requirement in requirements:
        requirement.rationale = "0"
    db.session.commit()
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    writers = [context.Process(target=_increment_counters,
                               args=(database_url, ids, 200, results)) for _ in range(2)]
    for writer in writers:
        writer.start()
    outcomes = [results.get(timeout=300) for _ in writers]
    for writer in writers:
        writer.join(timeout=60)
    assert [outcome["errors"] for outcome in outcomes] == [[], []]
    assert [outcome["applied"] for outcome in outcomes] == [200, 200]
    db.session.expire_all()
    total = sum(int(db.session.get(Requirement, requirement_id).rationale) for requirement_id
                in ids)
    assert total == 400


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gunicorn(database_url: str, port: int, secret_key: str | None) -> subprocess.Popen:
    environment = {**os.environ, "DATABASE_URL": database_url, "GAPS_ENV": "production",
                   "GAPS_PROXY_COUNT": "1"}
    environment.pop("SECRET_KEY", None)
    if secret_key:
        environment["SECRET_KEY"] = secret_key
    return subprocess.Popen(  # noqa: S603
        [str(PROJECT_ROOT / ".venv" / "bin" / "gunicorn"), "--workers", "2", "--bind",
         f"127.0.0.1:{port}", "app:app"], cwd=PROJECT_ROOT, env=environment,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_gunicorn_serves_the_application_with_several_workers(database_url):
    port = _free_port()
    server = _gunicorn(database_url, port, secret_key="k" * 48)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
                    assert json.load(response)["status"] == "ok"
                    break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer in 30 s"
                time.sleep(0.3)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/sign-in",
                                         headers={"X-Forwarded-Proto": "https"})
        with urllib.request.urlopen(request) as response:
            assert response.status == 200
            assert response.headers["X-Frame-Options"] == "DENY"
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert output.count("Booting worker") >= 2


@pytest.mark.parametrize("secret_key", [None, "too-short"])
def test_gunicorn_refuses_to_start_without_a_secret_key_in_one_line(database_url, secret_key):
    server = _gunicorn(database_url, _free_port(), secret_key=secret_key)
    output = server.communicate(timeout=60)[0]
    assert server.returncode != 0
    refusals = [line for line in output.splitlines() if "Set SECRET_KEY" in line]
    assert refusals and all(line.startswith("gaps refused to start: ") for line in refusals)
    # Ours is one line; gunicorn's master may still print its own trace when two workers
    # fail together, but never one through the application.
    assert "UnsafeConfiguration" not in output
    for own_code in (PROJECT_ROOT / "gaps", PROJECT_ROOT / "app.py"):  # no frame of ours
        assert f'File "{own_code}' not in output


@pytest.mark.parametrize("secret_key", [None, "development-only-not-secret"])
def test_flask_commands_refuse_a_weak_secret_key_in_one_line(database_url, secret_key):
    environment = {**os.environ, "DATABASE_URL": database_url, "GAPS_ENV": "production"}
    environment.pop("SECRET_KEY", None)
    if secret_key:
        environment["SECRET_KEY"] = secret_key
    finished = subprocess.run(  # noqa: S603
        [str(PROJECT_ROOT / ".venv" / "bin" / "flask"), "db", "current"], cwd=PROJECT_ROOT,
        env=environment, capture_output=True, text=True, timeout=120, check=False)
    assert finished.returncode != 0
    assert finished.stderr.strip().splitlines() == [finished.stderr.strip()]
    assert finished.stderr.startswith("gaps refused to start: Set SECRET_KEY")


def test_backup_refuses_to_replace_a_file_unless_forced(runner, tmp_path):
    existing = tmp_path / "gaps.backup"
    existing.write_bytes(b"an older backup")
    refused = runner.invoke(args=["backup", "-o", str(existing)])
    assert refused.exit_code != 0
    assert "--force" in refused.output
    assert existing.read_bytes() == b"an older backup"
    forced = runner.invoke(args=["backup", "-o", str(existing), "--force"])
    assert forced.exit_code == 0, forced.output
    assert existing.read_bytes() != b"an older backup"


def test_forwarding_headers_from_an_untrusted_peer_are_ignored(database_url):
    app = make_app(database_url, GAPS_PROXY_COUNT=1, GAPS_TRUSTED_PROXIES="192.0.2.1, 10.0.0.0/8")
    seen = []

    @app.get("/test-only-where-from")
    def where_from():
        from flask import request
        seen.append((request.remote_addr, request.scheme))
        return ""

    forged = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    app.test_client().get("/test-only-where-from", headers=forged,
                          environ_base={"REMOTE_ADDR": "198.51.100.4"})
    app.test_client().get("/test-only-where-from", headers=forged,
                          environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert seen == [("198.51.100.4", "http"), ("203.0.113.9", "https")]
