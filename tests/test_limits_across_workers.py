"""The sign-in limit holds across gunicorn workers (counted in Redis) and forged forwarding
headers do not reset it; `make serve` refuses several workers counting on their own."""

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from gaps.config import PROJECT_ROOT

ALLOWED_ATTEMPTS = 5
SERVE = PROJECT_ROOT / "scripts" / "serve"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listened on port {port} within {seconds} s")


@pytest.fixture
def redis_url():
    """A private Redis server on a free loopback port, gone after the test."""
    executable = shutil.which("redis-server")
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is not installed, and CI requires this test "
                        "(apt-get install redis-server)")
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for_port(port, server)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.communicate(timeout=30)


def _sign_in_attempt(base: str, forged_address: str) -> int:
    """One failed sign-in, as a browser makes it (the form, its CSRF token, a wrong password),
    from a new connection claiming to forward for another address each time."""
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with browser.open(f"{base}/sign-in") as page:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.read().decode())[1]
    body = urllib.parse.urlencode({"csrf_token": token, "email": "nobody@example.org",
                                   "password": "not-the-password"}).encode()
    request = urllib.request.Request(f"{base}/sign-in", data=body,
                                     headers={"X-Forwarded-For": forged_address,
                                              "Referer": f"{base}/sign-in"})
    try:
        with browser.open(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_sign_in_limit_is_counted_once_across_two_workers(database_url, redis_url):
    port = _free_port()
    environment = {
        **os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "s" * 48,
        "GAPS_BIN": str(PROJECT_ROOT / ".venv" / "bin"), "GAPS_WORKERS": "2",
        "GAPS_BIND": f"127.0.0.1:{port}", "RATELIMIT_STORAGE_URI": redis_url,
        "GAPS_LOGIN_RATE_LIMIT": f"{ALLOWED_ATTEMPTS} per hour",
        # The test's own requests come from 127.0.0.1: here that is not the proxy.
        "GAPS_TRUSTED_PROXIES": "192.0.2.1", "GAPS_SECURE_COOKIES": "0",
    }
    # Each access-log line names the worker that answered (its process id) and the status.
    server = subprocess.Popen(  # noqa: S603
        [str(SERVE), "--access-logformat", "worker=%(p)s %(m)s %(U)s %(s)s"],
        env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True)
    reader.start()
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_port(port, server, seconds=60)
        _wait_for_both_workers(base, lines)
        # Two browsers at a time: a worker busy with one attempt leaves the next to the other
        # (one at a time, the worker that has just answered would take every attempt).
        with ThreadPoolExecutor(max_workers=2) as browsers:
            statuses = list(browsers.map(lambda number: _sign_in_attempt(
                base, f"198.51.100.{number}"), range(1, 4 * ALLOWED_ATTEMPTS + 1)))
    finally:
        server.terminate()
        server.wait(timeout=30)
        reader.join(timeout=30)
    log = "".join(lines)
    assert Counter(statuses) == {400: ALLOWED_ATTEMPTS, 429: 3 * ALLOWED_ATTEMPTS}, statuses
    workers = set(re.findall(r"worker=<(\d+)> POST /sign-in", log))
    assert len(workers) == 2, f"every attempt went to one worker: {log[-2000:]}"


def _wait_for_both_workers(base: str, lines: list[str], seconds: float = 60) -> None:
    """Until each worker has answered a page: a worker still starting takes no attempt."""
    deadline = time.monotonic() + seconds
    with ThreadPoolExecutor(max_workers=4) as browsers:
        while time.monotonic() < deadline:
            list(browsers.map(lambda _: urllib.request.urlopen(f"{base}/sign-in").read(),
                              range(4)))
            if len(set(re.findall(r"worker=<(\d+)> GET /sign-in", "".join(lines)))) == 2:
                return
            time.sleep(0.2)
    raise AssertionError("the second worker never answered")


def test_serve_refuses_several_workers_that_count_on_their_own(tmp_path):
    environment = {**os.environ, "GAPS_WORKERS": "2", "GAPS_BIN": str(tmp_path)}
    environment.pop("RATELIMIT_STORAGE_URI", None)
    environment.pop("GAPS_ALLOW_PER_WORKER_LIMITS", None)
    finished = subprocess.run([str(SERVE)], env=environment, capture_output=True,  # noqa: S603
                              text=True, timeout=60, check=False)
    assert finished.returncode != 0
    assert len(finished.stderr.strip().splitlines()) == 1
    assert "RATELIMIT_STORAGE_URI" in finished.stderr
    assert "GAPS_ALLOW_PER_WORKER_LIMITS=1" in finished.stderr
