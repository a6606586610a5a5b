"""The schema.org description of a fiche page (JSON-LD), from the page and the context it already
has: its taxonomy, its contributors and its dates (`commons.history.citation_context`). No query.

The type comes from the page's class (`schema_org_type`): `CreativeWork` for a fiche, `HowTo` for a
method (its `##` headings as steps), `Place` for a territory — a place is not a work, so a
territory's licence, authors and dates describe the case study about it (`subjectOf`).
"""

from __future__ import annotations

import json
import re
from html import unescape

from jinja2 import pass_context
from markupsafe import Markup

from commons.opendata.licensing import SITE_NAME
from commons.opendata.records import iso

SCHEMA_CONTEXT = "https://schema.org"
HEADING = re.compile(r"<h2\b([^>]*)>(.*?)</h2>", re.DOTALL | re.IGNORECASE)
ANCHOR = re.compile(r'\bid="([^"]+)"')
TAG = re.compile(r"<[^>]+>")
# What may not appear as such inside a <script> element: the JSON keeps them as escapes.
HTML_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


@pass_context
def fiche_json_ld(context) -> Markup:
    """The `<script type="application/ld+json">` of the fiche page being rendered (Jinja2 global)."""
    page = context.get("page")
    if page is None or not hasattr(page, "schema_org_type"):
        return Markup("")
    return json_ld_script(fiche_schema(page, context))


def json_ld_script(data: dict) -> Markup:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in HTML_UNSAFE.items():
        text = text.replace(character, escaped)
    return Markup(f'<script type="application/ld+json">{text}</script>')  # noqa: S704 - escaped above


def fiche_schema(page, context) -> dict:
    """The JSON-LD of `page`; `context` is the fiche page's (a mapping)."""
    request = context.get("request")
    absolute = request.build_absolute_uri if request is not None else (lambda path: path)
    url = (context.get("permalink") if context.get("viewing_version") else "") or context.get("fiche_url")
    work = {
        "@context": SCHEMA_CONTEXT,
        "@type": page.schema_org_type,
        "name": page.title,
        "description": page.summary,
        "url": url or absolute(page.url or ""),
        "inLanguage": "fr",
        "license": page.license_url,
        "isAccessibleForFree": True,
        "dateCreated": iso(page.first_published_at),
        "datePublished": iso(page.first_published_at),
        "dateModified": iso(context.get("cite_date") or page.last_published_at),
        "author": [organisation(a, absolute) for a in context.get("contributors") or ()],
        "publisher": {"@type": "Organization", "name": SITE_NAME, "url": absolute("/")},
        "about": [
            {"@type": "Thing", "name": q.name, "url": absolute(q.get_absolute_url())}
            for q in context.get("questions") or ()
        ],
        "keywords": ", ".join(
            term.name for term in [*(context.get("themes") or ()), *(context.get("tags") or ())]
        ),
    }
    if page.schema_org_type == "HowTo":
        work["step"] = heading_steps(page.body_html, work["url"])
    work = {key: value for key, value in work.items() if value not in (None, "", [])}
    return place_schema(page, work) if page.schema_org_type == "Place" else work


def organisation(association, absolute) -> dict:
    entry = {
        "@type": "Organization",
        "name": association.name,
        "url": absolute(association.get_absolute_url()),
    }
    if association.website:
        entry["sameAs"] = association.website
    return entry


def heading_steps(body_html: str, url: str) -> list[dict]:
    """The body's `##` headings as the steps of a how-to, in order, linked to their anchors."""
    steps = []
    for attributes, heading in HEADING.findall(body_html or ""):
        name = " ".join(unescape(TAG.sub("", heading)).split())
        if name:
            anchor = ANCHOR.search(attributes)
            step_url = f"{url}#{unescape(anchor.group(1))}" if anchor else url
            steps.append({"@type": "HowToStep", "position": len(steps) + 1, "name": name, "url": step_url})
    return steps


def place_schema(page, work: dict) -> dict:
    """A territory: the place, its coordinates and region, and the case study about it."""
    place = {
        "@context": SCHEMA_CONTEXT,
        "@type": "Place",
        "name": work["name"],
        "description": work.get("description", ""),
        "url": work["url"],
    }
    latitude, longitude = getattr(page, "latitude", None), getattr(page, "longitude", None)
    if latitude is not None and longitude is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": float(latitude), "longitude": float(longitude)}
    region = getattr(page, "region", "")
    place["address"] = {"@type": "PostalAddress", "addressCountry": "FR"}
    if region:
        place["address"]["addressRegion"] = region
    study = {key: value for key, value in work.items() if key != "@context"}
    place["subjectOf"] = {**study, "@type": "CreativeWork"}
    return place
