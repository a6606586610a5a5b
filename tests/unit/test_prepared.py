"""Prepared queries give what the queryset gives, on SQLite and on PostgreSQL."""

from django.db.models import F

import pytest

from commons.history import versions as history_versions
from commons.speed.prepared import PreparedQuery, prepared
from commons.speed.vocabulary import linked_term_ids, page_term_ids
from methods.models import MethodPage
from tests.conftest import publish
from tests.factories import MethodPageFactory, QuestionFactory

# They measure the speed layer's own path, with every shortcut on (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("with_shortcuts")]


def field_values(instance) -> dict:
    return {key: value for key, value in vars(instance).items() if not key.startswith("_")}


def test_model_instances_equal_the_querysets(method_index):
    method = publish(MethodPageFactory(parent=method_index, title="Porte-à-porte", group_size_min=5))
    query = PreparedQuery(lambda pk: MethodPage.objects.filter(pk=pk), 1)

    [found] = query.objects(method.pk)

    assert type(found) is MethodPage
    assert field_values(found) == field_values(MethodPage.objects.get(pk=method.pk))
    assert found.first_published_at.tzinfo is not None  # SQLite's text dates converted, as Django does
    assert found._state.adding is False and found._state.db == "default"


def test_runs_with_other_values_and_finds_nothing_for_an_unknown_one(method_index):
    first, second = (MethodPageFactory(parent=method_index, title=title) for title in ("Un", "Deux"))
    query = PreparedQuery(lambda pk: MethodPage.objects.filter(pk=pk).only("title"), 1)

    assert [page.title for page in query.objects(first.pk)] == ["Un"]
    assert [page.title for page in query.objects(second.pk)] == ["Deux"]
    assert query.objects(10**9) == []


def test_in_lookups_annotations_and_ordering(method_index):
    pages = [MethodPageFactory(parent=method_index, title=title) for title in ("C", "A", "B")]
    query = PreparedQuery(
        lambda *ids: MethodPage.objects.filter(pk__in=ids).annotate(name=F("title")).order_by("title"), 3
    )

    found = query.objects(*(page.pk for page in pages))

    assert [(page.title, page.name) for page in found] == [("A", "A"), ("B", "B"), ("C", "C")]


def test_values_list_unions_equal_the_orm(method_index):
    questions = QuestionFactory.create_batch(2)
    method = MethodPageFactory(parent=method_index)
    method.questions.set(questions)
    method.tags.add("mobilisation")
    publish(method)
    relations = MethodPage.shown_relations

    assert page_term_ids(method, relations) == linked_term_ids([method], relations)
    assert sorted(page_term_ids(method, relations)[(method.pk, "questions")]) == sorted(
        q.pk for q in questions
    )
    assert len(page_term_ids(method, relations)[(method.pk, "tags")]) == 1


def test_a_marker_given_as_text(method_index):
    """Revisions name their page in a text column: the page id is bound as text there."""
    method = publish(MethodPageFactory(parent=method_index))
    method.title = "Deuxième version"
    publish(method)

    versions = history_versions.published_revisions(method)

    expected = list(history_versions._published_revisions_queryset(method).defer("content"))
    assert [version.number for version in versions] == [revision.pk for revision in expected]
    assert [version.published_at for version in versions] == [revision.published_at for revision in expected]
    assert len(versions) == 2


def test_each_run_is_one_counted_query(method_index, django_assert_num_queries):
    method = MethodPageFactory(parent=method_index)
    query = PreparedQuery(lambda pk: MethodPage.objects.filter(pk=pk), 1)

    with django_assert_num_queries(1):
        query.objects(method.pk)


def test_compiled_once_per_key():
    builds = []

    def build(pk):
        builds.append(pk)
        return MethodPage.objects.filter(pk=pk)

    first = prepared(("test-compiled-once",), build)
    again = prepared(("test-compiled-once",), build)

    assert first is again and len(builds) == 1


def test_refuses_what_it_cannot_run_faithfully():
    with pytest.raises(ValueError, match="markers"):
        PreparedQuery(lambda pk: MethodPage.objects.filter(pk=1), 1)
    with pytest.raises(ValueError, match="select_related"):
        PreparedQuery(lambda pk: MethodPage.objects.filter(pk=pk).select_related("owner"), 1)


def test_too_many_values_are_refused():
    with pytest.raises(ValueError, match="at most"):
        PreparedQuery(lambda *ids: MethodPage.objects.filter(pk__in=ids), 1000)
