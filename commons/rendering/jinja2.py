"""The Jinja2 environment of the public templates (`templates/`).

The public pages are Jinja2 templates: a fiche's template renders in a third less time than with
Django's engine (figures in the README). Wagtail's admin keeps Django's templates. What the
templates need from Django is here, with Django's behaviour: `static`, `querystring`, the filters
they use (dates in French and in the site's time zone, line breaks, truncation, plurals), and,
from Wagtail's extensions, `pageurl` and the user bar.
"""

import html
import unicodedata

from django.template import defaultfilters
from django.templatetags.static import static
from django.utils.timezone import template_localtime

from jinja2 import ChainableUndefined, Environment, pass_context
from markupsafe import Markup

from commons.opendata.jsonld import fiche_json_ld
from commons.speed import shortcuts


def environment(**options) -> Environment:
    # As in Django's templates: a missing variable or attribute renders as nothing, and what is
    # shown is escaped by Django (`&#x27;`, not `&#39;`), so both engines write the same HTML.
    options.pop("autoescape", None)  # always on, whatever the settings say
    options.update(undefined=ChainableUndefined, finalize=escape_as_django)
    env = Environment(autoescape=True, **options)
    env.globals.update(static=static, querystring=querystring)
    env.globals["fiche_json_ld"] = fiche_json_ld  # the schema.org data of a fiche page
    env.filters.update(
        date=date,
        filesizeformat=defaultfilters.filesizeformat,
        linebreaksbr=defaultfilters.linebreaksbr,
        pluralize=defaultfilters.pluralize,
        slugify=defaultfilters.slugify,
        truncatechars=truncatechars,
    )
    return env


def escape_as_django(value):
    """What `{{ value }}` shows, escaped as Django escapes it (`&#x27;` where markupsafe writes `&#39;`)."""
    if hasattr(value, "__html__"):  # already safe (or undefined: it renders as nothing)
        return value
    return Markup(html.escape(str(value)))  # noqa: S704 - escaped right here


def date(value, format_string: str | None = None) -> str:
    """Django's `date` filter, in the site's time zone as Django's templates show dates."""
    return defaultfilters.date(template_localtime(value), format_string)


def truncatechars(value, length: int) -> str:
    """Django's `truncatechars`, without its walk over every character when none of them combines."""
    if not shortcuts.enabled("truncation"):
        return defaultfilters.truncatechars(value, length)
    text = unicodedata.normalize("NFC", str(value))
    if len(text) <= length:
        return text
    if length < 1 or any(map(unicodedata.combining, text)):
        return defaultfilters.truncatechars(text, length)
    return text[: length - 1] + "…"


@pass_context
def querystring(context, **changes) -> str:
    """The request's query string with `changes` (None removes a key), like Django's tag."""
    query = context["request"].GET
    params = query.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    if not params and not query:
        return ""
    return f"?{params.urlencode()}"
