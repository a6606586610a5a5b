"""`/methodes/`: facets with counts, combinable filters, notices for bad values, pagination."""

import re

from django.utils.html import escape

import pytest

from commons.models import Association, Phase, Question, Theme
from methods.browse import browse_fiches
from methods.models import MethodPage, ToolPage
from tests.conftest import publish
from tests.factories import MethodPageFactory

pytestmark = pytest.mark.django_db


def result_count(html: str) -> int:
    return int(re.search(r'<h2 id="resultats"[^>]*>(\d+) fiche', html).group(1))


def test_unfiltered_lists_all_live_methods_and_tools(client):
    html = client.get("/methodes/").content.decode()
    total = MethodPage.objects.live().count() + ToolPage.objects.live().count()
    assert result_count(html) == total
    assert "Page 1 sur" in html  # more than 20 fiches: paginated


def test_question_filter_matches_database(client):
    question = Question.objects.get(slug="qui-inclure")
    html = client.get("/methodes/?question=qui-inclure").content.decode()
    expected = (
        MethodPage.objects.live().filter(questions=question).count()
        + ToolPage.objects.live().filter(questions=question).count()
    )
    assert result_count(html) == expected
    assert "Question : " in html  # a removable chip
    assert "Effacer les filtres" in html


def test_filters_combine_and_values_within_a_facet_are_alternatives(client):
    phase = Phase.objects.get(slug="mobiliser")
    q1, q2 = Question.objects.get(slug="qui-inclure"), Question.objects.get(slug="par-ou-commencer")
    html = client.get(
        "/methodes/?phase=mobiliser&question=qui-inclure&question=par-ou-commencer"
    ).content.decode()
    expected = (
        MethodPage.objects.live().filter(phases=phase).filter(questions__in=[q1, q2]).distinct().count()
    )
    assert result_count(html) == expected


def test_counts_are_disjunctive(rf):
    """The count beside a value is what the list would show once that value is added."""
    request = rf.get("/methodes/", {"phase": "mobiliser"})
    browse = browse_fiches(request.GET)
    facets = {facet["param"]: facet for facet in browse.facets}
    for option in facets["question"]["options"]:
        expected = (
            MethodPage.objects.live()
            .filter(phases__slug="mobiliser", questions__slug=option.value)
            .distinct()
            .count()
        )
        assert option.count == expected, option.value
    # Within the phase facet, other phases keep their own counts (alternatives, not narrowing).
    for option in facets["phase"]["options"]:
        assert option.count == MethodPage.objects.live().filter(phases__slug=option.value).count()


def test_parent_theme_includes_its_children(client):
    parent = Theme.objects.get(slug="facteurs-de-resilience")
    themes = [parent, *parent.children.all()]
    expected = (
        MethodPage.objects.live().filter(themes__in=themes).distinct().count()
        + ToolPage.objects.live().filter(themes__in=themes).distinct().count()
    )
    html = client.get("/methodes/?theme=facteurs-de-resilience").content.decode()
    assert result_count(html) == expected


def test_type_association_tag_and_choice_facets(client):
    html = client.get("/methodes/?type=outil").content.decode()
    assert result_count(html) == ToolPage.objects.live().count()
    association = Association.objects.get(slug="solucracy")
    html = client.get("/methodes/?association=solucracy&type=methode").content.decode()
    assert result_count(html) == MethodPage.objects.live().filter(associations=association).count()
    tag = MethodPage.objects.live().first().tags.first()
    html = client.get(f"/methodes/?tag={tag.slug}").content.decode()
    expected = (
        MethodPage.objects.live().filter(tags__slug=tag.slug).count()
        + ToolPage.objects.live().filter(tags__slug=tag.slug).count()
    )
    assert result_count(html) == expected
    html = client.get("/methodes/?duree=demi-journee&difficulte=facile").content.decode()
    assert (
        result_count(html)
        == MethodPage.objects.live().filter(duration="demi-journee", difficulty="facile").count()
    )


@pytest.mark.parametrize(
    "query",
    [
        "phase=mobiliser&type=outil",  # a method-only facet excludes tools
        "q=xqzwkjv",  # a search without results
    ],
)
def test_no_match_shows_the_empty_state(client, query):
    html = client.get(f"/methodes/?{query}").content.decode()
    assert result_count(html) == 0
    assert "Aucune fiche ne correspond" in html


@pytest.mark.parametrize(
    "query",
    [
        "question=nexiste-pas",
        "phase=%00%01",
        "theme=" + "x" * 5000,
        "tag=inconnu",
        "type=video",
        "duree=3-ans",
        "tri=hasard",
        "page=abc",
        "page=-1",
        "page=99999",
        "question=qui-inclure&question=qui-inclure",
        "q=%00%1F%7F",
        "q=" + "a" * 10000,
        "q=%27%22%3C%3E;--",
        "association[]=x",
        "question=%E9%E9",
        "tag=%00",
        "tag=a%00b&association=%00",
        "tag=" + "t" * 5000,
    ],
)
def test_malformed_values_never_crash(client, query):
    response = client.get(f"/methodes/?{query}")
    assert response.status_code == 200


def test_unknown_values_are_ignored_with_a_visible_notice(client):
    html = client.get("/methodes/?question=nexiste-pas&phase=mobiliser").content.decode()
    assert 'class="notice"' in html
    assert "valeur inconnue ignorée (nexiste-pas)" in html
    expected = MethodPage.objects.live().filter(phases__slug="mobiliser").count()
    assert result_count(html) == expected


def test_search_in_title_and_summary(client):
    html = client.get("/methodes/?q=forum").content.decode()
    titles = MethodPage.objects.live().filter(title__icontains="forum")
    assert titles.exists()
    for method in titles:
        assert escape(method.title) in html


def test_pagination_by_20_keeps_filters(client):
    html = client.get("/methodes/?type=methode").content.decode()
    assert html.count('class="card ') == 20
    assert "page=2" in html and "type=methode" in html
    second = client.get("/methodes/?type=methode&page=2").content.decode()
    assert second.count('class="card ') == MethodPage.objects.live().count() - 20


def test_drafts_are_never_listed_or_counted(client, method_index):
    draft = MethodPageFactory(parent=method_index, title="Brouillon secret", live=False)
    draft.questions.set([Question.objects.get(slug="qui-inclure")])
    draft.save_revision()
    html = client.get("/methodes/?q=Brouillon").content.decode()
    assert "Brouillon secret" not in html
    assert result_count(html) == 0
    live = client.get("/methodes/?question=qui-inclure").content.decode()
    assert "Brouillon secret" not in live


def test_sort_by_newest(client, method_index):
    newest = publish(MethodPageFactory(parent=method_index, title="AAA fiche la plus récente"))
    html = client.get("/methodes/?tri=recent").content.decode()
    first_card = html.index('class="card ')
    assert html.find(newest.title, first_card) < html.find("</article>", first_card)


def test_group_size_band_matches_overlapping_ranges(client):
    html = client.get("/methodes/?taille=12-a-30").content.decode()
    expected = [
        method
        for method in MethodPage.objects.live()
        if (method.group_size_min or method.group_size_max)
        and (method.group_size_max is None or method.group_size_max >= 12)
        and (method.group_size_min is None or method.group_size_min <= 30)
    ]
    assert expected
    assert result_count(html) == len(expected)
    assert "Taille du groupe : De 12 à 30 personnes" in html  # the chip


def test_group_size_counts_are_shown_for_every_band(rf):
    browse = browse_fiches(rf.get("/methodes/").GET)
    sizes = next(facet for facet in browse.facets if facet["param"] == "taille")
    assert [option.value for option in sizes["options"]][:2] == ["moins-de-12", "12-a-30"]
    assert all(option.count > 0 for option in sizes["options"])


def test_search_combines_with_facets_and_sorts_by_relevance(client, method_index):
    in_title = publish(MethodPageFactory(parent=method_index, title="Zythologie participative", summary="x"))
    in_summary = publish(
        MethodPageFactory(parent=method_index, title="Atelier A", summary="Une zythologie joyeuse")
    )
    in_body = publish(
        MethodPageFactory(parent=method_index, title="Atelier B", summary="y", body="On parle de zythologie.")
    )
    html = client.get("/methodes/?q=zythologie").content.decode()
    assert result_count(html) == 3
    positions = [html.index(page.title) for page in (in_title, in_summary, in_body)]
    assert positions == sorted(positions), "title before summary before body"
    assert '<strong aria-current="true">Pertinence</strong>' in html
    # Combined with a facet, the search narrows the same way, and counts follow it.
    in_body.questions.set([Question.objects.get(slug="qui-inclure")])
    publish(in_body)
    html = client.get("/methodes/?q=zythologie&question=qui-inclure").content.decode()
    assert result_count(html) == 1 and in_body.title in html
    titles = client.get("/methodes/?q=zythologie&tri=titre").content.decode()
    assert titles.index("Atelier A") < titles.index("Atelier B") < titles.index("Zythologie")


def test_relevance_sort_needs_a_search(client):
    html = client.get("/methodes/?tri=pertinence").content.decode()
    assert "Tri inconnu ignoré : les fiches sont triées par titre." in html
    assert "Pertinence" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/methodes/",
        "/methodes/?question=qui-inclure",
        "/methodes/?question=qui-inclure&phase=mobiliser&theme=facteurs-de-resilience",
        "/methodes/?q=concertation&taille=12-a-30",
        "/methodes/?tag=inconnu&tri=recent&page=2",
    ],
)
@pytest.mark.usefixtures("with_shortcuts")
def test_at_most_12_queries(client, url, django_assert_max_num_queries):
    # The first request after a change builds the caches (vocabulary, site, facet index) ...
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200
    # ... which every later request finds warm.
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_removing_the_search_chip_drops_the_relevance_sort(rf):
    browse = browse_fiches(rf.get("/methodes/", {"q": "forum", "taille": "12-a-30"}).GET)
    search_chip = next(chip for chip in browse.chips if chip["label"] == "« forum »")
    assert "tri=" not in search_chip["url"] and "taille=12-a-30" in search_chip["url"]
    recent = browse_fiches(rf.get("/methodes/", {"q": "forum", "tri": "recent"}).GET)
    assert "tri=recent" in next(chip for chip in recent.chips if chip["label"] == "« forum »")["url"]
