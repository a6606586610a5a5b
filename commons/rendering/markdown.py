"""The one Markdown renderer of the commons: Markdown -> sanitized HTML.

Every fiche body, description and the admin live preview go through `render_markdown`, so what an
editor previews is exactly what the public gets, and no path can skip the sanitizer.
"""

import re
import threading
from urllib.parse import urlsplit

from django.conf import settings

import markdown
import nh3

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd",
    "strong", "em", "b", "i", "s", "del", "ins", "mark", "sub", "sup", "abbr",
    "code", "pre", "kbd",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    "a", "img", "figure", "figcaption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "toc", "abbr", "attr_list"]
# nh3 serializes every tag the same way (double-quoted, escaped attributes), so plain patterns
# find each link it kept and its href, wherever the href stands among the attributes.
LINK_TAG = re.compile(r"<a(\s[^>]*)?>")
HREF_ATTRIBUTE = re.compile(r'\shref="([^"]*)"')


def render_markdown(text: str | None) -> str:
    """Render Markdown to HTML that is safe to show to anyone."""
    if not text:
        return ""
    html = _markdown_converter().reset().convert(str(text))
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return LINK_TAG.sub(_mark_external_link, cleaned)


_local = threading.local()


def _markdown_converter() -> markdown.Markdown:
    """One converter per thread: building one costs more than converting a whole fiche."""
    if not hasattr(_local, "converter"):
        _local.converter = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")
    return _local.converter


def _mark_external_link(match: re.Match) -> str:
    attributes = match.group(1) or ""
    href = HREF_ATTRIBUTE.search(attributes)
    if href and is_external_url(href.group(1)):
        return f'<a{attributes} rel="nofollow noopener">'
    return match.group(0)


def is_external_url(url: str) -> bool:
    """True for links that leave the site (absolute http(s) URLs to another host)."""
    # Browsers read "\" as "/" in http(s) URLs; so must we, or "https://evil\@site/" looks internal.
    url = url.replace("&amp;", "&").replace("\\", "/").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} and not url.startswith("//"):
        return False
    host = (parts.hostname or "").lower()
    return host not in {h.lower() for h in settings.COMMONS_INTERNAL_HOSTS}
