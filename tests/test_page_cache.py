"""The page cache: a kept page is served again only while nothing has changed, only to the
person it was made for, and never with another response's secrets."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from gaps import queries, services
from gaps.extensions import db as database
from gaps.models import ApiToken, Requirement, User, utcnow
from tests.conftest import make_app
from tests.databases import DEMO_PASSWORD


def _first_open_requirement(db) -> Requirement:
    return db.session.execute(select(Requirement).where(Requirement.status == "draft")
                              .order_by(Requirement.id).limit(1)).scalar_one()


def _retitle(app, requirement_id: int, title: str) -> None:
    with app.app_context():
        manager = database.session.execute(
            select(User).where(User.email == "manager@example.org")).scalar_one()
        version = database.session.get(Requirement, requirement_id).version
        services.update_requirement(manager, requirement_id, version,
                                    {"short_title": title, "question": f"{title}?"})


def _token(db) -> str | None:
    stored = db.session.execute(queries.content_token()).scalar_one_or_none()
    db.session.rollback()
    return stored["token"] if stored else None


def test_a_kept_page_costs_one_statement_and_shows_the_same_data(
        app, db, login_as, count_statements):
    reviewer = login_as("reviewer")
    first = reviewer.get("/register")
    with count_statements() as again:
        second = reviewer.get("/register")
    assert second.status_code == 200
    assert again.count == 1  # who is signed in, and whether anything changed: one read
    rows = re.compile(r'<tbody class="govuk-table__body">.*?</tbody>', re.S)
    assert rows.search(first.get_data(as_text=True)).group(0) == \
        rows.search(second.get_data(as_text=True)).group(0)


@pytest.mark.parametrize("path", ["/register", "/requirements/{id}", "/dashboard",
                                  "/api/v1/register"])
def test_a_change_saved_by_another_worker_shows_on_the_next_request(
        app, db, database_url, login_as, api_token, path):
    requirement = _first_open_requirement(db)
    role = "reviewer" if path == "/register" else "manager"
    browser = login_as(role)
    headers = api_token(role) if path.startswith("/api/") else {}
    url = path.format(id=requirement.id)
    before = browser.get(url, headers=headers).get_data(as_text=True)
    assert "Retitled by the other worker" not in before
    browser.get(url, headers=headers)  # now served from this worker's cache

    _retitle(make_app(database_url), requirement.id, "Retitled by the other worker")

    assert "Retitled by the other worker" in browser.get(url, headers=headers).get_data(
        as_text=True)


def test_each_person_gets_their_own_page(app, db, login_as):
    requirement = _first_open_requirement(db)
    url = f"/requirements/{requirement.id}"
    manager_page = login_as("manager").get(url).get_data(as_text=True)
    reviewer_page = login_as("reviewer").get(url).get_data(as_text=True)
    assert "manager@example.org" in manager_page and "reviewer@example.org" not in manager_page
    assert "reviewer@example.org" in reviewer_page and "manager@example.org" not in reviewer_page
    assert "Move this requirement" in manager_page
    assert "Move this requirement" not in reviewer_page


def test_forms_on_a_kept_page_carry_this_response_s_own_secrets(database_url):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    browser = app.test_client()
    sign_in = browser.get("/sign-in").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', sign_in).group(1)
    assert browser.post("/sign-in", data={"csrf_token": csrf, "email": "manager@example.org",
                                          "password": DEMO_PASSWORD}).status_code == 302
    with app.app_context():
        url = f"/requirements/{_first_open_requirement(database).id}"
    first, kept = browser.get(url), browser.get(url)
    for response in (first, kept):
        page = response.get_data(as_text=True)
        assert "csrf-" not in page and "nonce-" not in page
        nonces = set(re.findall(r'<script[^>]*nonce="([^"]+)"', page))
        assert all(f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
                   for nonce in nonces)
        assert len(set(re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', page))) == 1
    kept_token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                           kept.get_data(as_text=True)).group(1)
    assert browser.post("/sign-out", data={"csrf_token": kept_token}).status_code == 302
    assert browser.get(url).status_code == 302, "signed out by the kept page's form"


def test_a_flashed_message_is_shown_on_a_page_that_was_kept(app, login_as):
    reviewer = login_as("reviewer")
    reviewer.get("/register")
    with reviewer.session_transaction() as session:
        session["_flashes"] = [("success", "Snapshot taken for the meeting.")]
    assert "Snapshot taken for the meeting." in reviewer.get("/register").get_data(as_text=True)
    assert "Snapshot taken for the meeting." not in \
        reviewer.get("/register").get_data(as_text=True)


def test_what_changes_the_content_token(app, db):
    before = _token(db)
    requirement = _first_open_requirement(db)
    requirement.short_title = "Changed, then rolled back"
    db.session.flush()
    db.session.rollback()
    assert _token(db) == before, "a rolled-back change changed nothing"

    db.session.execute(update(ApiToken).values(name="bookkeeping"))
    db.session.commit()
    assert _token(db) == before, "recording a token's use is not a change to what pages show"

    db.session.execute(update(Requirement).where(Requirement.id == requirement.id)
                       .values(short_title="Changed in bulk"))
    db.session.commit()
    after_bulk = _token(db)
    assert after_bulk not in (None, before)

    requirement = _first_open_requirement(db)
    requirement.short_title = "Changed one by one"
    db.session.commit()
    assert _token(db) not in (None, before, after_bulk)


def test_a_page_kept_yesterday_is_made_again_today(app, login_as, count_statements,
                                                     monkeypatch):
    reviewer = login_as("reviewer")
    reviewer.get("/register")
    tomorrow = utcnow() + timedelta(days=1)
    monkeypatch.setattr("gaps.page_cache.utcnow", lambda: tomorrow)
    with count_statements() as next_day:
        assert reviewer.get("/register").status_code == 200
    assert next_day.count > 1, "overdue flags and urgency move with the calendar"
