"""Accounts and API tokens managed in the browser and on the command line: scopes, expiry,
revocation, re-authentication, forced password changes, sessions ended, the last admin."""

import logging
from datetime import timedelta

import flask_migrate
import pytest
from sqlalchemy import select, text

from gaps.extensions import db as database
from gaps.models import ApiToken, AuditEvent, User, utcnow
from gaps.passwords import token_digest
from tests.conftest import DEMO_PASSWORD, MIGRATIONS_DIR, make_app

NEW_PASSWORD = "a quiet harbour at dusk"  # noqa: S105


def _user(db, email: str) -> User:
    db.session.expire_all()
    return db.session.execute(select(User).where(User.email == email)).scalar_one()


def _token(db, secret: str) -> ApiToken:
    db.session.expire_all()
    return db.session.execute(select(ApiToken).where(
        ApiToken.token_hash == token_digest(secret))).scalar_one()


def _bearer(headers: dict) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def _audited(db, action: str) -> list[AuditEvent]:
    return db.session.execute(select(AuditEvent).where(AuditEvent.action == action)
                              ).scalars().all()


# API tokens

def test_a_read_token_reads_but_writing_is_403_with_a_clear_message(client, api_token):
    headers = api_token("manager", scope="read")
    assert client.get("/api/v1/requirements", headers=headers).status_code == 200
    for method in ("POST", "PATCH", "PUT", "DELETE"):
        response = client.open("/api/v1/requirements/1", method=method, headers=headers,
                               json={})
        assert response.status_code == 403, method
        assert response.json["error"]["code"] == "insufficient_scope"
        assert "may only read" in response.json["error"]["message"]


def test_a_write_token_writes(client, api_token):
    headers = api_token("manager", scope="write")
    response = client.post("/api/v1/requirements/1", headers=headers, json={})
    assert response.status_code != 403


def test_revoked_and_expired_tokens_are_401(client, api_token, db):
    revoked, expired = api_token("manager"), api_token("manager")
    _token(db, _bearer(revoked)).revoked_at = utcnow()
    db.session.commit()
    _token(db, _bearer(expired)).expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get("/api/v1/requirements", headers=revoked)
    assert response.status_code == 401 and response.json["error"]["code"] == "token_revoked"
    response = client.get("/api/v1/requirements", headers=expired)
    assert response.status_code == 401 and response.json["error"]["code"] == "token_expired"


def test_last_use_is_written_at_most_once_a_minute(client, api_token, db):
    headers = api_token("reviewer")
    assert _token(db, _bearer(headers)).last_used_at is None
    client.get("/api/v1/teams", headers=headers)
    first = _token(db, _bearer(headers)).last_used_at
    assert first is not None
    client.get("/api/v1/teams", headers=headers)
    assert _token(db, _bearer(headers)).last_used_at == first
    _token(db, _bearer(headers)).last_used_at = first - timedelta(minutes=2)
    db.session.commit()
    client.get("/api/v1/teams", headers=headers)
    assert _token(db, _bearer(headers)).last_used_at > first - timedelta(minutes=2)


def test_a_token_made_at_account_is_shown_once_and_stored_hashed(login_as, client, db):
    browser = login_as("collector")
    response = browser.post("/account/tokens/new", data={
        "name": "nightly script", "scope": "read", "expires_days": "7",
        "current_password": DEMO_PASSWORD})
    assert response.status_code == 200
    secret = response.text.split('<code id="secret">')[1].split("</code>")[0]
    token = _token(db, secret)
    assert token.name == "nightly script" and token.scope == "read"
    assert timedelta(days=6) < token.expires_at - utcnow() <= timedelta(days=7)
    assert secret not in browser.get("/account").text
    assert client.get("/api/v1/requirements",
                      headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_the_default_lifetime_is_a_setting(app, login_as, db):
    app.config["GAPS_TOKEN_DAYS"] = 30
    login_as("reviewer").post("/account/tokens/new", data={
        "name": "x", "scope": "read", "current_password": DEMO_PASSWORD})
    token = db.session.execute(select(ApiToken)).scalars().one()
    assert timedelta(days=29) < token.expires_at - utcnow() <= timedelta(days=30)


def test_making_a_token_with_the_wrong_password_is_refused_and_recorded(login_as, db, caplog):
    caplog.set_level(logging.INFO, logger="gaps.security")
    response = login_as("manager").post("/account/tokens/new", data={
        "name": "x", "scope": "write", "current_password": "not-my-password"})
    assert response.status_code == 422
    assert "Your current password is not right" in response.text
    assert db.session.execute(select(ApiToken)).first() is None
    assert _audited(db, "reauthentication_failed")
    assert any(record.getMessage() == "reauthentication_failed" for record in caplog.records)


def test_owners_revoke_their_own_tokens_but_not_others(login_as, api_token, client, db):
    mine, theirs = api_token("manager"), api_token("reviewer")
    browser = login_as("manager")
    page = browser.get("/account")
    assert "test" in page.text and "Revoke" in page.text
    assert browser.post(f"/account/tokens/{_token(db, _bearer(theirs)).id}/revoke"
                        ).status_code == 404
    assert client.get("/api/v1/teams", headers=theirs).status_code == 200
    browser.post(f"/account/tokens/{_token(db, _bearer(mine)).id}/revoke")
    assert client.get("/api/v1/teams", headers=mine).status_code == 401
    assert _audited(db, "api_token_revoked")


def test_admins_list_and_revoke_anyones_tokens(login_as, api_token, client, db):
    headers = api_token("collector")
    collector = _user(db, "collector@example.org")
    admin = login_as("admin")
    assert "Revoke" in admin.get(f"/admin/users/{collector.id}").text
    token_id = _token(db, _bearer(headers)).id
    response = admin.post(f"/admin/users/{collector.id}/tokens/{token_id}/revoke")
    assert response.status_code == 302
    assert client.get("/api/v1/teams", headers=headers).status_code == 401


def test_the_command_line_issues_lists_and_revokes_tokens(runner, client, db):
    result = runner.invoke(args=["users", "token", "manager@example.org", "--name", "sync",
                                 "--scope", "write", "--expires-days", "10"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    token = _token(db, secret)
    assert (token.name, token.scope) == ("sync", "write")
    second = runner.invoke(args=["users", "token", "manager@example.org"]).output.strip()
    assert _token(db, second).scope == "read"
    listing = runner.invoke(args=["users", "tokens", "manager@example.org"])
    assert listing.exit_code == 0
    assert "sync\twrite" in listing.output and "never" in listing.output
    assert secret not in listing.output
    result = runner.invoke(args=["users", "revoke-tokens", "manager@example.org",
                                 "--id", str(token.id)])
    assert result.exit_code == 0 and "1 token(s) revoked" in result.output
    assert client.get("/api/v1/teams",
                      headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert client.get("/api/v1/teams",
                      headers={"Authorization": f"Bearer {second}"}).status_code == 200
    result = runner.invoke(args=["users", "revoke-tokens", "manager@example.org"])
    assert "1 token(s) revoked" in result.output
    assert client.get("/api/v1/teams",
                      headers={"Authorization": f"Bearer {second}"}).status_code == 401
    result = runner.invoke(args=["users", "revoke-tokens", "reviewer@example.org",
                                 "--id", str(token.id)])
    assert result.exit_code != 0 and "has no token" in result.output


def test_existing_tokens_keep_writing_for_90_days_after_the_migration(databases):
    url = databases.empty()
    app = make_app(url)
    with app.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR), revision="96bf2a1b9eb7")
        with database.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO \"user\" (email, role, password_hash, session_token, "
                "failed_sign_ins, active, created_at) VALUES ('old@example.org', 'manager', "
                "'x', 's', 0, true, '2026-01-01 00:00:00')"))
            connection.execute(text(
                "INSERT INTO api_token (user_id, token_hash, created_at) "
                "SELECT id, 'digest', '2026-01-01 00:00:00' FROM \"user\""))
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        token = database.session.execute(select(ApiToken)).scalar_one()
        assert (token.name, token.scope) == ("issued before names", "write")
        assert timedelta(days=89) < token.expires_at - utcnow() <= timedelta(days=90)
        database.session.remove()
        database.engine.dispose()
    databases.drop(url)


# Accounts in the browser

def test_an_admin_creates_an_account_with_a_generated_password_shown_once(login_as, client, db):
    response = login_as("admin").post("/admin/users/new", data={
        "email": "New.Analyst@example.org", "name": "New Analyst", "role": "collector",
        "team": str(_user(db, "collector@example.org").team_id), "password": "",
        "current_password": DEMO_PASSWORD})
    assert response.status_code == 200
    password = response.text.split('<code id="password">')[1].split("</code>")[0]
    user = _user(db, "new.analyst@example.org")
    assert (user.name, user.role, user.must_change_password) == ("New Analyst", "collector", True)
    assert password not in user.password_hash
    client.post("/sign-in", data={"email": "new.analyst@example.org", "password": password})
    for page in ("/", "/requirements", "/account"):
        response = client.get(page)
        assert response.status_code == 302 and response.headers["Location"] == "/account/password"
    assert client.get("/api/v1/teams").status_code == 403
    response = client.post("/account/password", data={
        "current_password": password, "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/requirements").status_code == 200
    assert _user(db, "new.analyst@example.org").must_change_password is False


@pytest.mark.parametrize(("password", "message"), [
    ("short", "at least 12 characters"),
    ("someone@example.org", "e-mail address"),
    ("password1234", "most common"),
])
def test_weak_first_passwords_are_refused(login_as, db, password, message):
    response = login_as("admin").post("/admin/users/new", data={
        "email": "someone@example.org", "role": "reviewer", "password": password,
        "current_password": DEMO_PASSWORD})
    assert response.status_code == 422
    assert message in response.text
    assert db.session.execute(select(User).where(User.email == "someone@example.org")
                              ).first() is None


def test_changing_a_role_asks_for_the_admins_password(login_as, db):
    reviewer = _user(db, "reviewer@example.org")
    admin = login_as("admin")
    response = admin.post(f"/admin/users/{reviewer.id}/role", data={
        "role": "manager", "team": "", "current_password": "wrong password!"})
    assert response.status_code == 422
    assert _user(db, "reviewer@example.org").role == "reviewer"
    response = admin.post(f"/admin/users/{reviewer.id}/role", data={
        "role": "manager", "team": "", "current_password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert _user(db, "reviewer@example.org").role == "manager"
    event = _audited(db, "role_changed")[-1]
    assert (event.old, event.new, event.actor) == ("reviewer", "manager", "admin@example.org")


def test_an_admin_cannot_deactivate_themselves_or_remove_the_last_admin(login_as, db):
    admin_user = _user(db, "admin@example.org")
    admin = login_as("admin")
    response = admin.post(f"/admin/users/{admin_user.id}/deactivate", follow_redirects=True)
    assert "cannot deactivate your own account" in response.text
    response = admin.post(f"/admin/users/{admin_user.id}/role", data={
        "role": "manager", "current_password": DEMO_PASSWORD})
    assert response.status_code == 422 and "last active admin" in response.text
    assert _user(db, "admin@example.org").active and _user(db, "admin@example.org").role == "admin"


def test_a_deactivated_account_cannot_sign_in_or_use_its_tokens(login_as, api_token, client, db):
    headers = api_token("manager")
    session = login_as("manager")
    manager = _user(db, "manager@example.org")
    login_as("admin").post(f"/admin/users/{manager.id}/deactivate")
    assert _user(db, "manager@example.org").active is False
    assert session.get("/requirements").status_code == 302
    assert client.post("/sign-in", data={"email": "manager@example.org",
                                         "password": DEMO_PASSWORD}).status_code == 400
    assert client.get("/api/v1/teams", headers=headers).status_code == 401
    login_as("admin").post(f"/admin/users/{manager.id}/reactivate")
    assert client.get("/api/v1/teams", headers=headers).status_code == 200
    assert login_as("manager").get("/requirements").status_code == 200
    assert _audited(db, "user_deactivated") and _audited(db, "user_reactivated")


def test_a_reset_password_ends_sessions_and_must_be_changed(login_as, client, db):
    session = login_as("reviewer")
    reviewer = _user(db, "reviewer@example.org")
    admin = login_as("admin")
    assert admin.post(f"/admin/users/{reviewer.id}/reset-password",
                      data={"current_password": "wrong password!"}).status_code == 422
    response = admin.post(f"/admin/users/{reviewer.id}/reset-password",
                          data={"current_password": DEMO_PASSWORD})
    password = response.text.split('<code id="password">')[1].split("</code>")[0]
    assert session.get("/register").status_code == 302
    assert client.post("/sign-in", data={"email": "reviewer@example.org",
                                         "password": DEMO_PASSWORD}).status_code == 400
    client.post("/sign-in", data={"email": "reviewer@example.org", "password": password})
    assert client.get("/register").headers["Location"] == "/account/password"
    assert _audited(db, "password_reset")


def test_changing_ones_password_ends_other_sessions_and_may_revoke_tokens(
        login_as, api_token, client, db, caplog):
    caplog.set_level(logging.INFO, logger="gaps.security")
    headers = api_token("manager")
    here, elsewhere = login_as("manager"), login_as("manager")
    response = here.post("/account/password", data={
        "current_password": "wrong password!", "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD})
    assert response.status_code == 422
    response = here.post("/account/password", data={
        "current_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD, "revoke_tokens": "y"})
    assert response.status_code == 302
    assert here.get("/requirements").status_code == 200
    assert elsewhere.get("/requirements").status_code == 302
    assert client.get("/api/v1/teams", headers=headers).status_code == 401
    assert login_as("manager", NEW_PASSWORD).get("/requirements").status_code == 200
    assert any(record.getMessage() == "password_changed" for record in caplog.records)


def test_changing_ones_password_keeps_tokens_unless_asked(login_as, api_token, client):
    headers = api_token("manager")
    login_as("manager").post("/account/password", data={
        "current_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD})
    assert client.get("/api/v1/teams", headers=headers).status_code == 200


@pytest.mark.parametrize(("new", "confirm", "message"), [
    (NEW_PASSWORD, "something else entirely", "The two new passwords differ"),
    ("manager@example.org", "manager@example.org", "e-mail address"),
    ("password1234", "password1234", "most common"),
    (DEMO_PASSWORD, DEMO_PASSWORD, "must differ from the current one"),
])
def test_a_new_password_must_follow_the_rules(login_as, new, confirm, message):
    response = login_as("manager").post("/account/password", data={
        "current_password": DEMO_PASSWORD, "new_password": new, "confirm_password": confirm})
    assert response.status_code in (400, 422)
    assert message in response.text


def test_set_password_reads_it_twice_from_piped_standard_input(runner, login_as, db):
    session = login_as("reviewer")
    result = runner.invoke(args=["users", "set-password", "Reviewer@example.org"],
                           input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert session.get("/register").status_code == 302
    assert login_as("reviewer", NEW_PASSWORD).get("/register").status_code == 200
    result = runner.invoke(args=["users", "set-password", "reviewer@example.org"],
                           input=f"{NEW_PASSWORD}\nsomething else\n")
    assert result.exit_code != 0 and "differ" in result.output
    result = runner.invoke(args=["users", "set-password", "reviewer@example.org"],
                           input="short\nshort\n")
    assert result.exit_code != 0 and "at least 12 characters" in result.output
    assert _audited(db, "password_set")


def test_a_first_password_chosen_by_the_admin_must_be_changed_too(login_as, client, db):
    response = login_as("admin").post("/admin/users/new", data={
        "email": "chosen@example.org", "role": "reviewer", "password": NEW_PASSWORD,
        "current_password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert NEW_PASSWORD not in login_as("admin").get(response.headers["Location"]).text
    client.post("/sign-in", data={"email": "chosen@example.org", "password": NEW_PASSWORD})
    assert client.get("/register").headers["Location"] == "/account/password"


def test_the_accounts_page_no_longer_sends_admins_to_the_command_line(login_as):
    page = login_as("admin").get("/admin/users").text
    assert "flask users" not in page
    assert "Create an account" in page


@pytest.mark.parametrize("role", ["manager", "collector", "reviewer", "admin"])
def test_everyone_has_an_account_page(login_as, role):
    assert login_as(role).get("/account").status_code == 200
    assert login_as(role).get("/account/password").status_code == 200


def test_secure_cookies_use_the_host_prefix(database_url):
    app = make_app(database_url, SESSION_COOKIE_SECURE=True)
    client = app.test_client()
    response = client.post("/sign-in", base_url="https://localhost",
                           data={"email": "manager@example.org", "password": DEMO_PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
