"""`sitemap.xml`: every live public page, the questions and the associations, in a few queries.

Wagtail's page sitemap loads each page as its specific type (one query per page type) to ask it for
its URL; here the URL comes straight from the stored `url_path`, relative to the site's root page.
"""

from django.contrib.sitemaps import Sitemap

from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from commons.serving import site_for_request
from commons.visibility import pages
from commons.vocabulary import vocabulary


class PageSitemap(WagtailSitemap):
    def items(self):
        _site, root_url_path = site_for_request(self.request)
        return (
            pages()
            .live()
            .public()
            .filter(url_path__startswith=root_url_path)
            .order_by("path")
            .only("url_path", "last_published_at", "latest_revision_created_at")
        )

    def location(self, page):
        _site, root_url_path = site_for_request(self.request)
        return page.url_path[len(root_url_path) - 1 :]

    def _urls(self, page, protocol, domain):
        return Sitemap._urls(self, page, protocol, domain)


class QuestionSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return list(vocabulary().questions.values())


class AssociationSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return list(vocabulary().associations.values())


SITEMAPS = {"pages": PageSitemap, "questions": QuestionSitemap, "associations": AssociationSitemap}
