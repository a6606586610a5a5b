"""Settings shared by every environment: safe by default (DEBUG off, secrets from the environment)."""

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import dj_database_url
import xstatic.pkg.leaflet
from csp.constants import NONE, SELF

from commons.speed.shortcuts import fallbacks_from

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "commons",
    "methods",
    "territories",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "markdownx",
    "rest_framework",
    "corsheaders",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "axes",  # login throttling (commons.security.login)
]

MIDDLEWARE = [
    # First, as django-cors-headers asks: a page served from the cache below gets its CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    # Outside the page cache: a reader that has the current version (ETag, Last-Modified) gets a
    # 304 from a cached page too; pages without an ETag of their own get one from their content.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Above the page cache: a cached page gets the headers of the moment (commons.security.headers).
    "commons.security.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Here, early: a hit skips every layer below. Anyone signed in carries a session cookie and is
    # never served from the cache; what the layers below add to a response (language, Vary,
    # X-Frame-Options) is stored with the page, and a response that sets a cookie (CSRF token,
    # session) is never stored.
    "commons.speed.page_cache.PageCacheMiddleware",
    "commons.speed.serving.CachedSiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The database away (a restart): a French 503 with Retry-After rather than a 500.
    "commons.resilience.DatabaseUnavailableMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "commons.urls"
WSGI_APPLICATION = "commons.wsgi.application"

TEMPLATES = [
    # The public pages (`templates/`, Jinja2: see `commons.rendering.jinja2`); the admin and other apps
    # keep Django templates, found by the second engine in the apps.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "commons.rendering.jinja2.environment",
            "extensions": ["wagtail.jinja2tags.core", "wagtail.admin.jinja2tags.userbar"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database_from_env(variable: str = "DATABASE_URL") -> dict:
    """SQLite when DATABASE_URL is unset; fail fast with a clear message when it is set but wrong."""
    url = os.environ.get(variable, "").strip()
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
    try:
        # CONN_HEALTH_CHECKS: a persistent connection that PostgreSQL dropped (a restart) is checked
        # and replaced at the start of a request, instead of failing it (commons/resilience.py).
        config = dj_database_url.parse(
            url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")), conn_health_checks=True
        )
    except (ValueError, KeyError) as error:
        raise ImproperlyConfigured(f"{variable} is not a valid database URL: {error}") from error
    if config.get("ENGINE") not in {
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    }:
        raise ImproperlyConfigured(f"{variable} must point to PostgreSQL (postgres://…) or SQLite.")
    if config["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_PREPARED_STATEMENTS", True):
        config.setdefault("OPTIONS", {}).update(POSTGRES_PREPARED_STATEMENTS)
    return config


# Values travel apart from the SQL (server-side binding), so a query that has run 5 times on a
# connection is prepared: PostgreSQL plans it once, not at every request. A fiche's queries take
# more time to plan than to run (0.15 to 0.4 ms against 0.02 to 0.2 ms), so this saves a third of
# the time a fiche takes. DATABASE_PREPARED_STATEMENTS=false turns it off (a pooler that cannot
# keep prepared statements, such as PgBouncer before 1.21 in transaction mode).
POSTGRES_PREPARED_STATEMENTS = {"server_side_binding": True, "prepare_threshold": 5}


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes, commons.security.login): 5 failures in a row for one username from
# one address lock that pair out for 15 minutes; a success clears the count. Only failures are
# recorded (no log of every successful login: less personal data to keep).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "commons.security.login.lockout_response"
AXES_CLIENT_IP_CALLABLE = "commons.security.login.client_address"
AXES_VERBOSE = False
# Reverse proxies in front of the site whose X-Forwarded-For is trusted (1 behind nginx).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Leaflet (the map of /territoires/) comes from PyPI (XStatic-Leaflet) and is served as our own
# static file under leaflet/: no Node, no CDN.
STATICFILES_DIRS = [BASE_DIR / "static", ("leaflet", xstatic.pkg.leaflet.BASE_DIR)]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "commons.speed.storage.StaticFilesStorage"},
}


def cache_from_env() -> dict:
    """Redis when REDIS_URL is set, local memory otherwise."""
    redis_url = os.environ.get("REDIS_URL", "").strip()
    if redis_url:
        # Django's RedisCache, where Redis unreachable is a logged miss (commons/resilience.py).
        return {"BACKEND": "commons.resilience.ResilientRedisCache", "LOCATION": redis_url}
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


CACHES = {"default": cache_from_env()}
# Whole public pages for anonymous visitors (commons/page_cache.py); 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# Shortcuts of the speed layer that fall back to Django's or Wagtail's own path (commons.speed.shortcuts).
COMMONS_FALLBACKS = fallbacks_from(os.environ.get("COMMONS_FALLBACKS", ""))

# Wagtail
WAGTAIL_SITE_NAME = "Communs des transitions"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
WAGTAIL_USER_EDIT_FORM = None
# French full-text search on PostgreSQL and SQLite (see commons/search_backend/); the two text
# search configurations are created on PostgreSQL by the migration commons.0004, SQLite ignores them.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "commons.search.backend",
        "SEARCH_CONFIG": "french_unaccent",
        "AUTOCOMPLETE_CONFIG": "simple_unaccent",
    }
}
# Uploads (commons.security.uploads): an allow-list checked by content, never SVG, HTML or archives;
# every document is served as an attachment (none inline, PDF included: a PDF viewer runs scripts)
# with its content type and X-Content-Type-Options: nosniff, through Wagtail's serve view.
WAGTAILDOCS_EXTENSIONS = [
    *("pdf", "odt", "ods", "odp", "docx", "xlsx", "pptx", "png", "jpg", "jpeg"),
    *("csv", "md", "txt"),  # plain text, as the tool files of fixtures/tools/files/ are
]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "commons.security.uploads.DocumentForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_CONTENT_TYPES = {"md": "text/markdown; charset=utf-8", "csv": "text/csv; charset=utf-8"}
COMMONS_DOCUMENT_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["png", "jpg", "jpeg"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party requests from the admin (privacy)
WAGTAIL_FINISH_WORKFLOW_ACTION = "commons.editing.workflow_actions.publish_approved_revision"
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
TAGGIT_CASE_INSENSITIVE = True

# The open data: GET from any origin, without credentials, on the API and the exports only.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/(api/v2|export)/.*$"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
WAGTAILAPI_LIMIT_MAX = 100  # items per response of /api/v2/ (?limit=, ?offset=)
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL  # the API's detail_url, not the Site's "localhost"

# Markdown preview in the admin goes through the one renderer of the commons.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "commons.rendering.markdown.render_markdown"
MARKDOWNX_URLS_PATH = "/markdownx/markdownify/"
MARKDOWNX_EDITOR_RESIZABLE = True

# Hosts whose links are not "external" in rendered Markdown (no rel="nofollow noopener").
COMMONS_INTERNAL_HOSTS = env_list("COMMONS_INTERNAL_HOSTS", ",".join(ALLOWED_HOSTS))
COMMONS_FIXTURES_DIR = Path(os.environ.get("COMMONS_FIXTURES_DIR", BASE_DIR / "fixtures"))

# Response headers (commons.security.headers). Django's SecurityMiddleware sends nosniff,
# Referrer-Policy and Cross-Origin-Opener-Policy; XFrameOptionsMiddleware sends X-Frame-Options.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views override it with SAMEORIGIN for their iframe
# Public pages: no inline script or style at all, and no nonce (the page cache would freeze it).
# Map tiles of /territoires/ come from OpenStreetMap; Leaflet blanks a tile it drops with a data:
# image (an empty GIF): images cannot run code, so data: is allowed for images only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https://tile.openstreetmap.org"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
# The Wagtail admin (/admin/, its login and password reset included) cannot run under the public
# policy: its panels and widgets print inline <script> blocks (InlinePanel, date and time pickers,
# choosers' modal responses run through jQuery) and inline style attributes, so it needs
# 'unsafe-inline' for scripts and styles (Wagtail issues #1288 and #7053); image previews before
# upload are data: and blob: URLs; the page preview is a same-origin iframe. Only signed-in
# editors see it, behind CSRF protection and login throttling.
COMMONS_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, "'unsafe-inline'"],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:", "https://tile.openstreetmap.org"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
# Browser features the site never uses, refused to every page and anything it could embed.
COMMONS_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), browsing-topics=()"
)

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "communs@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
