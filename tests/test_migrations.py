"""The schema comes only from migrations, and migrations match the models."""

import flask_migrate
from sqlalchemy import inspect

from gaps.extensions import db
from tests.conftest import MIGRATIONS_DIR, make_app


def test_models_and_migrations_do_not_drift(runner):
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output


def test_migrations_go_up_down_and_up_again(databases):
    url = databases.empty()
    app = make_app(url)
    with app.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        assert {"requirement", "gap", "audit_event"} <= set(inspect(db.engine).get_table_names())
        flask_migrate.downgrade(directory=str(MIGRATIONS_DIR), revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        flask_migrate.upgrade(directory=str(MIGRATIONS_DIR))
        assert "requirement" in inspect(db.engine).get_table_names()
        db.engine.dispose()
    databases.drop(url)
