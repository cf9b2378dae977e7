"""What a browser or proxy may keep, and what /healthz tells whom."""

import pytest

from tests.conftest import make_app

ELSEWHERE = {"REMOTE_ADDR": "203.0.113.7"}


@pytest.mark.parametrize("url", [
    "/register", "/gaps", "/register/export?format=csv", "/register/export?format=xlsx",
    "/register/export?format=json", "/register/export?format=pdf", "/api/v1/gaps",
])
def test_nothing_a_signed_in_user_is_shown_may_be_stored(login_as, url):
    response = login_as("reviewer").get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_api_answers_to_a_token_may_not_be_stored(client, api_token):
    response = client.get("/api/v1/requirements", headers=api_token("manager"))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_shared_files_stay_cacheable(client):
    response = client.get("/static/build/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize(("secure", "expected"), [(True, True), (False, False)])
def test_hsts_only_when_the_cookies_are_for_tls(database_url, secure, expected):
    app = make_app(database_url, SESSION_COOKIE_SECURE=secure)
    response = app.test_client().get("/sign-in")
    assert ("Strict-Transport-Security" in response.headers) is expected
    if expected:
        assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_healthz_tells_a_stranger_only_ok(client):
    response = client.get("/healthz", environ_base=ELSEWHERE)
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_tells_a_stranger_only_not_ok_when_behind(app, db):
    db.session.execute(db.text("UPDATE alembic_version SET version_num = 'older'"))
    db.session.commit()
    response = app.test_client().get("/healthz", environ_base=ELSEWHERE)
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}


def test_healthz_tells_a_signed_in_admin_the_revisions(login_as):
    admin = login_as("admin")
    body = admin.get("/healthz", environ_base=ELSEWHERE).get_json()
    assert body["schema"] == "at head" and body["revision"] == body["head"]


def test_healthz_tells_other_roles_only_ok(login_as):
    manager = login_as("manager")
    assert manager.get("/healthz", environ_base=ELSEWHERE).get_json() == {"status": "ok"}


def test_healthz_tells_this_machine_the_details(client):
    body = client.get("/healthz", environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_json()
    assert body["database"] == "reachable" and "revision" in body
