"""commons.settings.production built from the environment, in a fresh interpreter each time: S3
media, Redis sessions, the read replica and its router, OpenSearch, JSON logs, and `check --deploy`."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Every variable the production settings read: the test's own environment must not leak in.
READ = (
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "REDIS_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_S3_CUSTOM_DOMAIN",
    "AWS_LOCATION",
    "AWS_QUERYSTRING_AUTH",
    "OPENSEARCH_URL",
    "OPENSEARCH_VERSION",
    "OPENSEARCH_INDEX_PREFIX",
    "LOG_FORMAT",
    "LOG_LEVEL",
    "COMMONS_FALLBACKS",
)
SHOW = """
import json
import secrets
from django.conf import settings
print(json.dumps({name: getattr(settings, name, None) for name in (
    "STORAGES", "CACHES", "SESSION_ENGINE", "SESSION_CACHE_ALIAS", "DATABASES", "DATABASE_ROUTERS",
    "MIDDLEWARE", "WAGTAILSEARCH_BACKENDS", "LOGGING")}, default=str))
"""


def production_environment(**variables) -> dict:
    environment = {key: value for key, value in os.environ.items() if key not in READ}
    environment.update(DJANGO_SETTINGS_MODULE="commons.settings.production", SECRET_KEY="x" * 50)
    environment.update(variables)
    return environment


def production_settings(**variables) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=production_environment(**variables),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def failure(**variables) -> str:
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=production_environment(**variables),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    return result.stderr


FULL = {
    "DATABASE_URL": "postgres://communs:secret@db-primary:5432/communs",
    "DATABASE_REPLICA_URL": "postgres://communs:secret@db-replica:5432/communs",
    "REDIS_URL": "redis://cache:6379/1",
    "AWS_STORAGE_BUCKET_NAME": "communs-media",
    "AWS_S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
    "AWS_S3_REGION_NAME": "fr-par",
    "OPENSEARCH_URL": "https://search-1:9200,https://search-2:9200",
}


def test_without_the_optional_services_the_site_keeps_its_local_defaults():
    built = production_settings()
    assert built["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert built["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert list(built["DATABASES"]) == ["default"] and built["DATABASE_ROUTERS"] == []
    assert "commons.db_routing.ReplicaReadMiddleware" not in built["MIDDLEWARE"]
    assert built["WAGTAILSEARCH_BACKENDS"]["default"]["BACKEND"] == "commons.search.backend"
    assert built["LOGGING"]["formatters"]["default"]["()"].endswith("JsonLogFormatter'>")


def test_every_service_is_configured_from_the_environment():
    built = production_settings(**FULL)
    media = built["STORAGES"]["default"]
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"] == {
        "bucket_name": "communs-media",
        "endpoint_url": "https://s3.fr-par.scw.cloud",
        "region_name": "fr-par",
        "custom_domain": None,
        "location": "media",
        "querystring_auth": True,
        "file_overwrite": False,
        "default_acl": None,
    }
    assert built["STORAGES"]["staticfiles"]["BACKEND"] == "commons.speed.storage.StaticFilesStorage"

    assert (
        built["CACHES"]["default"]["LOCATION"]
        == built["CACHES"]["sessions"]["LOCATION"]
        == "redis://cache:6379/1"
    )
    assert built["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert built["SESSION_CACHE_ALIAS"] == "sessions"

    replica = built["DATABASES"]["replica"]
    assert replica["HOST"] == "db-replica" and built["DATABASES"]["default"]["HOST"] == "db-primary"
    assert replica["TEST"] == {"MIRROR": "default"}
    assert built["DATABASE_ROUTERS"] == ["commons.db_routing.ReplicaRouter"]
    middleware = built["MIDDLEWARE"]
    position = middleware.index("commons.db_routing.ReplicaReadMiddleware")
    assert middleware[position - 1] == "django.contrib.auth.middleware.AuthenticationMiddleware"

    assert built["WAGTAILSEARCH_BACKENDS"] == {
        "default": {
            "BACKEND": "wagtail.search.backends.opensearch3",
            "URLS": ["https://search-1:9200", "https://search-2:9200"],
            "INDEX_PREFIX": "communs_",
            "TIMEOUT": 5,
            "OPTIONS": {},
            "INDEX_SETTINGS": {
                "settings": {"index": {"analysis": {"analyzer": {"default": {"type": "french"}}}}}
            },
        }
    }


def test_opensearch_2_and_plain_text_logs_on_request():
    built = production_settings(
        OPENSEARCH_URL="http://127.0.0.1:9200", OPENSEARCH_VERSION="2", LOG_FORMAT="text"
    )
    assert built["WAGTAILSEARCH_BACKENDS"]["default"]["BACKEND"] == "wagtail.search.backends.opensearch2"
    assert "()" not in built["LOGGING"]["formatters"]["default"]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"OPENSEARCH_URL": "http://127.0.0.1:9200", "OPENSEARCH_VERSION": "7"},
            "OPENSEARCH_VERSION must be 2 or 3",
        ),
        ({"DATABASE_REPLICA_URL": "mysql://db/communs"}, "DATABASE_REPLICA_URL must point to PostgreSQL"),
        (
            {"DATABASE_REPLICA_URL": "postgres://db:port/communs"},
            "DATABASE_REPLICA_URL is not a valid database URL",
        ),
    ],
)
def test_a_wrong_setting_stops_the_start_with_a_clear_message(variables, message):
    assert message in failure(**variables)


def test_check_deploy_passes_with_every_service_configured():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(**FULL, SECRET_KEY=secrets.token_urlsafe(50)),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_s3_options_make_a_working_storage():
    """django-storages accepts every option; a signed URL points into the bucket (no network needed)."""
    from storages.backends.s3 import S3Storage

    options = production_settings(**FULL)["STORAGES"]["default"]["OPTIONS"]
    storage = S3Storage(**options, access_key="AKIAEXAMPLE", secret_key="example-secret")
    url = storage.url("documents/grille.pdf")
    assert url.startswith("https://s3.fr-par.scw.cloud/communs-media/media/documents/grille.pdf?")
    assert "Signature=" in url or "X-Amz-Signature=" in url
