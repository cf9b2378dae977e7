"""Entry point: `flask run`, `flask db …` and `flask seed` find the application here."""

from gaps import create_app

app = create_app()
