"""Entry point: `flask run`, `flask db …`, `flask seed` and gunicorn find the application here."""

import sys

from gaps import create_app
from gaps.config import UnsafeConfiguration

# gunicorn's master stops, rather than restarting workers forever, when one exits with this.
REFUSED_TO_START = 3

try:
    app = create_app()
except UnsafeConfiguration as refusal:
    # A setting to fix is one line for the operator, not a traceback.
    print(f"gaps refused to start: {refusal}", file=sys.stderr)
    raise SystemExit(REFUSED_TO_START) from None
