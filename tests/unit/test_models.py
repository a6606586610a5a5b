"""Models: stored Markdown renderings, licences, labels, the taxonomy and related fiches."""

from django.core.exceptions import ValidationError

import pytest

from commons.models import LICENSE_DEEDS, Association, Defi, License, Question, Theme
from methods.models import MethodPage, ToolPage
from territories.models import TerritoryPage
from tests.factories import (
    AssociationFactory,
    MethodPageFactory,
    QuestionFactory,
    TerritoryPageFactory,
    ThemeFactory,
    ToolPageFactory,
)

HOSTILE_BODY = (
    '## Titre\n\n<script>alert(1)</script>\n\n<p onclick="x()">texte</p> [lien](javascript:alert(1))'
)
# CommonMark: the raw <p> block runs to the blank line, so the Markdown link after it stays text.
SAFE_RENDERING = '<h2 id="fiche-titre">Titre</h2>\n\n<p>texte</p> [lien](javascript:alert(1))'


# --- Stored renderings -----------------------------------------------------------------------


def test_save_stores_the_sanitized_rendering(method_index):
    page = MethodPageFactory(parent=method_index, body=HOSTILE_BODY)
    stored = MethodPage.objects.get(pk=page.pk)
    assert stored.body_html == SAFE_RENDERING


def test_save_refreshes_the_rendering_after_a_change(method_index):
    page = MethodPageFactory(parent=method_index, body="Avant")
    page.body = "**Après**"
    page.save()
    assert MethodPage.objects.get(pk=page.pk).body_html == "<p><strong>Après</strong></p>"


def test_clean_renders_without_saving(method_index):
    page = MethodPageFactory(parent=method_index, body="Avant")
    page.body = "*Après*"
    page.clean()
    assert page.body_html == "<p><em>Après</em></p>"
    assert MethodPage.objects.get(pk=page.pk).body_html == "<p>Avant</p>"


def test_empty_body_gives_empty_rendering(method_index):
    page = MethodPageFactory(parent=method_index, body="")
    assert MethodPage.objects.get(pk=page.pk).body_html == ""


def test_tool_changelog_is_rendered_too(tool_index):
    tool = ToolPageFactory(parent=tool_index, changelog="- **1.1** <script>x()</script>")
    stored = ToolPage.objects.get(pk=tool.pk)
    assert stored.changelog_html == "<ul>\n<li><strong>1.1</strong> </li>\n</ul>"


def test_each_revision_carries_its_own_rendering(method_index):
    page = MethodPageFactory(parent=method_index, body="Version publiée")
    page.save_revision().publish()

    page.body = "## Version 2"
    second = page.save_revision()
    page.body = "## Version 3\n\n<script>x()</script>"
    third = page.save_revision()

    assert second.content["body_html"] == '<h2 id="fiche-version-2">Version 2</h2>'
    assert second.as_object().body_html == '<h2 id="fiche-version-2">Version 2</h2>'
    assert third.as_object().body_html == '<h2 id="fiche-version-3">Version 3</h2>'
    # Drafts leave the live rendering alone until they are published.
    live = MethodPage.objects.get(pk=page.pk)
    assert live.body_html == "<p>Version publiée</p>"
    assert live.has_unpublished_changes

    second.publish()
    assert MethodPage.objects.get(pk=page.pk).body_html == '<h2 id="fiche-version-2">Version 2</h2>'


def test_demo_pages_have_renderings_matching_their_bodies(db):
    from commons.rendering.markdown import render_markdown

    pages = list(MethodPage.objects.all()) + list(ToolPage.objects.all()) + list(TerritoryPage.objects.all())
    assert pages
    for page in pages:
        assert page.body_html == render_markdown(page.body), page.slug
        assert page.body_html


# --- Licences --------------------------------------------------------------------------------

LICENSE_EXPECTATIONS = {
    "CC-BY-SA-4.0": ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/deed.fr"),
    "CC-BY-4.0": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/deed.fr"),
    "CC-BY-NC-SA-4.0": ("CC BY-NC-SA 4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/deed.fr"),
    "CC0-1.0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/deed.fr"),
}


def test_every_license_choice_is_covered():
    assert set(License.values) == set(LICENSE_EXPECTATIONS)
    assert set(LICENSE_DEEDS) == set(License)


@pytest.mark.parametrize(("value", "expected"), LICENSE_EXPECTATIONS.items())
@pytest.mark.parametrize("model", [MethodPage, ToolPage, TerritoryPage])
def test_license_label_and_url(model, value, expected):
    page = model(title="x", slug="x", summary="x", license=value)
    label, url = expected
    assert page.license_label == label
    assert page.license_url == url
    assert page.license_url.startswith("https://creativecommons.org/")
    assert page.license_url.endswith("/deed.fr")
    assert str(page.license_name)


def test_default_license_is_cc_by_sa():
    assert MethodPage(title="x", slug="x", summary="x").license_label == "CC BY-SA 4.0"


def test_unknown_license_is_an_error():
    page = MethodPage(title="x", slug="x", summary="x", license="WTFPL")
    with pytest.raises(ValueError):
        page.license_url  # noqa: B018


# --- MethodPage.group_size_label -------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "label"),
    [
        (5, 30, "de 5 à 30 personnes"),
        (5, None, "à partir de 5 personnes"),
        (None, 30, "jusqu'à 30 personnes"),
        (None, None, ""),
        (12, 12, "de 12 à 12 personnes"),
        (0, 10, "jusqu'à 10 personnes"),
    ],
)
def test_group_size_label(low, high, label):
    page = MethodPage(group_size_min=low, group_size_max=high)
    assert str(page.group_size_label) == label


# --- Taxonomy ---------------------------------------------------------------------------------


def test_theme_refuses_a_third_level(db):
    top = ThemeFactory()
    middle = ThemeFactory(parent=top)
    third = ThemeFactory.build(parent=middle)
    with pytest.raises(ValidationError) as raised:
        third.clean()
    assert "parent" in raised.value.message_dict
    with pytest.raises(ValidationError):
        third.full_clean()


def test_theme_two_levels_are_fine(db):
    top = ThemeFactory()
    ThemeFactory.build(parent=top).clean()
    ThemeFactory.build(parent=None).clean()


def test_theme_cannot_be_its_own_parent(db):
    theme = ThemeFactory()
    theme.parent = theme
    with pytest.raises(ValidationError) as raised:
        theme.clean()
    assert "parent" in raised.value.message_dict


def test_demo_themes_have_two_levels_at_most(db):
    assert not Theme.objects.filter(parent__parent__isnull=False).exists()
    assert Theme.objects.filter(parent__isnull=False).exists()


def test_theme_str_shows_its_parent(db):
    top = ThemeFactory(name="Vulnérabilités")
    child = ThemeFactory(name="Sociale", parent=top)
    assert str(child) == "Vulnérabilités / Sociale"
    assert str(top) == "Vulnérabilités"


def test_defi_str_shows_its_number(db):
    assert str(Defi(name="Mobilité", number=3)) == "3. Mobilité"
    assert str(Defi(name="Mobilité")) == "Mobilité"


def test_question_get_absolute_url(db):
    question = Question.objects.get(slug="par-ou-commencer")
    assert question.get_absolute_url() == "/questions/par-ou-commencer/"
    assert QuestionFactory(slug="une-autre").get_absolute_url() == "/questions/une-autre/"


def test_association_get_absolute_url(db):
    association = Association.objects.get(slug="solucracy")
    assert association.get_absolute_url() == "/associations/solucracy/"
    assert AssociationFactory(slug="nouvelle").get_absolute_url() == "/associations/nouvelle/"


def test_descriptions_are_rendered_sanitized(db):
    question = QuestionFactory(description="**Pourquoi** <script>x()</script>")
    assert question.description_html == "<p><strong>Pourquoi</strong> </p>"
    association = AssociationFactory(description="[site](https://example.org/)")
    assert association.description_html == (
        '<p><a href="https://example.org/" rel="nofollow noopener">site</a></p>'
    )


# --- related_fiches ---------------------------------------------------------------------------


@pytest.fixture
def questions(db):
    return QuestionFactory.create_batch(4)


def pks(fiches) -> list[int]:
    return [fiche.pk for fiche in fiches]


def method_with(parent, title: str, questions, live: bool = True) -> MethodPage:
    page = MethodPageFactory(parent=parent, title=title, live=live)
    page.questions.set(questions)
    page.save()
    return page


def test_related_fiches_share_questions_and_are_ordered(method_index, tool_index, questions):
    q1, q2, q3, q4 = questions
    page = method_with(method_index, "Référence", [q1, q2, q3])
    three = method_with(method_index, "Trois en commun", [q1, q2, q3, q4])
    two_b = method_with(method_index, "B deux en commun", [q1, q2])
    two_a = method_with(method_index, "A deux en commun", [q2, q3])
    one = method_with(method_index, "Une en commun", [q3])
    method_with(method_index, "Aucune en commun", [q4])
    method_with(method_index, "Brouillon", [q1, q2, q3], live=False)
    tool = ToolPageFactory(parent=tool_index, title="Outil")
    tool.questions.set([q1, q2, q3])
    tool.save()

    related = page.related_fiches(limit=10)

    assert pks(related) == pks([three, two_a, two_b, one])  # methods only: not the tool


@pytest.mark.usefixtures("with_shortcuts")
def test_related_fiches_count_shared_phases_and_tags_too(
    method_index, questions, django_assert_max_num_queries
):
    from commons.models import Phase

    q1, q2, *_ = questions
    mobiliser = Phase.objects.get(slug="mobiliser")
    page = method_with(method_index, "Référence", [q1])
    page.phases.set([mobiliser])
    page.tags.set(["jardin-partage", "fete"])
    page.save()
    question_only = method_with(method_index, "A une question", [q1])
    question_and_phase = method_with(method_index, "B question et phase", [q1])
    question_and_phase.phases.set([mobiliser])
    question_and_phase.save()
    everything = method_with(method_index, "C question, phase et mots-clés", [q1])
    everything.phases.set([mobiliser])
    everything.tags.set(["jardin-partage", "fete"])
    everything.save()
    unrelated = method_with(method_index, "D sans rien en commun", [q2])

    page.related_fiches()  # builds the index
    with django_assert_max_num_queries(1):
        related = list(page.related_fiches(limit=4))

    assert pks(related[:3]) == pks([everything, question_and_phase, question_only])
    assert unrelated.pk not in pks(related[:3])


def test_related_fiches_limit(method_index, questions):
    page = method_with(method_index, "Référence", questions)
    for number in range(6):
        method_with(method_index, f"Voisine {number}", questions[: 1 + number % 4])
    assert len(page.related_fiches()) == 4
    assert len(page.related_fiches(limit=2)) == 2
    assert [fiche.title for fiche in page.related_fiches(limit=2)] == ["Voisine 3", "Voisine 2"]


def test_related_fiches_excludes_self_and_needs_questions(method_index, questions):
    page = method_with(method_index, "Seule", [questions[0]])
    assert list(page.related_fiches()) == []
    lonely = method_with(method_index, "Sans question", [])
    method_with(method_index, "Autre", questions)
    assert list(lonely.related_fiches()) == []


def test_related_fiches_excludes_private_fiches(method_index, questions):
    from wagtail.models import PageViewRestriction

    page = method_with(method_index, "Référence", questions)
    public = method_with(method_index, "Publique", questions)
    private = method_with(method_index, "Privée", questions)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert pks(page.related_fiches()) == [public.pk]


def count_queries(callable_) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)


@pytest.mark.usefixtures("with_shortcuts")
def test_related_fiches_takes_a_constant_number_of_queries(method_index, questions):
    page = method_with(method_index, "Référence", questions)
    method_with(method_index, "Voisine", questions)
    page = MethodPage.objects.get(pk=page.pk)
    page.related_fiches()  # builds the facet index, once per change of content
    with_one = count_queries(lambda: [fiche.url for fiche in page.related_fiches()])
    for number in range(5):
        method_with(method_index, f"Autre voisine {number}", questions[:2])
    page = MethodPage.objects.get(pk=page.pk)
    page.related_fiches()
    with_four = count_queries(lambda: [fiche.url for fiche in page.related_fiches()])
    assert len(page.related_fiches()) == 4
    # Ranked in memory by the facet index; one query reads the chosen fiches, with the method's
    # tools and territories.
    assert with_one == with_four == 1


def test_related_fiches_on_demo_content(db):
    for page in MethodPage.objects.live():
        related = MethodPage.objects.in_bulk(pks(page.related_fiches()))
        related = [related[pk] for pk in pks(page.related_fiches())]
        assert page not in related
        counts = [shared_terms(page, fiche) for fiche in related]
        assert all(fiche.live for fiche in related)
        assert all(counts)
        assert counts == sorted(counts, reverse=True)


def shared_terms(page, other) -> int:
    """Questions, phases and tags two methods have in common."""
    return sum(
        len(
            set(getattr(page, relation).values_list("pk", flat=True))
            & set(getattr(other, relation).values_list("pk", flat=True))
        )
        for relation in ("questions", "phases", "tags")
    )


def territory_with(parent, title: str, questions, live: bool = True):
    page = TerritoryPageFactory(parent=parent, title=title, live=live)
    page.questions.set(questions)
    page.save()
    return page


@pytest.mark.usefixtures("with_shortcuts")
def test_related_territories_share_questions_ranked_in_memory(
    territory_index, questions, django_assert_max_num_queries
):
    from wagtail.models import PageViewRestriction

    q1, q2, q3, q4 = questions
    page = territory_with(territory_index, "Référence", [q1, q2, q3])
    three = territory_with(territory_index, "Trois en commun", [q1, q2, q3, q4])
    two_b = territory_with(territory_index, "B deux en commun", [q1, q2])
    two_a = territory_with(territory_index, "Ä deux en commun", [q2, q3])  # accents do not reorder
    one = territory_with(territory_index, "Une en commun", [q3])
    territory_with(territory_index, "Aucune en commun", [q4])
    territory_with(territory_index, "Brouillon", [q1, q2, q3], live=False)
    private = territory_with(territory_index, "Privée", [q1, q2, q3])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    page.related_fiches()  # builds the territories' index, once per change of content
    with django_assert_max_num_queries(1):
        related = page.related_fiches(limit=10)

    assert pks(related) == pks([three, two_a, two_b, one])
    assert pks(page.related_fiches(limit=2)) == pks([three, two_a])


def test_a_draft_territory_is_ranked_by_sql(territory_index, questions):
    q1, q2, *_ = questions
    draft = territory_with(territory_index, "Brouillon", [q1, q2], live=False)
    both = territory_with(territory_index, "Les deux", [q1, q2])
    one = territory_with(territory_index, "Une", [q2])
    assert pks(draft.related_fiches()) == pks([both, one])
