"""Django settings, read from environment variables (see .env.example for every one).

A `.env` file in the project root is read first when present; variables already in the
environment win, so a deployment or a test run can override any value.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Final

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy

from gis_service.core.maps import DEFAULT_ATTRIBUTION
from gis_service.env import (
    database_from_url,
    email_from_url,
    env_bool,
    env_contacts,
    env_hosts,
    env_int,
    env_list,
    env_rate,
    env_str,
    env_tile_url,
    env_url,
    read_dotenv,
    url_origin,
)

BASE_DIR = Path(__file__).resolve().parent.parent


read_dotenv(Path(os.environ.get("ENV_FILE", BASE_DIR / ".env")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is not set: set it to a long random string (or DEBUG=true locally)")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
# The port `make run` serves on; also the port of the default SITE_URL, so `PORT=18300 make run`
# mails, shares and prints markers with links that lead to the server that was started.
PORT = env_int("PORT", 8000, minimum=1, maximum=65535)
SITE_URL = env_url("SITE_URL", f"http://127.0.0.1:{PORT}", schemes=("http", "https")).rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

# Geometries are stored in this SRID. RD New (EPSG:28992) is metric and exact for the
# Netherlands, so areas and overlaps in m² need no reprojection. Elsewhere pick a local
# metric projection; changing it after the first migration needs a data migration.
STORAGE_SRID = env_int("STORAGE_SRID", 28992, minimum=1024, maximum=999999)

# The public map's background: an XYZ template of Web Mercator tiles (PDOK's BRT-Achtergrondkaart by
# default); empty for none. The locations are drawn from our own vector tiles either way.
MAP_BACKGROUND_URL = env_tile_url(
    "MAP_BACKGROUND_URL", "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
)
MAP_BACKGROUND_ATTRIBUTION = env_str("MAP_BACKGROUND_ATTRIBUTION", DEFAULT_ATTRIBUTION)  # translated: core/maps.py
# The map's address search: a geocoder answering as PDOK's Locatieserver `/free` does (Solr-like JSON,
# response.docs[] with weergavenaam and centroide_ll). Asked by our server, so browsers need no other origin.
GEOCODER_URL = env_url(
    "GEOCODER_URL", "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free", schemes=("http", "https")
)
GEOCODER_TIMEOUT = env_int("GEOCODER_TIMEOUT", 5, minimum=1, maximum=60)
# The lists of the public map (web/views/locations.py), fixed here rather than configurable: each is
# a measured trade (docs/benchmarks.md). The map page lists at most MAP_LIST_LIMIT of its selection
# (for browsers without the map's script). The list beside the map follows its view a page at a time,
# short enough to tab through on a phone; it answers views up to MAP_VIEW_MAX_DEGREES wide (sorting
# and counting a whole country's locations would take seconds; at that width the map shows cells
# and asks to zoom in), and counts MAP_VIEW_COUNT_LIMIT past its page's start before it says "more
# than": a degree square of a dense region holds 100,000 of 1,000,000 locations, and counting them
# took 0.1-2 s.
MAP_LIST_LIMIT = 500
MAP_VIEW_PAGE_SIZE = 20
MAP_VIEW_MAX_DEGREES = 1.0
MAP_VIEW_COUNT_LIMIT = 1000

# gis.W001: Debian's GDAL 3.6 cannot block file and network access from spatial references.
# Users never hand us a spatial reference string: CRSs are taken from an allow-list (OGC,
# overlap check) and uploaded files are opened by pyogrio's own GDAL after their names are checked.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

INSTALLED_APPS = [
    "gis_service.core.admin_apps.ZelfbeheerAdminConfig",  # django.contrib.admin, entered by role too
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework.authtoken",
    # Not "rest_framework_gis": its app only maps GeoDjango fields for ModelSerializer at start-up,
    # which loads DRF's serializers (and, through DRF's compat, requests and pygments) into every
    # process, 0.13 s of each command's start. Our serializers declare their geometry fields;
    # tests/api/test_geometry_fields_declared.py fails when one leaves it to that mapping.
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI from our static files: municipal networks often block CDNs
    "gis_service.core",
    "gis_service.accounts",
    "gis_service.owners",
    "gis_service.locations",
    "gis_service.groups",
    "gis_service.contracts",
    "gis_service.initiatives",
    "gis_service.support",
    "gis_service.budgets",
    "importers",
    "ogc",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",  # SECURE_CSP below, on every answer
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gis_service.core.timeouts.StatementTimeoutMiddleware",  # statement_timeout per request; 503 past it
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gis_service.accounts.middleware.ProfileLanguageMiddleware",  # a user's own language beats the cookie
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gis_service.urls"
WSGI_APPLICATION = "gis_service.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # web's registration/ templates (log-in, password reset in the site's look) must win over
        # the admin's bare ones, whose app comes first in INSTALLED_APPS.
        "DIRS": [BASE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url("DATABASE_URL", "postgis://postgres@127.0.0.1:5432/zelfbeheer"),
}
# PostgreSQL JIT-compiles queries whose cost estimate passes jit_above_cost. Ours are short web
# requests and set-based imports whose time goes into PostGIS functions, which JIT cannot
# compile: a feed count over a large bbox took 370-470 ms with JIT, 230 ms without.
# zelfbeheer.time_zone gives the database's rules the same "today" as Python's
# timezone.localdate() (zelfbeheer_today() in gis_service/locations/sql/status.sql).
TIME_ZONE = "Europe/Amsterdam"
_options = DATABASES["default"]["OPTIONS"]
_options["options"] = (f"-c jit=off -c zelfbeheer.time_zone={TIME_ZONE} " + _options.get("options", "")).strip()
# The longest one SQL statement of a web request may run, in seconds (gis_service/core/timeouts.py);
# admin pages get their own (0: none). Celery tasks (imports) and management commands have none.
WEB_STATEMENT_TIMEOUT = env_int("WEB_STATEMENT_TIMEOUT", 10, minimum=1)
ADMIN_STATEMENT_TIMEOUT = env_int("ADMIN_STATEMENT_TIMEOUT", 300, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Django's validators with our Dutch messages (Django's Dutch misses one since 6.1).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "gis_service.accounts.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "gis_service.accounts.password_validation.MinimumLengthValidator"},
    {"NAME": "gis_service.accounts.password_validation.CommonPasswordValidator"},
]
# Password guessing: failed log-ins per user name from one address, and per address, within
# LOGIN_LOCK_SECONDS of the first; past either limit log-ins are refused (accounts.login_limits).
AUTHENTICATION_BACKENDS = [
    "gis_service.accounts.login_limits.LimitedModelBackend",
    # Permissions from roles at owners (a GIS admin's importer screens); authenticates nobody.
    "gis_service.accounts.roles.RolePermissionBackend",
]
LOGIN_FAILURES_PER_USER_AND_ADDRESS = 10
LOGIN_FAILURES_PER_ADDRESS = 50
LOGIN_LOCK_SECONDS = 15 * 60
# Password-reset mails per e-mail address and per client address within the window; past either,
# the form says the same but sends nothing (accounts.forms.LimitedPasswordResetForm).
PASSWORD_RESETS_PER_EMAIL = 3
PASSWORD_RESETS_PER_ADDRESS = 10
PASSWORD_RESET_WINDOW_SECONDS = 60 * 60
# Registration (accounts.forms, accounts.services): accounts one client address may create, and
# confirmation mails (of a registration or a changed e-mail address) per mailbox and per client
# address, within ACCOUNT_LIMIT_WINDOW_SECONDS; past a limit the form says so (per client) or
# nothing is sent (per mailbox). A confirmation link stays valid ACCOUNT_CONFIRMATION_SECONDS; a
# registration not confirmed by then frees its address for a new one.
REGISTRATIONS_PER_ADDRESS = env_int("REGISTRATIONS_PER_ADDRESS", 5, minimum=1)
CONFIRMATION_MAILS_PER_EMAIL = env_int("CONFIRMATION_MAILS_PER_EMAIL", 3, minimum=1)
CONFIRMATION_MAILS_PER_ADDRESS = env_int("CONFIRMATION_MAILS_PER_ADDRESS", 10, minimum=1)
ACCOUNT_LIMIT_WINDOW_SECONDS = 60 * 60
ACCOUNT_CONFIRMATION_SECONDS = env_int("ACCOUNT_CONFIRMATION_SECONDS", 2 * 24 * 3600, minimum=60)
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Dutch is the site's language and the source language of every msgid; English comes from the
# catalogs (docs/i18n.md). Each language is named in itself, as the language switch shows it.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
USE_I18N = True
# One catalog per app, then gis_service/locale for the modules outside apps (gis_service/geo, api,
# the top-level modules). makemessages puts a file's strings in the first of these whose parent
# holds the file, so the apps come before gis_service/locale and `make messages` from the project
# root fills every catalog in one run.
# Our own apps, read from INSTALLED_APPS so a new app gets its catalog without a second list.
LOCALE_APP_DIRS = [
    app.replace(".", "/")
    for app in INSTALLED_APPS
    if app.split(".")[0] in ("gis_service", "importers", "ogc", "web") and (BASE_DIR / app.replace(".", "/")).is_dir()
]
LOCALE_PATHS = [BASE_DIR / app / "locale" for app in LOCALE_APP_DIRS] + [BASE_DIR / "gis_service" / "locale"]
# The visitor's choice lives a year in this cookie; a logged-in user's profile (User.language) wins over it.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = SITE_URL.startswith("https://")
LANGUAGE_COOKIE_SAMESITE: Final = "Lax"
# Our English readers are in the Netherlands: dates day month year ("6 December 2026"), not Django's
# US "Dec. 6, 2026" (gis_service/formats/en/formats.py).
FORMAT_MODULE_PATH = ["gis_service.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Front-end libraries come from npm (web/frontend, installed by make setup) and are served
# under their own prefix, so templates say {% static 'leaflet/dist/leaflet.js' %}.
_NODE_MODULES = BASE_DIR / "web" / "frontend" / "node_modules"
STATICFILES_DIRS = [
    (prefix, _NODE_MODULES / package)
    for prefix, package in (("leaflet", "leaflet"), ("geoman", "@geoman-io/leaflet-geoman-free"))
    if (_NODE_MODULES / package).is_dir()
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "gis_service.core.vendor.VendorFileFinder",  # OpenLayers for the admin's map, from npm
]
# Files served at the site's root by WhiteNoise, for clients that ask a fixed path without reading
# our pages: browsers fetch /favicon.ico from every host they visit (a 404 otherwise).
WHITENOISE_ROOT = BASE_DIR / "web" / "public"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "/media/"
# Relative paths are taken from the project root; absolute ones as they are.
MEDIA_ROOT = BASE_DIR / env_str("MEDIA_ROOT", "var/media")
# Uploaded source files (shapefile zips, GeoPackages) larger than this are refused.
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 200, minimum=1)
# Largest photo a group member may upload; photos are re-encoded without EXIF anyway.
MAX_PHOTO_MB = env_int("MAX_PHOTO_MB", 10, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# How deeply JSON sent to the API may nest (gis_service/api/parsers.py); GeoJSON needs 5.
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 32, minimum=8, maximum=200)
# How many arrays and objects one JSON document sent to the API (or the feed) may hold, counted before
# parsing: a drawn area needs one per vertex (AREA_MAX_VERTICES); 10 MB of empty arrays took 1 s to parse.
API_JSON_MAX_CONTAINERS = env_int("API_JSON_MAX_CONTAINERS", 50_000, minimum=1_000)

# Web service sources (importers/readers/services.py): features asked for per WFS GetFeature page
# (large, since MapServer starts a process per request; a server's own cap, announced as
# CountDefault or met as a short page, lowers it) and per OGC API Features page, and the seconds
# to wait for any answer before the run fails.
IMPORT_WFS_PAGE_SIZE = env_int("IMPORT_WFS_PAGE_SIZE", 5000, minimum=1)
IMPORT_OAPIF_PAGE_SIZE = env_int("IMPORT_OAPIF_PAGE_SIZE", 1000, minimum=1)
IMPORT_HTTP_TIMEOUT = env_int("IMPORT_HTTP_TIMEOUT", 60, minimum=1)
# Web service sources are read from public addresses only (importers/readers/hosts.py): these host
# names, addresses and networks (CIDR) may be internal, e.g. "wfs.intern.example,10.20.0.0/16".
IMPORT_ALLOWED_HOSTS = env_hosts("IMPORT_ALLOWED_HOSTS", [])
# After a run that created or withdrew at least this many locations, the importer refreshes the
# planner's statistics of the locations table (importers/sql.py ANALYZE_LOCATIONS); 0: after every run that did.
IMPORT_ANALYZE_MIN_ROWS = env_int("IMPORT_ANALYZE_MIN_ROWS", 5000, minimum=0)
# A running import writes its heartbeat every IMPORT_HEARTBEAT_SECONDS; a run whose heartbeat is
# older than IMPORT_RUN_STALE_SECONDS has lost its worker and is failed by the sweep (every 30 s,
# and when a new sync of its source starts). Its work folder, under IMPORT_WORK_DIR (zips are
# unpacked there, up to MAX_UPLOAD_MB × 10), is removed then too.
IMPORT_HEARTBEAT_SECONDS = env_int("IMPORT_HEARTBEAT_SECONDS", 5, minimum=1)
IMPORT_RUN_STALE_SECONDS = env_int("IMPORT_RUN_STALE_SECONDS", 20, minimum=2)
if IMPORT_RUN_STALE_SECONDS < 3 * IMPORT_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        f"IMPORT_RUN_STALE_SECONDS={IMPORT_RUN_STALE_SECONDS} must be at least three heartbeats "
        f"(IMPORT_HEARTBEAT_SECONDS={IMPORT_HEARTBEAT_SECONDS}), or a slow beat fails a live run"
    )
IMPORT_WORK_DIR = env_str("IMPORT_WORK_DIR", str(Path(tempfile.gettempdir()) / "zelfbeheer-imports"))
# The longest an import may take. Redis hands a task that was not acknowledged within its
# visibility timeout to another worker (tasks are acknowledged when they end, CELERY_TASK_ACKS_LATE),
# so a longer import would run twice; a task of a killed worker is handed out again after this too.
IMPORT_MAX_RUN_MINUTES = env_int("IMPORT_MAX_RUN_MINUTES", 180, minimum=1)

# Celery: JSON only, so a task's arguments are ids and plain values, never pickled objects.
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0", schemes=("redis", "rediss", "amqp"))
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
# One queue per deployment; tests use a queue of their own so parallel runs never share work.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "zelfbeheer")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": IMPORT_MAX_RUN_MINUTES * 60}
# Periodic work (celery beat). Entries are added per app, each a task name and an interval in seconds.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "contracts-remind-ending": {"task": "contracts.remind_ending", "schedule": 6 * 3600},
    # Hourly, so a contract or an offering period ends within the hour after midnight.
    "contracts-end-due": {"task": "contracts.end_due", "schedule": 3600},
    "locations-follow-calendar": {"task": "locations.follow_calendar", "schedule": 3600},
    "ogc-compact-counters": {"task": "ogc.compact_counters", "schedule": 60.0},
    # Hourly, so a recurring task's next one is there within the hour after its day passed.
    "groups-repeat-tasks": {"task": "groups.repeat_tasks", "schedule": 3600},
}

# The workflow (gis_service/contracts): days before a contract ends that its managers and
# regisseurs are reminded; the largest area the overlap check measures.
CONTRACT_REMINDER_DAYS = env_int("CONTRACT_REMINDER_DAYS", 30, minimum=1)
OVERLAP_CHECK_MAX_AREA_M2 = env_int("OVERLAP_CHECK_MAX_AREA_M2", 1_000_000, minimum=1)
# How many existing locations one initiative may propose, refused before any is read: all 770 of
# a municipality took 10.9 s to join into one area (issue 17).
INITIATIVE_MAX_LOCATIONS = env_int("INITIATIVE_MAX_LOCATIONS", 50, minimum=1, maximum=1000)
# Submissions per resident (POST /api/initiatives/), as DRF writes a rate: n/second|minute|hour|day.
INITIATIVE_SUBMIT_RATE = env_rate("INITIATIVE_SUBMIT_RATE", "20/hour")
# Messages per resident in initiatives' discussions (API and web page count together): each one
# mails the initiators, so a flood of posts is a flood of mail.
INITIATIVE_POST_RATE = env_rate("INITIATIVE_POST_RATE", "10/hour")

# Bounds on what one request may ask to compute, checked while parsing, before GEOS, PROJ or
# PostgreSQL see it (docs/security.md): vertices, rings and parts of a drawn or edited area
# (gis_service/geo/limits.py), and the size, arguments per operator, nesting and geometry
# vertices of a CQL2 filter (ogc/cql.py).
AREA_MAX_VERTICES = env_int("AREA_MAX_VERTICES", 10_000, minimum=4)
AREA_MAX_RINGS = env_int("AREA_MAX_RINGS", 100, minimum=1)
AREA_MAX_PARTS = env_int("AREA_MAX_PARTS", 100, minimum=1)
CQL2_MAX_CHARS = env_int("CQL2_MAX_CHARS", 65_536, minimum=1024)
CQL2_MAX_ARGS = env_int("CQL2_MAX_ARGS", 100, minimum=2)
CQL2_MAX_DEPTH = env_int("CQL2_MAX_DEPTH", 20, minimum=2, maximum=100)
CQL2_MAX_VERTICES = env_int("CQL2_MAX_VERTICES", 1_000, minimum=4)
# Feed requests with a CQL2 filter per client address (ogc/throttles.py); plain pages are not counted.
OGC_FILTER_RATE = env_rate("OGC_FILTER_RATE", "120/min")
# A filtered feed page counts its matches up to this many for numberMatched; past it the page leaves
# numberMatched out, as OGC API Features allows (docs/ogc.md). resulttype=hits always counts all.
OGC_COUNT_MAX = env_int("OGC_COUNT_MAX", 10_000, minimum=1)

_email_url = env_str("EMAIL_URL", "console://")
MAILERS: dict[str, dict[str, Any]]
if _email_url.startswith("console:"):
    MAILERS = {"default": {"BACKEND": "gis_service.core.mail_console.ReadableConsoleBackend"}}
else:
    _email = email_from_url("EMAIL_URL", _email_url)
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email.host,
                "port": _email.port,
                "username": _email.user,
                "password": _email.password,
                "use_tls": _email.use_tls,
                "use_ssl": _email.use_ssl,
                "timeout": 10,
            },
        }
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Zelfbeheer <noreply@localhost>")
# Where to report a vulnerability, as /.well-known/security.txt (RFC 9116) lists it: mailto: or
# https: URIs, comma-separated. Unset, that file answers 404 rather than name nobody.
SECURITY_CONTACT = env_contacts("SECURITY_CONTACT")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "gis_service.api.pagination.Pages",
    # JSON with a nesting limit, finite numbers and no lone surrogates (docs/security.md).
    "DEFAULT_PARSER_CLASSES": [
        "gis_service.api.parsers.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "gis_service.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"overlap_check": env_rate("OVERLAP_CHECK_RATE", "120/min")},
    # How many proxies of ours stand in front of the app, each appending to X-Forwarded-For.
    # Rate limits count the address the nearest of them saw; with 0 (gunicorn reached
    # directly) the header is the client's own words and only REMOTE_ADDR counts. DRF's
    # default (None) took the whole header, so a made-up value per request escaped any limit.
    "NUM_PROXIES": env_int("NUM_PROXIES", 0, minimum=0),
}
# The document and its page speak the request's language (docs/i18n.md): lazy texts, resolved as each
# request builds the document; docstrings are for developers and never shown (every description is a
# gettext_lazy Dutch msgid); the few texts of drf-spectacular and Django REST framework themselves that
# have no Dutch go through gis_service.api.schema.
SPECTACULAR_SETTINGS = {
    "TITLE": gettext_lazy("Zelfbeheer-API"),
    "DESCRIPTION": gettext_lazy("Locaties, voorwaarden, aanmeldingen, contracten, initiatieven en de overlapcheck."),
    "DISABLE_DOCSTRING_DESCRIPTIONS": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "gis_service.api.schema.translate_library_texts",
    ],
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name ("kind") with others get their own names.
    "ENUM_NAME_OVERRIDES": {
        "SupporterKindEnum": "gis_service.support.models.SupporterKind",
        "SupportKindEnum": "gis_service.support.models.SupportKind",
    },
    # No deep-link anchor inside each operation's toggle button: a link in a button is a nested
    # interactive control (WCAG 4.1.2, axe-core nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_url("CACHE_URL", "redis://127.0.0.1:6379/1", schemes=("redis", "rediss", "unix")),
    }
}

SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind our own proxies (NUM_PROXIES > 0), TLS ends at the nearest one, and it says in
# X-Forwarded-Proto how the client came; without this Django took every request for plain http
# (no HSTS header, http:// in absolute URLs). With no proxy the header is the client's word, so
# it is not trusted then.
if REST_FRAMEWORK["NUM_PROXIES"]:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A site served over https tells browsers to keep to https for a year (sent on https requests only).
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if SESSION_COOKIE_SECURE else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every answer (Django's own middleware; docs/security.md): scripts,
# styles, fonts and frames from our own origin only, no inline script, style or handler, so an
# injected <script> or onerror= does not run. Images may also be data: URIs (Swagger UI's and
# Leaflet's CSS use them) and, like fetches, come from the public map's background host.
# MapLibre runs its workers from blob: URLs. Scripts that set element.style through the CSSOM
# (MapLibre, Leaflet, OpenLayers, Swagger UI) are not affected by style-src.
_MAP_BACKGROUND_ORIGIN = [url_origin(MAP_BACKGROUND_URL)] if MAP_BACKGROUND_URL else []
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *_MAP_BACKGROUND_ORIGIN],
    "connect-src": [CSP.SELF, *_MAP_BACKGROUND_ORIGIN],
    "worker-src": [CSP.SELF, "blob:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
