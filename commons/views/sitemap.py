"""`sitemap.xml`: every live public page, the questions and the associations.

Written directly rather than through Django's sitemap framework, which builds an object and renders
a template block per URL (three seconds for 13,000 pages): the page URLs come straight from the
stored `url_path`, relative to the site's root page, in one query, and the whole file is a string
join. The sitemap protocol allows 50,000 URLs per file; past that, split it with a sitemap index.
"""

from django.http import HttpResponse
from django.utils.html import escape
from django.views.decorators.http import require_GET

from commons.speed.serving import site_for_request
from commons.speed.visibility import pages
from commons.speed.vocabulary import vocabulary

MAX_URLS = 50_000
OPEN_DATA_PATHS = ("/export/", "/flux.xml")  # the open data page and the feed of the commons


@require_GET
def sitemap_xml(request):
    base = request.build_absolute_uri("/")[:-1]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    lines += [url_entry(base + path, lastmod) for path, lastmod in page_locations(request)]
    terms = [*vocabulary().questions.values(), *vocabulary().associations.values()]
    lines += [url_entry(base + term.get_absolute_url()) for term in terms]
    lines += [url_entry(base + path) for path in OPEN_DATA_PATHS]
    lines.append("</urlset>")
    return HttpResponse("\n".join(lines), content_type="application/xml")


def page_locations(request):
    """(path, last publication) of every live public page of the request's site, in tree order."""
    _site, root_url_path = site_for_request(request)
    if not root_url_path:
        return []
    rows = (
        pages()
        .live_public()
        .filter(url_path__startswith=root_url_path)
        .order_by("path")
        .values_list("url_path", "last_published_at")[:MAX_URLS]
    )
    return [(url_path[len(root_url_path) - 1 :], lastmod) for url_path, lastmod in rows]


def url_entry(location: str, lastmod=None) -> str:
    date = f"<lastmod>{lastmod.date().isoformat()}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(location)}</loc>{date}</url>"
