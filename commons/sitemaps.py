"""Sitemap entries beyond Wagtail's pages: questions and associations."""

from django.contrib.sitemaps import Sitemap

from commons.models import Association, Question


class QuestionSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Question.objects.all()


class AssociationSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Association.objects.all()


SITEMAPS = {"questions": QuestionSitemap, "associations": AssociationSitemap}
