"""Settings shared by every environment. Everything deployment-specific comes from the env."""

import re
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
LOCAL_DIR = Path(env_str("LOCAL_DIR", str(BASE_DIR / ".local")))

SECRET_KEY = env_str("SECRET_KEY", "dev-insecure-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "registry",
    "portal",
    "portal.datastore",
    "portal.developer",
    "operations",
    "operations.commerce",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "registry.error_views.NulCharacterMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "registry.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "registry.context_processors.platform",
            ],
        },
    },
]


def _database_url() -> str:
    url = env_str("DATABASE_URL")
    if url:
        return url
    from config.embedded_db import ensure_running

    return ensure_running()


def _parse_database_url(url: str) -> dict:
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"DATABASE_URL must be a postgres:// URL (PostgreSQL only), got scheme {parsed.scheme!r}"
        )
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")) or "opendata",
        "USER": unquote(parsed.username or "postgres"),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "127.0.0.1",
        "PORT": str(parsed.port or 5432),
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        "CONN_HEALTH_CHECKS": True,
        # prepare_threshold: the hot paths' own server-side statements (portal.lookups) are
        # prepared once per connection; the ORM's client-side-bound queries never are. Set
        # DB_PREPARED_STATEMENTS=false behind a transaction-pooling PgBouncer.
        "OPTIONS": {
            "connect_timeout": 5,
            "prepare_threshold": 5 if env_bool("DB_PREPARED_STATEMENTS", True) else None,
        },
    }


DATABASE_URL = _database_url()
DATABASES = {"default": _parse_database_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Internationalisation: Simplified Chinese by default, English available.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(LOCAL_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(LOCAL_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if env_str("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }

DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Attachments to registrations (description document, commitment letter, mandate, consent).
REGISTRY_ATTACHMENT_MAX_BYTES = env_int("REGISTRY_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "registry.api_common.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "registry.api_common.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Public Data Platform API",
    "DESCRIPTION": "Registry, open portal and authorised-operation APIs. Errors are RFC 9457 "
    "problem+json documents.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `status` or `level` with different choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "RegistrationStatusEnum": "registry.models.RegistrationStatus",
        "RecordStatusEnum": "registry.models.RecordStatus",
        "ObjectionStatusEnum": "registry.models.ObjectionStatus",
        "RegionLevelEnum": "registry.models.RegionLevel",
        "PlatformLevelEnum": "registry.models.PlatformLevel",
    },
}

# Celery: a broker from the env (Redis or RabbitMQ); with none, kombu's filesystem transport
# lets a real worker run on one host with no broker server.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_DIR = LOCAL_DIR / "broker"
if CELERY_BROKER_URL == "filesystem://":
    for sub in ("out", "processed", "control"):
        (CELERY_BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "out"),
        "data_folder_out": str(CELERY_BROKER_DIR / "out"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # broadcast/control exchanges (else kombu writes ./control in the working directory)
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 3600
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE_FILENAME = str(LOCAL_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "registry-close-notices": {
        "task": "registry.tasks.close_ended_notices",
        "schedule": timedelta(minutes=5),
    },
    "registry-flag-overdue": {
        "task": "registry.tasks.flag_overdue_registrations",
        "schedule": timedelta(minutes=15),
    },
    "datastore-sweep-ingest-jobs": {
        "task": "portal.datastore.tasks.sweep_ingest_jobs",
        "schedule": timedelta(minutes=5),
    },
    "registry-record-validity": {
        "task": "registry.tasks.update_record_validity",
        "schedule": crontab(hour=1, minute=10),
    },
}

# Registry rules that differ by province: settings, not constants (DOMAIN.md "(cfg)").
REGISTRY_ACCEPTANCE_WORKING_DAYS = env_int("REGISTRY_ACCEPTANCE_WORKING_DAYS", 3, minimum=1)
REGISTRY_REVIEW_WORKING_DAYS = env_int("REGISTRY_REVIEW_WORKING_DAYS", 10, minimum=1)
REGISTRY_NOTICE_WORKING_DAYS = env_int("REGISTRY_NOTICE_WORKING_DAYS", 10, minimum=1)
REGISTRY_VALIDITY_YEARS = env_int("REGISTRY_VALIDITY_YEARS", 3, minimum=1)
REGISTRY_EXPIRING_WARNING_DAYS = env_int("REGISTRY_EXPIRING_WARNING_DAYS", 90, minimum=1)
REGISTRY_CODE_RULE = env_str("REGISTRY_CODE_RULE", "registry.codes.default_code_rule")
# Registration types that go through public notice; a correction of a clerical error does not
# by default (it cannot change what was noticed).
REGISTRY_NOTICE_TYPES = env_list("REGISTRY_NOTICE_TYPES", ["initial", "change", "deregistration"])
# Province-specific labels for the three open categories (same values everywhere).
REGISTRY_OPEN_CATEGORY_LABELS: dict[str, dict[str, str]] = {}

PLATFORM_NAME = env_str("PLATFORM_NAME", "公共数据资源登记与开放平台")
PLATFORM_NAME_EN = env_str(
    "PLATFORM_NAME_EN", "Public Data Resource Registration and Open Platform"
)
# Scheme and host (no path) that DCAT URIs, feeds, sitemaps and the CKAN API are built on; unset:
# the request's own host. Set it in production so identifiers do not depend on the Host header.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "").rstrip("/")
if PORTAL_BASE_URL and not re.fullmatch(r"https?://[^/?#\s]+", PORTAL_BASE_URL):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"PORTAL_BASE_URL must be scheme and host, e.g. https://data.example.gov.cn, got {PORTAL_BASE_URL!r}"
    )
# Federation (issue 8): this deployment's role. "single" = national and provincial platforms in
# one database.
NODE_ROLE = env_str("NODE_ROLE", "single")

# E-mail (staff notifications: applications past their deadline). Without EMAIL_HOST the
# messages are written to the worker's log (console backend): nothing is lost on a machine
# without a mail server, and nothing is sent by accident.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@opendata.example.gov.cn")
# Reviewers and administrators of a platform get one e-mail per sweep listing its applications
# newly past their acceptance or review deadline.
REGISTRY_NOTIFY_OVERDUE = env_bool("REGISTRY_NOTIFY_OVERDUE", True)
# A registrant's staff get one e-mail per nightly sweep listing its records newly "expiring"
# (REGISTRY_EXPIRING_WARNING_DAYS before their validity ends).
REGISTRY_NOTIFY_EXPIRING = env_bool("REGISTRY_NOTIFY_EXPIRING", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# A refused CSRF check says what to do in the visitor's language (problem+json on the API).
CSRF_FAILURE_VIEW = "registry.error_views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# --------------------------------------------------------------------------- datastore
# The role that every datastore query runs as (SELECT on the datastore schema only). The
# migrations create it when the database user may; otherwise create it by hand (docs/datastore.md).
DATASTORE_READ_ROLE = env_str("DATASTORE_READ_ROLE", "datastore_reader")
DATASTORE_STATEMENT_TIMEOUT_MS = env_int("DATASTORE_STATEMENT_TIMEOUT_MS", 5000, minimum=100)
DATASTORE_EXPORT_TIMEOUT_MS = env_int("DATASTORE_EXPORT_TIMEOUT_MS", 300_000, minimum=1000)
DATASTORE_MAX_LIMIT = env_int("DATASTORE_MAX_LIMIT", 1000, minimum=1)
DATASTORE_MAX_OFFSET = env_int("DATASTORE_MAX_OFFSET", 10_000, minimum=0)
DATASTORE_EXACT_TOTAL_MAX_ROWS = env_int("DATASTORE_EXACT_TOTAL_MAX_ROWS", 1_000_000, minimum=0)
DATASTORE_MAX_INDEXED_COLUMNS = env_int("DATASTORE_MAX_INDEXED_COLUMNS", 32, minimum=0)
DATASTORE_JSON_MAX_BYTES = env_int("DATASTORE_JSON_MAX_BYTES", 200 * 1024 * 1024, minimum=1024)
DATASTORE_JOB_STALE_SECONDS = env_int("DATASTORE_JOB_STALE_SECONDS", 600, minimum=30)
DATASTORE_JOB_MAX_ATTEMPTS = env_int("DATASTORE_JOB_MAX_ATTEMPTS", 3, minimum=1)
# GET …/records served by a thin WSGI path in front of Django (portal/datastore/fastpath.py):
# the same answer without the middleware stack, URL resolver and DRF dispatch.
DATASTORE_FAST_PATH = env_bool("DATASTORE_FAST_PATH", True)
# Single-statement datastore reads outside a transaction on a connection of their own, set up
# as the read-only role with the timeout (portal/datastore/reader.py).
DATASTORE_READER_CONNECTION = env_bool("DATASTORE_READER_CONNECTION", True)

# --------------------------------------------------------------------------- open portal: files
# Publishing, uploads and downloads (docs/portal-publishing.md). Uploads stream to a temporary
# file while they are hashed; a request whose Content-Length is over the limit is refused with
# 413 before its body is read. Put the same limit in nginx (`client_max_body_size`).
PORTAL_UPLOAD_MAX_BYTES = env_int("PORTAL_UPLOAD_MAX_BYTES", 5 * 1024**3, minimum=1)
# Archives (ZIP, XLSX, DOCX) are checked from their central directory before anything is read.
PORTAL_ZIP_MAX_ENTRIES = env_int("PORTAL_ZIP_MAX_ENTRIES", 10_000, minimum=1)
PORTAL_ZIP_MAX_UNCOMPRESSED_BYTES = env_int(
    "PORTAL_ZIP_MAX_UNCOMPRESSED_BYTES", 20 * 1024**3, minimum=1
)
PORTAL_ZIP_MAX_RATIO = env_int("PORTAL_ZIP_MAX_RATIO", 100, minimum=1)
# JSON arrays larger than this get a preview but no row count (counting parses every element).
PORTAL_JSON_COUNT_MAX_BYTES = env_int("PORTAL_JSON_COUNT_MAX_BYTES", 512 * 1024**2, minimum=0)
# Timeliness: days added to the promised update period before a dataset counts as overdue.
PORTAL_TIMELINESS_GRACE_DAYS = env_int("PORTAL_TIMELINESS_GRACE_DAYS", 3, minimum=0)
# Downloads. With an internal nginx location (e.g. `/protected-files/`) Django only authorises
# and meters, and nginx sends the bytes (X-Accel-Redirect). With object storage, downloads are
# redirected to a short-lived signed URL (on by default when S3_BUCKET is set).
PORTAL_DOWNLOAD_ACCEL_REDIRECT = env_str("PORTAL_DOWNLOAD_ACCEL_REDIRECT", "")
if PORTAL_DOWNLOAD_ACCEL_REDIRECT and not (
    PORTAL_DOWNLOAD_ACCEL_REDIRECT.startswith("/") and PORTAL_DOWNLOAD_ACCEL_REDIRECT.endswith("/")
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "PORTAL_DOWNLOAD_ACCEL_REDIRECT must be an internal location such as /protected-files/"
    )
PORTAL_DOWNLOAD_SIGNED_URLS = env_bool("PORTAL_DOWNLOAD_SIGNED_URLS", bool(env_str("S3_BUCKET")))
PORTAL_DOWNLOAD_URL_EXPIRE_SECONDS = env_int("PORTAL_DOWNLOAD_URL_EXPIRE_SECONDS", 300, minimum=1)
# The WSGI META key holding the client address set by the proxy (e.g. HTTP_X_REAL_IP); empty:
# REMOTE_ADDR. Only set it behind a proxy that overwrites the header.
PORTAL_CLIENT_IP_HEADER = env_str("PORTAL_CLIENT_IP_HEADER", "")

# --------------------------------------------------------------------------- developer API keys
# Keys, plans, rate limits, quotas and usage rollups (docs/developer-api-keys.md). The limits
# themselves are rows of developer.ApiPlan (editable in the admin); these name the plans used.
DEVELOPER_ANONYMOUS_PLAN = env_str("DEVELOPER_ANONYMOUS_PLAN", "anonymous")
DEVELOPER_DEFAULT_PLAN = env_str("DEVELOPER_DEFAULT_PLAN", "standard")
DEVELOPER_MAX_KEYS_PER_USER = env_int("DEVELOPER_MAX_KEYS_PER_USER", 20, minimum=1)
DEVELOPER_KEY_MAX_DATASETS = env_int("DEVELOPER_KEY_MAX_DATASETS", 200, minimum=1)
# 0: a key may be made without an expiry date; otherwise the longest lifetime allowed.
DEVELOPER_KEY_MAX_LIFETIME_DAYS = env_int("DEVELOPER_KEY_MAX_LIFETIME_DAYS", 0, minimum=0)
# The expiry the creation form suggests (0: none).
DEVELOPER_KEY_DEFAULT_LIFETIME_DAYS = env_int("DEVELOPER_KEY_DEFAULT_LIFETIME_DAYS", 365, minimum=0)
DEVELOPER_LAST_USED_RESOLUTION_SECONDS = env_int(
    "DEVELOPER_LAST_USED_RESOLUTION_SECONDS", 60, minimum=1
)
# Each rollup run recomputes this many recent hours from the raw usage rows, so rows committed
# late (a long call that started in the previous hour) are counted.
DEVELOPER_ROLLUP_RECENT_HOURS = env_int("DEVELOPER_ROLLUP_RECENT_HOURS", 3, minimum=1)
# Counter rows of subjects not seen for this long are deleted (they restart at zero anyway).
DEVELOPER_COUNTER_RETENTION_DAYS = env_int("DEVELOPER_COUNTER_RETENTION_DAYS", 2, minimum=2)
CELERY_BEAT_SCHEDULE["developer-rollup-usage"] = {
    "task": "portal.developer.tasks.rollup_usage",
    "schedule": timedelta(minutes=5),
}
CELERY_BEAT_SCHEDULE["developer-prune-counters"] = {
    "task": "portal.developer.tasks.prune_counters",
    "schedule": crontab(hour=3, minute=20),
}
# The dataset status enum in the OpenAPI document (other models have a `status` too).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["DatasetStatusEnum"] = "portal.models.DatasetStatus"

# --- Conditional access and public interaction (issue 5)
# docs/conditional-access.md and docs/interaction.md. Deadlines count Chinese working days.
INSTALLED_APPS += ["portal.access", "portal.interaction"]
ACCESS_REVIEW_WORKING_DAYS = env_int("ACCESS_REVIEW_WORKING_DAYS", 10, minimum=1)
# The one extension a holder may take (with a reason), counted from the current deadline.
ACCESS_EXTENSION_WORKING_DAYS = env_int("ACCESS_EXTENSION_WORKING_DAYS", 15, minimum=1)
ACCESS_MAX_PERIOD_DAYS = env_int("ACCESS_MAX_PERIOD_DAYS", 730, minimum=1)
ACCESS_REPORT_INTERVAL_DAYS = env_int("ACCESS_REPORT_INTERVAL_DAYS", 90, minimum=7)
INTERACTION_ERROR_REPORT_WORKING_DAYS = env_int(
    "INTERACTION_ERROR_REPORT_WORKING_DAYS", 5, minimum=1
)
if INTERACTION_ERROR_REPORT_WORKING_DAYS > 10:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("INTERACTION_ERROR_REPORT_WORKING_DAYS is at most 10.")
INTERACTION_REQUEST_WORKING_DAYS = env_int("INTERACTION_REQUEST_WORKING_DAYS", 10, minimum=1)
INTERACTION_SUGGESTION_WORKING_DAYS = env_int("INTERACTION_SUGGESTION_WORKING_DAYS", 10, minimum=1)
INTERACTION_COMPLAINT_WORKING_DAYS = env_int("INTERACTION_COMPLAINT_WORKING_DAYS", 10, minimum=1)
CELERY_BEAT_SCHEDULE["access-expire-grants"] = {
    "task": "portal.access.tasks.expire_grants",
    "schedule": timedelta(minutes=1),
}
CELERY_BEAT_SCHEDULE["access-flag-overdue"] = {
    "task": "portal.access.tasks.flag_overdue_applications",
    "schedule": timedelta(minutes=15),
}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "AccessApplicationStatusEnum": "portal.access.models.ApplicationStatus",
        "AccessGrantStatusEnum": "portal.access.models.GrantStatus",
        "DataRequestStatusEnum": "portal.interaction.models.RequestStatus",
        "FeedbackStatusEnum": "portal.interaction.models.FeedbackStatus",
        "FeedbackKindEnum": "portal.interaction.models.FeedbackKind",
        "ShowcaseKindEnum": "portal.interaction.models.ShowcaseKind",
        "ShowcaseStatusEnum": "portal.interaction.models.ShowcaseStatus",
    }
)
# --- Authorised operation: agreements and licences (issue 6)
# Queries refuse expired licences by date at once; these sweeps record the new states.
CELERY_BEAT_SCHEDULE["operations-expire-agreements"] = {
    "task": "operations.tasks.expire_agreements",
    "schedule": crontab(hour=0, minute=5),
}
CELERY_BEAT_SCHEDULE["operations-expire-licences"] = {
    "task": "operations.tasks.expire_licences",
    "schedule": crontab(hour=0, minute=10),
}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["OperationsPartyKindEnum"] = (
    "operations.models.PartyKind"
)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["OperationsDocumentKindEnum"] = (
    "operations.models.DocumentKind"
)
# Several `kind` choice sets now: name the registry's attachment kinds explicitly.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["KindEnum"] = "registry.models.AttachmentKind"

# --- Enum names shared across the merged apps: three choice sets on fields named "decision".
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "OperationsReviewDecisionEnum": "operations.models.ReviewDecision",
        "ModerationDecisionEnum": ["hide", "restore", "dismiss_reports"],
        "ShowcaseDecisionEnum": ["approve", "reject"],
    }
)

# --- federation between deployments (issue 8)
# Empty role: one deployment holds the national and provincial platforms (the default).
# "national" or "provincial" (with FEDERATION_PROVINCE): separate nodes linked by the signed
# protocol of docs/federation.md. Keys are base64 raw Ed25519 (`manage.py federation_keygen`).
FEDERATION_ROLE = env_str("FEDERATION_ROLE", "")
FEDERATION_PROVINCE = env_str("FEDERATION_PROVINCE", "")
FEDERATION_NODE_CODE = env_str("FEDERATION_NODE_CODE", "")
FEDERATION_NATIONAL_URL = env_str("FEDERATION_NATIONAL_URL", "")
FEDERATION_SIGNING_KEY = env_str("FEDERATION_SIGNING_KEY", "")
FEDERATION_SIGNING_KEY_FILE = env_str("FEDERATION_SIGNING_KEY_FILE", "")
FEDERATION_NATIONAL_PUBLIC_KEY = env_str("FEDERATION_NATIONAL_PUBLIC_KEY", "")
FEDERATION_NATIONAL_PUBLIC_KEY_FILE = env_str("FEDERATION_NATIONAL_PUBLIC_KEY_FILE", "")
# A signed message older or newer than this is refused (clocks must be roughly in sync).
FEDERATION_REPLAY_WINDOW_SECONDS = env_int("FEDERATION_REPLAY_WINDOW_SECONDS", 300, minimum=10)
FEDERATION_TIMEOUT_SECONDS = env_int("FEDERATION_TIMEOUT_SECONDS", 10, minimum=1)
FEDERATION_BATCH_SIZE = env_int("FEDERATION_BATCH_SIZE", 50, minimum=1)
FEDERATION_PULL_PAGE_SIZE = env_int("FEDERATION_PULL_PAGE_SIZE", 100, minimum=1)
FEDERATION_MAX_BODY_BYTES = env_int("FEDERATION_MAX_BODY_BYTES", 4 * 1024 * 1024, minimum=1024)
# Peers are configured by administrators, yet loopback/private/link-local addresses are refused
# unless this is on (tests and single-host or intranet deployments).
FEDERATION_ALLOW_PRIVATE_ADDRESSES = env_bool("FEDERATION_ALLOW_PRIVATE_ADDRESSES", False)
# Beyond this many seconds without a successful sync a node shows as lagging.
FEDERATION_LAG_WARNING_SECONDS = env_int("FEDERATION_LAG_WARNING_SECONDS", 3600, minimum=60)
# Scheduled only on the node that needs them (a single deployment runs neither).
if FEDERATION_ROLE == "provincial":
    CELERY_BEAT_SCHEDULE["federation-deliver-outbox"] = {
        "task": "registry.federation.tasks.deliver_outbox",
        "schedule": timedelta(seconds=env_int("FEDERATION_DELIVER_EVERY_SECONDS", 30, minimum=1)),
    }
if FEDERATION_ROLE == "national":
    CELERY_BEAT_SCHEDULE["federation-pull-nodes"] = {
        "task": "registry.federation.tasks.pull_nodes",
        "schedule": timedelta(minutes=env_int("FEDERATION_PULL_EVERY_MINUTES", 15, minimum=1)),
    }
REGISTRY_NATIONAL_CODE_RULE = env_str(
    "REGISTRY_NATIONAL_CODE_RULE", "registry.codes.default_national_code_rule"
)
# --- Authorised operation: products, pricing, billing, disclosure (issue 7)
import re  # noqa: E402

# docs/pricing-and-billing.md. A trial pricing period (operator without a full year of
# history) lasts at most this many days.
COMMERCE_TRIAL_MAX_DAYS = env_int("COMMERCE_TRIAL_MAX_DAYS", 366, minimum=1)
# The annual disclosure of year Y is due on this day (MM-DD) of year Y+1.
COMMERCE_DISCLOSURE_DUE = env_str("COMMERCE_DISCLOSURE_DUE", "03-31")
if not re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", COMMERCE_DISCLOSURE_DUE):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("COMMERCE_DISCLOSURE_DUE must be MM-DD, e.g. 03-31")
# Idempotency records of billing POSTs are kept this long.
COMMERCE_IDEMPOTENCY_RETENTION_DAYS = env_int("COMMERCE_IDEMPOTENCY_RETENTION_DAYS", 30, minimum=1)
# A request holding an Idempotency-Key longer than this is taken to have died (longer than any
# request may run: gunicorn's worker timeout); a retry with the same key then runs instead.
COMMERCE_IDEMPOTENCY_STALE_SECONDS = env_int("COMMERCE_IDEMPOTENCY_STALE_SECONDS", 300, minimum=30)
for _name, _choices in {
    "CommerceProductStatusEnum": "ProductStatus",
    "CommerceProductKindEnum": "ProductKind",
    "CommercePriceStatusEnum": "PriceStatus",
    "CommerceOrderStatusEnum": "OrderStatus",
    "CommerceStatementStatusEnum": "StatementStatus",
    "CommercePeriodStatusEnum": "PeriodStatus",
    "CommerceDisclosureStatusEnum": "DisclosureStatus",
}.items():
    SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"][_name] = f"operations.commerce.models.{_choices}"
CELERY_BEAT_SCHEDULE["commerce-prune-idempotency"] = {
    "task": "operations.commerce.tasks.prune_idempotency_records",
    "schedule": crontab(hour=3, minute=40),
}
# --- benchmarks and hot paths (issue 9)
# Metering (rate limits, quotas, usage rows) of API calls. Only the benchmark turns it off, to
# measure what it costs; a deployment keeps it on.
DEVELOPER_METERING = env_bool("DEVELOPER_METERING", True)
# Whether the commit of an open-data API call's usage row and quota units waits for the disk.
# Off by default: the row and its units are still one atomic transaction (never one without
# the other), but a crash of the database server may lose the last ~0.6 s of free API calls
# (PostgreSQL's asynchronous commit: at most three wal_writer_delay). A flush per call costs
# more than the call itself (docs/performance.md). Paid product calls (operations.commerce)
# always commit durably; turn this on where open API calls are billed.
DEVELOPER_USAGE_DURABLE_COMMIT = env_bool("DEVELOPER_USAGE_DURABLE_COMMIT", False)
# maintenance_work_mem while an ingest builds a table's indexes (a PostgreSQL memory size).
DATASTORE_INDEX_MEMORY = env_str("DATASTORE_INDEX_MEMORY", "256MB")
# An ingest builds a table's full-text (GIN) index on a second connection while its b-trees are
# built on the first (two cores busy, two DATASTORE_INDEX_MEMORY at most).
DATASTORE_PARALLEL_INDEXES = env_bool("DATASTORE_PARALLEL_INDEXES", True)
