"""The command line: accounts and API tokens."""

from sqlalchemy import select

from gaps.models import ApiToken, User
from gaps.passwords import token_digest


def test_users_create_reads_the_password_from_standard_input(runner, db, client):
    result = runner.invoke(args=["users", "create", "Analyst@Example.org", "--role", "collector",
                                 "--team", "Research and Partnerships"],
                           input="a-long-enough-password\n")
    assert result.exit_code == 0, result.output
    user = db.session.execute(select(User).where(User.email == "analyst@example.org")
                              ).scalar_one()
    assert user.role == "collector" and user.team.name == "Research and Partnerships"
    response = client.post("/sign-in", data={"email": "analyst@example.org",
                                             "password": "a-long-enough-password"})
    assert response.status_code == 302


def test_users_create_refuses_bad_input_with_a_message(runner):
    cases = [
        (["users", "create", "x@example.org", "--role", "collector"], "must belong to a team"),
        (["users", "create", "x@example.org", "--role", "reviewer"], "at least 12 characters"),
        (["users", "create", "manager@example.org", "--role", "manager"], "already exists"),
        (["users", "create", "x@example.org", "--role", "collector", "--team", "Nope"],
         "no team named 'Nope'"),
        (["users", "create", "x@example.org", "--role", "overlord"], "Invalid value"),
    ]
    for arguments, message in cases:
        password = "short\n" if "reviewer" in arguments else "a-long-enough-password\n"
        result = runner.invoke(args=arguments, input=password)
        assert result.exit_code != 0, arguments
        assert message in result.output, (arguments, result.output)


def test_users_token_prints_a_token_that_is_stored_only_hashed(runner, db, client):
    result = runner.invoke(args=["users", "token", "reviewer@example.org"])
    assert result.exit_code == 0
    token = result.output.strip()
    stored = db.session.execute(select(ApiToken.token_hash)).scalars().all()
    assert token not in stored and token_digest(token) in stored
    response = client.get("/api/v1/teams", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_users_token_for_an_unknown_account_fails_clearly(runner):
    result = runner.invoke(args=["users", "token", "ghost@example.org"])
    assert result.exit_code != 0
    assert "no account for ghost@example.org" in result.output
