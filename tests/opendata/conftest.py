"""Fiches the public must never see in an export or a feed, and how to read a streamed response."""

from wagtail.models import PageViewRestriction

import pytest

from commons.models import Question
from methods.models import MethodPage
from tests.conftest import publish
from tests.factories import MethodPageFactory

QUESTION = "qui-inclure"


def body_text(response) -> str:
    """The text of a response, streamed or not."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8")


@pytest.fixture
def hidden(method_index):
    """A draft never published, an unpublished method, a method in a private section and a live
    method whose newer draft is not published: the titles and notes the public must not see."""
    question = Question.objects.get(slug=QUESTION)
    draft = MethodPageFactory(parent=method_index, title="Méthode brouillon invisible", live=False)
    draft.questions.set([question])
    draft.save_revision(log_action=True)

    unpublished = MethodPageFactory(parent=method_index, title="Méthode dépubliée invisible")
    unpublished.questions.set([question])
    publish(unpublished)
    unpublished.unpublish()

    private = MethodPageFactory(parent=method_index, title="Méthode privée invisible")
    private.questions.set([question])
    publish(private)
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")

    live = MethodPage.objects.live().get(slug="forum-ouvert")
    live.title, live.change_note = "Titre du brouillon pas encore relu", "Note du brouillon pas encore relu"
    live.save_revision()
    return {
        "titles": [draft.title, unpublished.title, private.title, live.title],
        "slugs": [draft.slug, unpublished.slug, private.slug],
        "notes": [live.change_note],
    }
