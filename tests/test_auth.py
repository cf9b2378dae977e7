"""Signing in and out: one message for every failure, replayed cookies refused, throttling."""

import pytest
from sqlalchemy import select

from gaps.models import AuditEvent, User
from tests.conftest import DEMO_PASSWORD, make_app

REFUSAL = "Enter a correct email address and password."


def test_sign_in_with_the_right_password_lands_on_the_start_page(client):
    response = client.post("/sign-in", data={"email": "Manager@Example.org ",
                                             "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/", follow_redirects=True).status_code == 200


@pytest.mark.parametrize(("email", "password"), [
    ("manager@example.org", "not-the-password"),
    ("nobody@example.org", DEMO_PASSWORD),
])
def test_unknown_email_and_wrong_password_get_the_same_message(client, email, password):
    response = client.post("/sign-in", data={"email": email, "password": password})
    assert response.status_code == 400
    assert REFUSAL in response.text
    assert "nobody" not in response.text.replace('value="nobody@example.org"', "")


def test_empty_fields_are_form_errors(client):
    response = client.post("/sign-in", data={"email": "", "password": ""})
    assert response.status_code == 400
    assert "Enter your email address" in response.text
    assert "Enter your password" in response.text


def test_a_cookie_replayed_after_sign_out_is_refused(login_as):
    browser = login_as("manager")
    cookie = browser.get_cookie("session")
    assert browser.get("/requirements").status_code == 200
    browser.post("/sign-out")
    assert browser.get("/requirements").status_code == 302

    thief = browser.application.test_client()
    thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    response = thief.get("/requirements")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_sign_out_ends_every_session_of_the_user(login_as):
    first, second = login_as("reviewer"), login_as("reviewer")
    first.post("/sign-out")
    assert second.get("/requirements").status_code == 302


@pytest.mark.parametrize(("next_target", "expected"), [
    ("/requirements?status=draft", "/requirements?status=draft"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
])
def test_next_only_leads_to_our_own_pages(client, next_target, expected):
    response = client.post("/sign-in", query_string={"next": next_target},
                           data={"email": "manager@example.org", "password": DEMO_PASSWORD})
    assert response.headers["Location"] == expected


def test_a_page_asks_strangers_to_sign_in_and_comes_back(client):
    response = client.get("/gaps?theme=Victims")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


def test_repeated_failures_lock_the_account_for_a_while(app, client, db):
    limit = app.config["GAPS_MAX_FAILED_SIGN_INS"]
    for _ in range(limit):
        client.post("/sign-in", data={"email": "manager@example.org", "password": "wrong-one"})
    response = client.post("/sign-in", data={"email": "manager@example.org",
                                             "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert REFUSAL in response.text
    user = db.session.execute(select(User).where(User.email == "manager@example.org")).scalar_one()
    assert user.locked_until is not None


def test_sign_ins_and_failures_are_audited(client, db):
    client.post("/sign-in", data={"email": "manager@example.org", "password": "wrong-one"})
    client.post("/sign-in", data={"email": "manager@example.org", "password": DEMO_PASSWORD})
    actions = db.session.execute(
        select(AuditEvent.action, AuditEvent.reason).where(AuditEvent.action.like("sign_in%"))
        .order_by(AuditEvent.id)
    ).all()
    assert actions[-2:] == [("sign_in_failed", "wrong password"), ("sign_in", None)]


def test_passwords_are_stored_as_argon2_hashes(db):
    user = db.session.execute(select(User).where(User.email == "admin@example.org")).scalar_one()
    assert user.password_hash.startswith("$argon2id$")
    assert DEMO_PASSWORD not in user.password_hash


def test_sign_in_is_rate_limited(database_url):
    app = make_app(database_url, RATELIMIT_ENABLED=True, GAPS_LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [client.post("/sign-in", data={"email": "x@example.org", "password": "y"}
                            ).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_forms_need_a_csrf_token(database_url):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/sign-in", data={"email": "manager@example.org",
                                             "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert "The form had expired" in response.text


def test_responses_carry_security_headers(client):
    response = client.get("/sign-in")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.text
