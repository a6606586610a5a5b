"""The public "Quoi de neuf": Atom feeds of the latest publications (`/flux.xml`) and of the fiches
answering one question (`/questions/<question>/flux.xml`), with Django's syndication framework.

Each entry is one publication: the fiche's title and address, the version page as a related
link, the change note as summary, the associations as authors and categories.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import condition, require_safe

from commons.opendata.conditional import generation_etag
from commons.opendata.licensing import SITE_NAME
from commons.opendata.publications import Publication, latest_publications
from commons.speed.vocabulary import vocabulary

NO_CHANGE_NOTE = "Nouvelle version publiée."


class CommonsAtomFeed(Atom1Feed):
    """Atom with one `<author>` per association and a link to the version published."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, link in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if link:
                handler.addQuickElement("uri", link)
            handler.endElement("author")
        if item["version_link"]:
            attributes = {"rel": "related", "href": item["version_link"], "title": "Cette version"}
            handler.addQuickElement("link", "", attributes)


class PublicationsFeed(Feed):
    """The latest publications of every type of fiche."""

    feed_type = CommonsAtomFeed
    language = "fr"
    title = f"{SITE_NAME} — quoi de neuf"
    subtitle = "Les dernières versions publiées des méthodes, outils et territoires du commun."
    link = "/"
    author_name = SITE_NAME

    def __init__(self, request):
        self.request = request  # authors' addresses are absolute: one feed object per request

    def items(self, obj=None):
        return latest_publications()

    def item_title(self, item: Publication) -> str:
        return item.title

    def item_description(self, item: Publication) -> str:
        return item.change_note or NO_CHANGE_NOTE

    def item_link(self, item: Publication) -> str:
        return item.url

    def item_guid(self, item: Publication) -> str:
        return f"tag:{self.request.get_host().split(':')[0]},2024:publication-{item.number}"

    def item_pubdate(self, item: Publication):
        return item.published_at

    def item_updateddate(self, item: Publication):
        return item.published_at

    def item_categories(self, item: Publication) -> list[str]:
        return [item.kind_label, *(association.name for association in item.associations)]

    def item_extra_kwargs(self, item: Publication) -> dict:
        absolute = self.request.build_absolute_uri
        return {
            "authors": [(a.name, absolute(a.get_absolute_url())) for a in item.associations],
            "version_link": absolute(item.version_url) if item.version_url else "",
        }


class QuestionFeed(PublicationsFeed):
    """The latest publications of the fiches answering one question; 404 for an unknown question."""

    def get_object(self, request, slug):
        question = next((q for q in vocabulary().questions.values() if q.slug == slug), None)
        if question is None:
            raise Http404("Question inconnue.")
        return question

    def title(self, obj) -> str:
        return f"{SITE_NAME} — {obj.name}"

    def subtitle(self, obj) -> str:
        return f"Les dernières versions publiées des fiches qui répondent à la question : {obj.name}"

    def link(self, obj) -> str:
        return obj.get_absolute_url()

    def items(self, obj=None):
        return latest_publications(question=obj)


@require_safe
@condition(etag_func=generation_etag)
def publications_feed(request):
    return PublicationsFeed(request)(request)


@require_safe
@condition(etag_func=generation_etag)
def question_feed(request, slug):
    return QuestionFeed(request)(request, slug=slug)
