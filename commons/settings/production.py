"""Production: everything from the environment; passes `manage.py check --deploy`."""

import os

from django.core.exceptions import ImproperlyConfigured

from commons.logs import logging_config

from .base import *  # noqa: F403
from .base import database_from_env, env_bool, env_list

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# W019: the Wagtail admin previews pages in a same-origin iframe, so SAMEORIGIN is deliberate.
# W021: joining the HSTS preload list is the domain owner's decision (SECURE_HSTS_PRELOAD).
SILENCED_SYSTEM_CHECKS = ["security.W019", "security.W021"]

# Structured logs: one JSON object per line on stderr (journald keeps them); LOG_FORMAT=text for plain lines.
LOGGING = logging_config(os.environ.get("LOG_LEVEL", "WARNING"), os.environ.get("LOG_FORMAT", "json"))

# Media on S3-compatible storage (AWS S3, Scaleway, OVHcloud, MinIO, Garage…) when a bucket is named;
# in MEDIA_ROOT otherwise. The keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, read by
# django-storages itself. Files keep their own names (no silent overwrite of a document).
if bucket := os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip():
    STORAGES = {
        **STORAGES,  # noqa: F405
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
                "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
                "location": os.environ.get("AWS_LOCATION", "media"),
                # Signed URLs by default: a private bucket stays private; false behind a public CDN.
                "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", True),
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }

# Sessions in Redis as well as the cache, written through to the database ("cached_db"): reads come
# from Redis, and a Redis flush or restart signs nobody out. Their own alias, so that the page cache
# filling Redis never evicts a session before its time.
if redis_url := os.environ.get("REDIS_URL", "").strip():
    CACHES = {
        **CACHES,  # noqa: F405
        "sessions": {
            "BACKEND": "commons.resilience.ResilientRedisCache",  # Redis away: a miss, read from the database
            "LOCATION": redis_url,
            "KEY_PREFIX": "session",
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sessions"

# A read replica (managed PostgreSQL): anonymous public reads go to it, writes and the admin to the
# primary (commons/db_routing.py). Tests mirror it onto the primary.
if os.environ.get("DATABASE_REPLICA_URL", "").strip():
    DATABASES = {
        **DATABASES,  # noqa: F405
        "replica": {**database_from_env("DATABASE_REPLICA_URL"), "TEST": {"MIRROR": "default"}},
    }
    DATABASE_ROUTERS = ["commons.db_routing.ReplicaRouter"]
    # Right after AuthenticationMiddleware: the router must know whether the visitor is signed in.
    MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "commons.db_routing.ReplicaReadMiddleware",
    )

# Search on OpenSearch through Wagtail's backend when the corpus outgrows PostgreSQL's full text
# (needs `pip install opensearch-py`, then `manage.py update_index`); PostgreSQL's French search
# (commons.search.backend) otherwise. OPENSEARCH_VERSION picks the client: 3 (default) or 2.
if os.environ.get("OPENSEARCH_URL", "").strip():
    if (opensearch_version := os.environ.get("OPENSEARCH_VERSION", "3")) not in {"2", "3"}:
        raise ImproperlyConfigured(
            "OPENSEARCH_VERSION must be 2 or 3 (the major version of the OpenSearch server)."
        )
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": f"wagtail.search.backends.opensearch{opensearch_version}",
            "URLS": env_list("OPENSEARCH_URL"),
            "INDEX_PREFIX": os.environ.get("OPENSEARCH_INDEX_PREFIX", "communs_"),
            "TIMEOUT": int(os.environ.get("OPENSEARCH_TIMEOUT", "5")),
            "OPTIONS": {},
            # French stemming and elision, as the PostgreSQL configuration french_unaccent does.
            "INDEX_SETTINGS": {
                "settings": {"index": {"analysis": {"analyzer": {"default": {"type": "french"}}}}}
            },
        }
    }
