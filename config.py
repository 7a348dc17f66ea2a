"""Configuration read from the environment; production refuses to start without real secrets."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgresql:// URLs (as given by most hosts)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key")
    SQLALCHEMY_DATABASE_URI = database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'ita_workflow.sqlite3'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    STORAGE_DIR = os.environ.get("STORAGE_DIR", str(INSTANCE_DIR / "storage"))
    MAX_ATTACHMENT_BYTES = _int("MAX_ATTACHMENT_MB", 10) * 1024 * 1024
    # Whole request limit: one attachment plus the form around it.
    MAX_CONTENT_LENGTH = MAX_ATTACHMENT_BYTES + 1024 * 1024
    PASSWORD_HASH_METHOD = "scrypt"
    TIMEZONE = os.environ.get("TIMEZONE", "Asia/Bangkok")
    # Seals each decision-log row with an HMAC under this key (docs/operations.md, "Sealing the
    # log"). Keep it outside the database and its backups; never change it once rows are sealed.
    AUDIT_KEY = os.environ.get("AUDIT_KEY", "")
    # Who renders an approved memo's PDF: "inline" (the approval itself, ~0.1–1 s more) or
    # "worker" (`flask pdf freeze --watch`, a moment later; pdf/freeze.py).
    PDF_FREEZE = os.environ.get("PDF_FREEZE", "inline")
    # Links in e-mails point here, e.g. https://ita.example.go.th (no trailing slash).
    BASE_URL = os.environ.get("BASE_URL", DEFAULT_BASE_URL)

    # E-mail over SMTP; with MAIL_SERVER unset, messages are written to the log, not lost.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _int("MAIL_PORT", 587)
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"  # STARTTLS
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "0") == "1"  # SMTPS (port 465)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "ita-workflow@localhost")
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 20)

    # Instant notifications (notifications/outbox/): "inline" sends a request's events once it
    # has committed (no extra process); "worker" leaves them to `flask notify work --watch`.
    NOTIFY_DELIVERY = os.environ.get("NOTIFY_DELIVERY", "inline")
    # Encrypts each organisation's LINE channel token and secret (Fernet: 32 url-safe base64
    # bytes, `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key())"`).
    NOTIFY_SECRET_KEY = os.environ.get("NOTIFY_SECRET_KEY", "")
    # Encrypts each organisation's e-seal private key (pdf/seal/keys.py; Fernet, made like
    # NOTIFY_SECRET_KEY). Its own key: a leaked seal key forges approved documents.
    SEAL_SECRET_KEY = os.environ.get("SEAL_SECRET_KEY", "")
    # RFC 3161 time-stamping authority for the seal (PAdES B-T); empty: seals carry no timestamp.
    # SEAL_TSA_CLIENT_CERT: a PEM file with the TLS client certificate and key the TSA asks for.
    SEAL_TSA_URL = os.environ.get("SEAL_TSA_URL", "")
    SEAL_TSA_CLIENT_CERT = os.environ.get("SEAL_TSA_CLIENT_CERT", "")
    SEAL_TSA_TIMEOUT = float(os.environ.get("SEAL_TSA_TIMEOUT", "10"))  # seconds, then no stamp
    # Fetching the seal certificate's CRL/OCSP status (PAdES B-LT), when it names where: seconds,
    # then the seal goes on without it (pdf/seal/revocation.py).
    SEAL_REVOCATION_TIMEOUT = float(os.environ.get("SEAL_REVOCATION_TIMEOUT", "10"))
    # The LINE Messaging API (tests point it at a fake on loopback) and how many of the
    # organisation's monthly messages to keep spare before sending by e-mail instead.
    LINE_API_HOST = os.environ.get("LINE_API_HOST", "https://api.line.me")
    LINE_QUOTA_MARGIN = _int("LINE_QUOTA_MARGIN", 10)

    # Reminders: days before a round's due date; working days a document may wait at a step
    # before its holder is reminded, and further working days before the next level up is told.
    REMINDER_DAYS_BEFORE = tuple(
        int(d) for d in os.environ.get("REMINDER_DAYS_BEFORE", "14,3").split(",") if d.strip()
    )
    REMINDER_WAITING_DAYS = _int("REMINDER_WAITING_DAYS", 3)
    REMINDER_ESCALATE_DAYS = _int("REMINDER_ESCALATE_DAYS", 3)

    # Evidence link checker: per-request timeout, and hosts it may reach even though they are
    # private (empty in production: private, loopback and link-local addresses are refused).
    LINKCHECK_TIMEOUT = _int("LINKCHECK_TIMEOUT", 10)
    LINKCHECK_ALLOWED_PRIVATE_HOSTS: tuple[str, ...] = ()
    WTF_CSRF_TIME_LIMIT = None  # a memo may stay open for hours while someone reads it

    # Login throttling (workflow/login_throttle.py, docs/security.md): wrong passwords within the
    # window lock the account name for the lockout time; one client address has a higher limit.
    LOGIN_MAX_FAILURES = _int("LOGIN_MAX_FAILURES", 5)
    LOGIN_MAX_FAILURES_PER_IP = _int("LOGIN_MAX_FAILURES_PER_IP", 50)
    LOGIN_FAILURE_WINDOW_MINUTES = _int("LOGIN_FAILURE_WINDOW_MINUTES", 15)
    LOGIN_LOCKOUT_MINUTES = _int("LOGIN_LOCKOUT_MINUTES", 15)
    # The public verification page (/v) answers one address this many code checks a minute
    # (per worker process; workflow/rate_limit.py).
    VERIFY_MAX_PER_MINUTE = _int("VERIFY_MAX_PER_MINUTE", 30)
    # Behind a reverse proxy: how many proxies append to X-Forwarded-For / X-Forwarded-Proto.
    # 0 (the default) trusts no header, so a client cannot pick its own address.
    TRUSTED_PROXY_HOPS = _int("TRUSTED_PROXY_HOPS", 0)
    HSTS_SECONDS = 0  # Strict-Transport-Security: production only (views/security.py)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # "Remember me" lasts this long (Flask-Login's default is a year); logout ends it earlier.
    REMEMBER_COOKIE_DURATION = timedelta(days=_int("REMEMBER_COOKIE_DAYS", 30))


# Development and tests only: the demo's seal key is a throwaway, so its encryption key may be.
DEV_SEAL_SECRET_KEY = "ZGV2LW9ubHktc2VhbC1rZXktbm90LWZvci11c2UtMDA="


class DevelopmentConfig(Config):
    DEBUG = True
    SEAL_SECRET_KEY = os.environ.get("SEAL_SECRET_KEY", DEV_SEAL_SECRET_KEY)


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    # Tests hash many passwords; production keeps the default (scrypt).
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    WTF_CSRF_ENABLED = True
    PDF_FREEZE = "inline"  # the worker's tests set "worker" themselves
    SEAL_SECRET_KEY = DEV_SEAL_SECRET_KEY
    SEAL_TSA_URL = ""


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    # Browsers heed HSTS only when it arrives over https, so it is safe to send on every answer.
    HSTS_SECONDS = _int("HSTS_SECONDS", 365 * 24 * 3600)
    PREFERRED_URL_SCHEME = "https"
    PDF_FREEZE = os.environ.get("PDF_FREEZE", "worker")  # approvals stay fast (docs/operations.md)
    NOTIFY_DELIVERY = os.environ.get("NOTIFY_DELIVERY", "worker")  # `flask notify work --watch`

    @classmethod
    def check(cls) -> None:
        """Fail fast on settings that must never take their development defaults."""
        if cls.SECRET_KEY in ("", "dev-only-insecure-key") or len(cls.SECRET_KEY) < 32:
            raise RuntimeError("SECRET_KEY must be set to a random value of 32+ characters")
        if "DATABASE_URL" not in os.environ:
            raise RuntimeError("DATABASE_URL must be set in production")
        base = os.environ.get("BASE_URL", "").strip()
        if not base.startswith(("https://", "http://")) or base.rstrip("/") == DEFAULT_BASE_URL:
            # every approved PDF prints its verification address for good: never the default
            raise RuntimeError("BASE_URL must be set in production to the public address")
        if cls.SEAL_SECRET_KEY == DEV_SEAL_SECRET_KEY:
            raise RuntimeError("SEAL_SECRET_KEY must not be the development key in production")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    name = os.environ.get("APP_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"APP_ENV must be one of {sorted(CONFIGS)}, not {name!r}") from None
