"""`make run`: what a newcomer sees first, so the public's French error pages, not Django's debug page.

The development settings with DEBUG off; `runserver --insecure` still serves the static files and
`commons.urls_run` the uploaded media. `make dev` keeps DEBUG and its tracebacks (commons.settings.dev).
"""

from .dev import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "commons.urls_run"
