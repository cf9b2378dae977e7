"""Entry point: `flask run`, `flask db …`, `flask seed` and gunicorn find the application here."""

import gc
import sys

# Importing and wiring the application makes 200,000 objects that live as long as the process
# (modules, classes, routes, mappers) and almost no garbage (2,000 objects). The collector
# waits until they are made, then sets them aside for good (gc.freeze): otherwise each of its
# passes walks them again, 0.1 s at a time, during start-up and in every request after it.
gc.disable()

from gaps import create_app  # noqa: E402
from gaps.config import UnsafeConfiguration  # noqa: E402

# gunicorn's master stops, rather than restarting workers forever, when one exits with this.
REFUSED_TO_START = 3

try:
    app = create_app()
except UnsafeConfiguration as refusal:
    # A setting to fix is one line for the operator, not a traceback.
    print(f"gaps refused to start: {refusal}", file=sys.stderr)
    raise SystemExit(REFUSED_TO_START) from None
finally:
    gc.freeze()
    gc.enable()
