"""Real-browser fixtures: Debian's Chromium driven by pytest-playwright against a live server.

Every test in this folder is marked `browser`. The live server is the application (with CSRF
protection on, as in production) on this test's own seeded database, served by werkzeug on a
free loopback port in a daemon thread.
"""

import os
import shutil
import threading
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from gaps.config import PROJECT_ROOT
from gaps.domain.dates import UK_TIME
from gaps.extensions import db
from tests.conftest import DEMO_PASSWORD, demo_email, make_app

HERE = Path(__file__).resolve().parent
AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-gpu"]
# WCAG 2.0, 2.1 and 2.2 at A and AA, and axe's best practice: these users are bound by WCAG 2.2 AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def pytest_collection_modifyitems(config, items):
    """Mark every test of this folder `browser` (deselect them with `-m "not browser"`)."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _missing(what: str) -> None:
    """Fail in CI, where the browser tests are mandatory; skip on a developer's machine."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} (the browser tests are mandatory in CI)")
    pytest.skip(what)


def chromium_path() -> str | None:
    """Debian's Chromium: on the PATH, else at its usual place."""
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the system Chromium (Playwright cannot download its own here), quietly."""
    executable = chromium_path()
    if executable is None:
        _missing("Chromium is not installed: apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": executable,
            "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS]}


class QuietRequestHandler(WSGIRequestHandler):
    """Serves requests without a log line for each (pytest shows failures' logs)."""

    def log_request(self, code="-", size="-") -> None:
        pass


@pytest.fixture
def live_server(database_url) -> Iterator[str]:
    """The application, CSRF protection on, served on a free port; yields its base URL."""
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, app, threaded=True,
                         request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()


def sign_in(page, base_url: str, role_or_email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real sign-in page, as a demo role or an e-mail address."""
    email = role_or_email if "@" in role_or_email else demo_email(role_or_email)
    page.goto(f"{base_url}/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/sign-in" not in page.url, f"sign-in as {email} failed"


def today() -> date:
    """Today in the UK, as the people using the tracker count days."""
    return datetime.now(UK_TIME).date()


def fill_date(page, legend: str, value: date) -> None:
    """Fill GOV.UK day, month and year inputs found by their legend."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))


def submit(page, button: str) -> None:
    """Press a form's button and check the next page reports no problem with the form."""
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    problems = page.locator(".govuk-error-summary")
    if problems.count():
        pytest.fail(f"{button!r} was refused at {page.url}: {problems.first.inner_text()!r}")


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's script, installed by npm."""
    if not AXE_SCRIPT.exists():
        _missing(f"axe-core is not installed ({AXE_SCRIPT}): run npm install")
    return AXE_SCRIPT


def axe_violations(page, axe_path: Path) -> list[dict]:
    """Run axe-core on the page as it stands (AXE_TAGS); every violation, of any impact.

    The site's Content-Security-Policy only runs its own scripts (and those carrying the
    page's nonce), so the injected axe script needs a context made with `bypass_csp=True`.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe_path))
    results = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', "
                            "values: tags}, resultTypes: ['violations']})", AXE_TAGS)
    return results["violations"]


def describe_violations(url: str, violations: list[dict]) -> str:
    """A readable report: each violation's id, impact, help and first few targets."""
    lines = [f"{url}: {len(violations)} accessibility violation(s)"]
    for violation in violations:
        targets = [" ".join(map(str, node.get("target", []))) for node in violation["nodes"][:3]]
        lines.append(f"  - {violation['id']} ({violation['impact']}): {violation['help']}"
                     f" [{len(violation['nodes'])} node(s)] e.g. {targets}")
    return "\n".join(lines)
