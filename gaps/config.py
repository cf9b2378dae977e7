"""Settings, read from the environment; a test configuration beside them."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

DEVELOPMENT_SECRET_KEY = "development-only-not-secret"  # noqa: S105 - refused outside development
HOST_ONLY_SESSION_COOKIE = "__Host-session"


def database_url_from_environment() -> str:
    """The database to use: `DATABASE_URL`, or an SQLite file in `instance/`."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'gaps.sqlite'}"
    return normalise_database_url(url)


def normalise_database_url(url: str) -> str:
    """The usual libpq form (`postgresql://user@host:port/name`) works as given: it is read
    with the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    """Settings for running the application, each overridable from the environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = database_url_from_environment()
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("GAPS_SQLITE_BUSY_TIMEOUT_MS", "30000"))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("GAPS_SECURE_COOKIES", "0") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = int(os.environ.get("GAPS_SESSION_SECONDS", str(8 * 3600)))

    WTF_CSRF_TIME_LIMIT = None

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_KEY_PREFIX = "gaps"
    # If the shared store is away, count in this worker meanwhile rather than fail sign-in.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    GAPS_LOGIN_RATE_LIMIT = os.environ.get("GAPS_LOGIN_RATE_LIMIT", "20 per minute")
    GAPS_MAX_FAILED_SIGN_INS = int(os.environ.get("GAPS_MAX_FAILED_SIGN_INS", "5"))
    GAPS_LOCKOUT_SECONDS = int(os.environ.get("GAPS_LOCKOUT_SECONDS", "900"))

    GAPS_TOKEN_DAYS = int(os.environ.get("GAPS_TOKEN_DAYS", "90"))  # a new API token's lifetime

    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536

    GAPS_DEFAULT_MARKING = os.environ.get("GAPS_DEFAULT_MARKING", "OFFICIAL")
    GAPS_SEED_DIR = os.environ.get("GAPS_SEED_DIR", str(PROJECT_ROOT / "seed_data"))
    GAPS_ASSETS_DIR = os.environ.get(
        "GAPS_ASSETS_DIR", str(PROJECT_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk")
    )
    GAPS_DEMO_PASSWORD = os.environ.get("GAPS_DEMO_PASSWORD")
    GAPS_PAGE_SIZE = 50
    # Pages (register, requirements, dashboards) and API register pages each worker keeps until
    # the data changes (gaps/page_cache.py); 0 keeps none.
    GAPS_PAGE_CACHE_ENTRIES = int(os.environ.get("GAPS_PAGE_CACHE_ENTRIES", "256"))
    GAPS_PROXY_COUNT = int(os.environ.get("GAPS_PROXY_COUNT", "0"))
    # Forwarding headers are believed only from these peers (addresses or networks, commas).
    GAPS_TRUSTED_PROXIES = os.environ.get("GAPS_TRUSTED_PROXIES", "127.0.0.1")
    GAPS_LOG_FORMAT = os.environ.get("GAPS_LOG_FORMAT", "json")
    MAX_CONTENT_LENGTH = 21 * 1024 * 1024  # an uploaded assessment may be up to 20 MB
    # Reading an upload happens in a child process within these limits (gaps/uploads.py).
    GAPS_UPLOAD_SECONDS = float(os.environ.get("GAPS_UPLOAD_SECONDS", "20"))
    GAPS_UPLOAD_MEMORY_MB = int(os.environ.get("GAPS_UPLOAD_MEMORY_MB", "512"))
    GAPS_UPLOAD_PARAGRAPHS = int(os.environ.get("GAPS_UPLOAD_PARAGRAPHS", "20000"))
    GAPS_REVIEW_CADENCE = os.environ.get("GAPS_REVIEW_CADENCE", "90/180/360")
    # Daily digests: where links point, how mail leaves, and whom it comes from.
    GAPS_BASE_URL = os.environ.get("GAPS_BASE_URL", "http://127.0.0.1:5000")
    GAPS_SMTP_URL = os.environ.get("GAPS_SMTP_URL", "smtp://127.0.0.1:25")
    GAPS_MAIL_FROM = os.environ.get("GAPS_MAIL_FROM", "gaps@localhost")

    API_TITLE = "gaps API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"


class TestConfig(Config):
    """Settings for the test suite: a database per test, cheap hashes, no rate limits."""

    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    GAPS_DEMO_PASSWORD = "demo-password-for-tests"  # noqa: S105


def load_configuration(app, config: type | dict | None) -> None:
    """Apply the settings: the given object or mapping, else `Config`; refuse unsafe ones."""
    if config is None:
        app.config.from_object(Config)
    elif isinstance(config, dict):
        app.config.from_object(TestConfig if config.get("TESTING") else Config)
        app.config.update(config)
    else:
        app.config.from_object(config)
    if app.config["SESSION_COOKIE_SECURE"]:
        # `__Host-`: the browser keeps it only if it came over HTTPS, for this host, path /.
        app.config.update(SESSION_COOKIE_NAME=HOST_ONLY_SESSION_COOKIE,
                          SESSION_COOKIE_DOMAIN=None, SESSION_COOKIE_PATH="/")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A file on this machine cannot have dropped the connection: no ping before each use.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"], "pool_pre_ping": False}
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        INSTANCE_DIR.mkdir(exist_ok=True)
    if os.environ.get("GAPS_ENV", "development") != "development" and not app.testing:
        refuse_weak_secret_key(app.config.get("SECRET_KEY"))


MINIMUM_SECRET_KEY_LENGTH = 32


class UnsafeConfiguration(RuntimeError):
    """A setting that must not be used outside development; the message says what to do."""


def refuse_weak_secret_key(key: str | None) -> None:
    """Outside development the sessions must be signed with a real, long, random key."""
    if not key or key == DEVELOPMENT_SECRET_KEY or len(key) < MINIMUM_SECRET_KEY_LENGTH:
        raise UnsafeConfiguration(
            "Set SECRET_KEY to a random value of at least "
            f"{MINIMUM_SECRET_KEY_LENGTH} characters, for example the output of: python3 -c "
            "'import secrets; print(secrets.token_hex(32))'")
