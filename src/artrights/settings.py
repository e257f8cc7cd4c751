"""ArtRights settings, read from the environment (and an optional `.env` file).

One reader (django-environ) for every setting, SQLite and local files by default; PostgreSQL, Redis and S3
only when their variables are set. `ARTRIGHTS_ENV=production` turns on the hardened defaults that
`manage.py check --deploy` expects.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from django.utils.translation import gettext_lazy as _

# Classes django-stubs types as generic (`admin.ModelAdmin[Work]`) become subscriptable at run time too.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent
env = environ.Env()

# The project root is two levels above the package in a source checkout; an installed package uses the cwd.
_checkout_root = PACKAGE_DIR.parent.parent
BASE_DIR = _checkout_root if (_checkout_root / "pyproject.toml").exists() else Path.cwd()
environ.Env.read_env(env("ARTRIGHTS_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

ENVIRONMENT = env("ARTRIGHTS_ENV", default="development")
PRODUCTION = ENVIRONMENT == "production"
DATA_DIR = Path(env("ARTRIGHTS_DATA_DIR", default=str(BASE_DIR / "var")))
# SQLite, the Huey queue and local files all live here; it must exist before either opens a file.
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
if PRODUCTION:
    SECRET_KEY = env("SECRET_KEY")
else:
    SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-" + "x" * 40)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "huey.contrib.djhuey",
    # django-ninja renders /api/docs from the Swagger UI files it ships (static/ninja/) only when it is an
    # installed app; otherwise it loads them from a CDN, which the CSP below refuses.
    "ninja",
    "artrights.core",
    "artrights.accounts",
    "artrights.portal",
    "artrights.ledger",
    "artrights.timestamps",
    "artrights.registry",
    "artrights.matching",
    "artrights.evidence",
    "artrights.credit",
    "artrights.licensing",
    "artrights.inspections",
    "artrights.mediation",
    "artrights.funding",
    "artrights.onestop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "artrights.core.middleware.UploadLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "artrights.core.middleware.AuditContextMiddleware",
    "artrights.core.middleware.PublicUrlMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "artrights.urls"
WSGI_APPLICATION = "artrights.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "artrights.portal.context_processors.inbox",
            ],
        },
    },
]

# SQLite (WAL, see core.apps) unless DATABASE_URL names another database.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'artrights.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

# Login throttling by account *and* address (accounts/lockout.py): five wrong passwords for one username from one
# address stop that username from that address; twenty from one address over any usernames stop the address. A
# stranger cannot lock a user out of their account from elsewhere.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
ARTRIGHTS_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("ARTRIGHTS_LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "artrights.accounts.lockout.LockoutHandler"
# The address the audit log records too: X-Forwarded-For only behind a proxy the operator trusts, so a client can
# neither dodge its own lock nor put someone else's address in the header to lock them.
AXES_CLIENT_IP_CALLABLE = "artrights.core.middleware.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "artrights.accounts.views.locked_out"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise scans it at start-up, before collectstatic ran
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(DATA_DIR / "media")))

S3_BUCKET = env("S3_BUCKET", default="")
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "region_name": env("S3_REGION", default="us-east-1"),
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads: refused before anything is stored when larger than this.
ARTRIGHTS_MAX_UPLOAD_BYTES = env.int("ARTRIGHTS_MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)
# What one account may keep in storage, all its files together (samples, powers of attorney, suspect images):
# one real-name identity has one account, so this bounds what one person can make the platform store.
ARTRIGHTS_UPLOAD_QUOTA_BYTES = env.int("ARTRIGHTS_UPLOAD_QUOTA_BYTES", default=5 * 1024**3)
ARTRIGHTS_UPLOAD_QUOTA_FILES = env.int("ARTRIGHTS_UPLOAD_QUOTA_FILES", default=5000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "artrights.core.uploads.LimitedMemoryFileUploadHandler",
    "artrights.core.uploads.LimitedTemporaryFileUploadHandler",
]

# Background work: Huey on SQLite by default, Redis when REDIS_URL is set.
REDIS_URL = env("REDIS_URL", default="")
HUEY_IMMEDIATE = env.bool("HUEY_IMMEDIATE", default=False)
# flush_locks: a task lock (core.background.lock) left by a worker that was killed is cleared when one starts.
_huey_consumer = {"workers": env.int("HUEY_WORKERS", default=2), "worker_type": "thread", "flush_locks": True}
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env("HUEY_NAME", default="artrights"),
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "consumer": _huey_consumer,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": env("HUEY_NAME", default="artrights"),
        "filename": env("HUEY_SQLITE_PATH", default=str(DATA_DIR / "huey.sqlite3")),
        # How long an enqueue waits for the queue file's lock (huey's default is 5 s): the worker writes results
        # and every minute's periodic tasks into the same file, and on a loaded machine 5 s was not always enough.
        "timeout": 30,
        "immediate": HUEY_IMMEDIATE,
        "consumer": _huey_consumer,
    }

# Sessions expire after two weeks of inactivity by default, and at browser close if configured.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: everything is served by the app itself; no CDN, no inline script without a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO" if PRODUCTION else "WARNING")},
    # The Huey consumer installs its own handler; without this every line would print twice.
    "loggers": {"huey": {"propagate": False}},
}

# Registry: the region abbreviation in registration numbers and the review clocks (DOMAIN.md §1.3, §1.6).
ARTRIGHTS_REGISTRY_REGION = env("ARTRIGHTS_REGISTRY_REGION", default="粤")
ARTRIGHTS_REGISTRY_NAME = env("ARTRIGHTS_REGISTRY_NAME", default="深圳市版权登记服务中心")
ARTRIGHTS_REVIEW_WORKING_DAYS = env.int("ARTRIGHTS_REVIEW_WORKING_DAYS", default=15)
ARTRIGHTS_CORRECTION_DAYS = env.int("ARTRIGHTS_CORRECTION_DAYS", default=60)
# The software register (《计算机软件著作权登记办法》, DOMAIN.md R1.12): review within 60 days of acceptance,
# corrections within 30 days; the deposit is built from an archive of at most these many entries and bytes
# unpacked; code overlapping another owner's software at least this much (winnowing) is held for a registrar.
ARTRIGHTS_SOFTWARE_REVIEW_DAYS = env.int("ARTRIGHTS_SOFTWARE_REVIEW_DAYS", default=60)
ARTRIGHTS_SOFTWARE_CORRECTION_DAYS = env.int("ARTRIGHTS_SOFTWARE_CORRECTION_DAYS", default=30)
ARTRIGHTS_SOFTWARE_MAX_ENTRIES = env.int("ARTRIGHTS_SOFTWARE_MAX_ENTRIES", default=5000)
ARTRIGHTS_SOFTWARE_MAX_TREE_BYTES = env.int("ARTRIGHTS_SOFTWARE_MAX_TREE_BYTES", default=100 * 1024 * 1024)
ARTRIGHTS_SOFTWARE_SIMILARITY = env.float("ARTRIGHTS_SOFTWARE_SIMILARITY", default=0.5)
# How the public reaches the registry (the guide page's contact section); each line is shown only when set.
ARTRIGHTS_CONTACT_ADDRESS = env("ARTRIGHTS_CONTACT_ADDRESS", default="")
ARTRIGHTS_CONTACT_PHONE = env("ARTRIGHTS_CONTACT_PHONE", default="")
ARTRIGHTS_CONTACT_EMAIL = env("ARTRIGHTS_CONTACT_EMAIL", default="")
ARTRIGHTS_MAX_IMAGE_PIXELS = env.int("ARTRIGHTS_MAX_IMAGE_PIXELS", default=80_000_000)
# External RFC 3161 TSAs that also stamp every digest the built-in TSA stamps, and their root certificates.
ARTRIGHTS_EXTERNAL_TSA_URLS = env.list("ARTRIGHTS_EXTERNAL_TSA_URLS", default=[])
ARTRIGHTS_EXTERNAL_TSA_ROOTS = env.list("ARTRIGHTS_EXTERNAL_TSA_ROOTS", default=[])
# Copy detection: scores at or above this count as a copy (the engine's scores are calibrated, so one value holds).
ARTRIGHTS_MATCH_THRESHOLD = env.float("ARTRIGHTS_MATCH_THRESHOLD", default=0.5)
# Optional learned copy-detection descriptor supplied by the operator (an .onnx file; none ships with the platform).
ARTRIGHTS_ONNX_DESCRIPTOR = env("ARTRIGHTS_ONNX_DESCRIPTOR", default="")
# URL fetches (suspect images, watched pages) reach public addresses only, in every mode (core/fetch.py). The
# loopback ports a fetch may also reach are not read from the environment on purpose, so no variable or .env can
# open the server's own network to a URL a user typed: only tests add the port of the server they start
# (artrights.testing.allow_fetching), and the operator's command line passes its own policy (--allow-loopback).
ARTRIGHTS_FETCH_LOOPBACK_PORTS: frozenset[int] = frozenset()
# One URL fetch (resolution, connection, redirects and every read) ends within this many seconds.
ARTRIGHTS_FETCH_SECONDS = env.float("ARTRIGHTS_FETCH_SECONDS", default=20.0)
# URL checks a person may have waiting or running at once (the worker fetches them one at a time per person).
ARTRIGHTS_URL_CHECKS_PER_USER = env.int("ARTRIGHTS_URL_CHECKS_PER_USER", default=3)
# Evidence capture: the system Chromium the worker drives (empty: found on PATH; web capture is refused with a
# clear message where there is none), one capture's deadline, its size bounds, and the captures a person may
# have running at once.
ARTRIGHTS_CHROMIUM = env("ARTRIGHTS_CHROMIUM", default="")
ARTRIGHTS_CAPTURE_SECONDS = env.float("ARTRIGHTS_CAPTURE_SECONDS", default=60.0)
ARTRIGHTS_CAPTURE_MAX_RESPONSE_BYTES = env.int("ARTRIGHTS_CAPTURE_MAX_RESPONSE_BYTES", default=10 * 1024 * 1024)
ARTRIGHTS_CAPTURE_MAX_TOTAL_BYTES = env.int("ARTRIGHTS_CAPTURE_MAX_TOTAL_BYTES", default=50 * 1024 * 1024)
ARTRIGHTS_CAPTURES_PER_USER = env.int("ARTRIGHTS_CAPTURES_PER_USER", default=3)
# Files one evidence record may hold when a person uploads what they already have.
ARTRIGHTS_EVIDENCE_MAX_FILES = env.int("ARTRIGHTS_EVIDENCE_MAX_FILES", default=20)
# The platform's public address (certificate QR codes, links): empty means derived from the served address and
# the request (core/public_url.py); set it behind a reverse proxy or wherever the public name differs.
ARTRIGHTS_PUBLIC_URL = env("ARTRIGHTS_PUBLIC_URL", default="")
# Behind a reverse proxy that sets X-Forwarded-For, the audit log records the client's address from it;
# never turn this on without such a proxy, since any client can send the header.
ARTRIGHTS_TRUST_X_FORWARDED_FOR = env.bool("ARTRIGHTS_TRUST_X_FORWARDED_FOR", default=False)
# The font certificates are set in ("path" or "path#face-index"); empty: a system Noto CJK font.
ARTRIGHTS_CJK_FONT = env("ARTRIGHTS_CJK_FONT", default="")

# IP credit (DOMAIN.md §3). Publicity periods per severity, in months from the decision: the shortest (a repair
# may be asked for once it has passed) and the longest (the record stops being published by itself), NDRC 信用修复
# 管理办法 classes; a behaviour in the catalogue may set its own.
ARTRIGHTS_CREDIT_PUBLICITY_MONTHS = {
    "minor": (
        env.int("ARTRIGHTS_CREDIT_MINOR_MIN_MONTHS", default=0),
        env.int("ARTRIGHTS_CREDIT_MINOR_MAX_MONTHS", default=3),
    ),
    "general": (
        env.int("ARTRIGHTS_CREDIT_GENERAL_MIN_MONTHS", default=3),
        env.int("ARTRIGHTS_CREDIT_GENERAL_MAX_MONTHS", default=12),
    ),
    "serious": (
        env.int("ARTRIGHTS_CREDIT_SERIOUS_MIN_MONTHS", default=12),
        env.int("ARTRIGHTS_CREDIT_SERIOUS_MAX_MONTHS", default=36),
    ),
}
# List periods in months: how long a listing runs, what a repeat within it adds, the cap, and how long after
# listing a repair may be asked for (CNIPA 1 year, +1 year, at most 3 years, repair after 6 months; the local
# serious lists 3 years, §3.4). The abnormal-operation list has no period: it ends when the obligation is met.
ARTRIGHTS_CREDIT_LIST_MONTHS = env.int("ARTRIGHTS_CREDIT_LIST_MONTHS", default=12)
ARTRIGHTS_CREDIT_EXTENSION_MONTHS = env.int("ARTRIGHTS_CREDIT_EXTENSION_MONTHS", default=12)
ARTRIGHTS_CREDIT_CAP_MONTHS = env.int("ARTRIGHTS_CREDIT_CAP_MONTHS", default=36)
ARTRIGHTS_CREDIT_LOCAL_SERIOUS_MONTHS = env.int("ARTRIGHTS_CREDIT_LOCAL_SERIOUS_MONTHS", default=36)
ARTRIGHTS_CREDIT_REPAIR_WAIT_MONTHS = env.int("ARTRIGHTS_CREDIT_REPAIR_WAIT_MONTHS", default=6)
# Working-day clocks of the Shenzhen Social Credit Regulation (Arts 51, 69, 82): the city body checks an objection
# in 1, the provider decides in 2 more; a repair is decided in 3; each may be extended once by 3; a party told of a
# proposed listing may state its case within 5 [I].
ARTRIGHTS_CREDIT_OBJECTION_CHECK_DAYS = env.int("ARTRIGHTS_CREDIT_OBJECTION_CHECK_DAYS", default=1)
ARTRIGHTS_CREDIT_OBJECTION_DECISION_DAYS = env.int("ARTRIGHTS_CREDIT_OBJECTION_DECISION_DAYS", default=2)
ARTRIGHTS_CREDIT_REPAIR_DECISION_DAYS = env.int("ARTRIGHTS_CREDIT_REPAIR_DECISION_DAYS", default=3)
ARTRIGHTS_CREDIT_EXTENSION_DAYS = env.int("ARTRIGHTS_CREDIT_EXTENSION_DAYS", default=3)
ARTRIGHTS_CREDIT_STATEMENT_DAYS = env.int("ARTRIGHTS_CREDIT_STATEMENT_DAYS", default=5)
# Agency grades (§3.3): the start score, the lowest score of grades A, B and C, and the bonus points that lift an A
# to A+.
ARTRIGHTS_CREDIT_GRADE_START = env.int("ARTRIGHTS_CREDIT_GRADE_START", default=100)
ARTRIGHTS_CREDIT_GRADE_FLOORS = (
    env.int("ARTRIGHTS_CREDIT_GRADE_A", default=90),
    env.int("ARTRIGHTS_CREDIT_GRADE_B", default=80),
    env.int("ARTRIGHTS_CREDIT_GRADE_C", default=60),
)
ARTRIGHTS_CREDIT_A_PLUS_BONUS = env.int("ARTRIGHTS_CREDIT_A_PLUS_BONUS", default=5)

# Mediation (DOMAIN.md §5.1). Working-day clocks: deciding on acceptance (M22; administrative referrals M21),
# consulting the respondent (M22; online M19), the parties' joint choice and the appointment of a mediator, and the
# mediator's confirmation (M19). Calendar-day clocks from when the mediator signs for the file (M18, M21): court
# delegation before filing, entrustment after filing (ordinary / simple procedure), every other source; the window
# for judicial confirmation from the agreement's taking effect (M8) and the court's clocks (M10).
ARTRIGHTS_MEDIATION_ACCEPT_DAYS = env.int("ARTRIGHTS_MEDIATION_ACCEPT_DAYS", default=3)
ARTRIGHTS_MEDIATION_ADMIN_ACCEPT_DAYS = env.int("ARTRIGHTS_MEDIATION_ADMIN_ACCEPT_DAYS", default=5)
ARTRIGHTS_MEDIATION_CONSENT_DAYS = env.int("ARTRIGHTS_MEDIATION_CONSENT_DAYS", default=10)
ARTRIGHTS_MEDIATION_ONLINE_CONSENT_DAYS = env.int("ARTRIGHTS_MEDIATION_ONLINE_CONSENT_DAYS", default=3)
ARTRIGHTS_MEDIATION_CHOICE_DAYS = env.int("ARTRIGHTS_MEDIATION_CHOICE_DAYS", default=2)
ARTRIGHTS_MEDIATION_APPOINT_DAYS = env.int("ARTRIGHTS_MEDIATION_APPOINT_DAYS", default=3)
ARTRIGHTS_MEDIATION_CONFIRM_DAYS = env.int("ARTRIGHTS_MEDIATION_CONFIRM_DAYS", default=3)
ARTRIGHTS_MEDIATION_PERIOD_DELEGATED = env.int("ARTRIGHTS_MEDIATION_PERIOD_DELEGATED", default=30)
ARTRIGHTS_MEDIATION_PERIOD_ORDINARY = env.int("ARTRIGHTS_MEDIATION_PERIOD_ORDINARY", default=15)
ARTRIGHTS_MEDIATION_PERIOD_SIMPLE = env.int("ARTRIGHTS_MEDIATION_PERIOD_SIMPLE", default=7)
ARTRIGHTS_MEDIATION_PERIOD_DEFAULT = env.int("ARTRIGHTS_MEDIATION_PERIOD_DEFAULT", default=30)
ARTRIGHTS_MEDIATION_CONFIRMATION_WINDOW = env.int("ARTRIGHTS_MEDIATION_CONFIRMATION_WINDOW", default=30)
ARTRIGHTS_MEDIATION_COURT_ACCEPT_DAYS = env.int("ARTRIGHTS_MEDIATION_COURT_ACCEPT_DAYS", default=3)
ARTRIGHTS_MEDIATION_COURT_DECIDE_DAYS = env.int("ARTRIGHTS_MEDIATION_COURT_DECIDE_DAYS", default=15)
# The credit behaviours an infringement confirmed in mediation is recorded as: the first, and a repeat by the
# same respondent.
ARTRIGHTS_MEDIATION_CREDIT_BEHAVIOUR = env("ARTRIGHTS_MEDIATION_CREDIT_BEHAVIOUR", default="CR_MEDIATION_INFRINGE")
ARTRIGHTS_MEDIATION_REPEAT_BEHAVIOUR = env("ARTRIGHTS_MEDIATION_REPEAT_BEHAVIOUR", default="CR_REPEAT_INFRINGE")

# Notifications (core.services.notify): e-mail through Django's mail settings. Development prints each e-mail in
# the worker's terminal, so `make run` needs no mail server; production sends through SMTP. Tests use locmem.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)  # port 465 (implicit TLS), as many mainland providers use
# A mail server that does not answer must not hold a worker thread for ever; the copy is retried instead.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ArtRights <noreply@artrights.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Text messages to verified phones (core.sms): a dotted path to a backend class, empty for none. Development
# prints them in the worker's terminal; production sends none until the operator plugs in a gateway.
ARTRIGHTS_SMS_BACKEND = env("ARTRIGHTS_SMS_BACKEND", default="" if PRODUCTION else "artrights.core.sms.ConsoleBackend")

# Bearer tokens for scripts and partner departments.
API_TOKEN_PREFIX = "art_"

# Secret keys the platform creates on first use (log, TSA, document signing), each a 0600 file in this folder.
ARTRIGHTS_KEYS_DIR = Path(env("ARTRIGHTS_KEYS_DIR", default=str(DATA_DIR / "keys")))
# The public log: checkpoint origin line (also the signing key's name) and the Ed25519 key file (created 0600).
ARTRIGHTS_LOG_ORIGIN = env("ARTRIGHTS_LOG_ORIGIN", default="artrights.localhost/log")
ARTRIGHTS_LOG_KEY_FILE = Path(env("ARTRIGHTS_LOG_KEY_FILE", default=str(ARTRIGHTS_KEYS_DIR / "log.key")))
# The built-in TSA's policy OID (RFC 3161 TSTInfo.policy): a placeholder arc under a private-use number until the
# operator registers one of their own.
ARTRIGHTS_TSA_POLICY_OID = env("ARTRIGHTS_TSA_POLICY_OID", default="1.3.6.1.4.1.57264.9.1")

# Public statistics (portal/statistics.py): how long a year's counts are reused before they are counted again.
ARTRIGHTS_STATISTICS_CACHE_SECONDS = env.int("ARTRIGHTS_STATISTICS_CACHE_SECONDS", default=300)
