"""Tests: lean and fast (MD5 hasher, plain static storage, local-memory cache and e-mail)."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PAGE_CACHE_SECONDS = 0  # turned on by tests/views/test_page_cache.py only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = WAGTAILAPI_BASE_URL = "http://testserver"

# The benchmark tooling (`populate_synthetic`) is a development tool: never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
