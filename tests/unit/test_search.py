"""Full-text search: query cleaning, French matching, visibility, ranking, excerpts, spellings.

Every test runs on SQLite and on PostgreSQL (see the README): both must agree.
"""

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from wagtail.models import PageViewRestriction
from wagtail.search.backends import get_search_backend

import pytest

from bench.synthetic import populate
from commons import search
from commons.models import Association
from commons.search.backend import french
from methods.models import MethodPage, ToolPage
from territories.models import TerritoryPage
from tests.conftest import publish
from tests.factories import MethodPageFactory, TerritoryPageFactory, ToolPageFactory

FICHES = [MethodPage, ToolPage, TerritoryPage]
HOSTILE = [
    "",
    "   ",
    "x" * 10_000,
    "mot " * 3_000,
    "!!! ??? ---",
    "\x00\x01résilience\x1f\x7f",
    "nul\x00byte",
    '"résilience',
    "'; DROP TABLE wagtailcore_page; --",
    "résilience OR 1=1",
    "forum AND NOT ouvert",
    "-forum +ouvert",
    "forum*",
    "*",
    '"',
    "''",
    "\\",
    "(forum",
    "NEAR(forum ouvert)",
    "title:forum",
    "{title body}: forum",
    "forum:*",
    "&|!():*",
    "<script>alert(1)</script>",
    "\u202eélus\u200b",
    "🌱 résilience",
]


def ids(query: str, models=FICHES) -> list[int]:
    return search.search_page_ids(query, models)


# --- Pure functions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  forum   ouvert  ", "forum ouvert"),
        ("élus\x00\x01du\tterritoire\n", "élus du territoire"),
        ("e\u0301lus", "élus"),  # decomposed accent, as some keyboards send it
        ("zéro\u200bespace\u202e", "zéroespace"),
        (None, ""),
    ],
)
def test_clean_query(text, expected):
    assert search.clean_query(text) == expected


def test_clean_query_caps_the_length():
    assert len(search.clean_query("a" * 10_000)) == search.MAX_QUERY_LENGTH
    assert len(search.clean_query("mot " * 3_000)) <= search.MAX_QUERY_LENGTH


def test_query_terms_keep_words_only():
    assert search.query_terms("Le porte-à-porte des élus !") == ["porte", "élus"]
    assert search.query_terms('forum OR "ouvert" -théâtre *') == ["forum", "OR", "ouvert", "théâtre"]
    assert search.query_terms("!!! ??? --- les des") == []
    assert len(search.query_terms(" ".join(f"mot{n}" for n in range(50)))) == search.MAX_TERMS


def test_french_index_forms():
    assert french.fold("Œuvre élue À") == "oeuvre elue a"
    assert french.stem("Résilience") == french.stem("resilience")
    assert french.stem("mobiliser") == french.stem("mobilisation")
    assert french.stem("territoires") == french.stem("territoire")
    assert french.stemmed_text("Porte-à-porte, l'élu.") == "port a port l elu"


def test_highlight_marks_stems_and_escapes_everything():
    forms = search.stems(["resilience", "script"])
    html = search.highlight("La <b>Résilience</b> & les résiliences <script>x</script>", forms)
    assert html == (
        "La &lt;b&gt;<mark>Résilience</mark>&lt;/b&gt; &amp; les "
        "<mark>résiliences</mark> &lt;<mark>script</mark>&gt;x&lt;/<mark>script</mark>&gt;"
    )


def test_excerpt_takes_the_summary_or_the_text_around_the_first_match_in_the_body():
    forms = search.stems(["pangolin"])
    body = "début " * 100 + "un pangolin ici " + "fin " * 100
    from_body = search.excerpt(["Résumé sans le mot", body], forms)
    assert "<mark>pangolin</mark>" in from_body
    assert from_body.startswith("…") and from_body.endswith("…")
    assert len(from_body) < search.EXCERPT_LENGTH + 40
    assert search.excerpt(["Un pangolin.", body], forms) == "Un <mark>pangolin</mark>."
    assert search.excerpt(["Aucun mot", "ni ici"], forms) == "Aucun mot"


# --- Matching as people type -------------------------------------------------------------------


@pytest.fixture
def fiches(method_index, tool_index, territory_index):
    """Three fiches with words of their own, so the demo content does not interfere."""
    return {
        "method": MethodPageFactory(
            parent=method_index,
            title="Quinconce de la résilience zéphyrine",
            summary="La mobilisation des élus zéphyrins autour du porte-à-porte.",
            body="Des territoires zéphyrins et une concertation zéphyrine.",
        ),
        "tool": ToolPageFactory(
            parent=tool_index,
            title="Grille zéphyrine",
            summary="Un outil pour les collectivités zéphyrines.",
            body="Imprimer la grille.",
        ),
        "territory": TerritoryPageFactory(
            parent=territory_index,
            title="Bourg zéphyrin",
            summary="Un village zéphyrin.",
            body="Une histoire.",
            departement="Creuse",
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "resilience zephyrine",  # no accents
        "RÉSILIENCE Zéphyrine",  # capitals
        "elus zephyrins",
        "porte a porte zephyrine",
        "porte-à-porte zéphyrine",
        "mobiliser zéphyrine",  # stem of "mobilisation"
        "territoire zéphyrin",  # singular of "territoires"
        "quinconces zéphyrines",  # plural of the title's words
        "concertations zéphyrines",
    ],
)
def test_french_as_people_type_it(fiches, query):
    assert ids(query) == [fiches["method"].pk]


@pytest.mark.django_db
def test_every_word_must_match_and_models_filter(fiches):
    assert set(ids("zéphyrin")) == {fiche.pk for fiche in fiches.values()}
    assert ids("zéphyrin", [ToolPage]) == [fiches["tool"].pk]
    assert ids("zéphyrin", [TerritoryPage, ToolPage]) == sorted(
        [fiches["tool"].pk, fiches["territory"].pk], key=ids("zéphyrin").index
    )
    assert ids("zéphyrin creuse") == [fiches["territory"].pk]  # the département is indexed
    assert ids("zéphyrin inexistant") == []
    assert ids("zéphyrin", []) == []


@pytest.mark.django_db
def test_associations_are_searched(fiches):
    found = search.association_hits(search.query_terms("soluclimat ain"))
    assert [hit.title for hit in found] == [
        Association.objects.get(slug="solucracy").full_name or "Solucracy"
    ]
    assert found[0].url == "/associations/solucracy/"


@pytest.mark.django_db
def test_an_association_excerpt_follows_its_description(fiches):
    association = Association.objects.get(slug="solucracy")
    search.association_hits(search.query_terms("solucracy"))  # the descriptions are now cached
    association.description = "Nous animons des **chantiers participatifs** dans l'Ain."
    association.save()  # a new content generation: the cached texts are left behind

    [hit] = search.association_hits(search.query_terms("chantiers"))

    assert "<mark>chantiers</mark> participatifs" in hit.excerpt


@pytest.mark.parametrize(
    ("rendered", "text"),
    [
        ("<p>Un</p><p>deux</p>", "Un deux"),  # tags separate words
        ('<p><a href="/x" title="a > b">lien</a> suivi</p>', "lien suivi"),  # a ">" inside quotes
        (
            "<p>L&#x27;élu &amp; les habitants&nbsp;:</p>",
            "L'élu & les habitants :",
        ),  # spaces, non-breaking ones too, collapse
        ("<ul>\n<li>porte-à-porte</li>\n</ul>", "porte-à-porte"),
        ("", ""),
    ],
)
def test_plain_text_of_rendered_markdown(rendered, text):
    assert search.plain_text(rendered) == text


@pytest.mark.django_db
@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_fail(fiches, query):
    assert isinstance(ids(query), list)
    assert isinstance(search.title_suggestions(query), list)
    assert isinstance(search.spelling_suggestions(search.clean_query(query)), list)


# --- Visibility: the index follows publishing ------------------------------------------------


@pytest.mark.django_db
def test_the_index_follows_publish_unpublish_and_delete(method_index):
    page = MethodPageFactory(parent=method_index, title="Méthode ornithorynque", live=False)
    page.save_revision()
    assert ids("ornithorynque") == []  # a draft is never found

    publish(page)
    assert ids("ornithorynque") == [page.pk]

    page.unpublish()
    assert ids("ornithorynque") == []

    publish(page)
    assert ids("ornithorynque") == [page.pk]
    page.delete()
    assert ids("ornithorynque") == []


@pytest.mark.django_db
def test_a_newer_draft_is_not_searched_only_the_published_text(method_index):
    page = MethodPageFactory(parent=method_index, summary="Le texte publié parle de tamanoir.")
    page.summary = "Le brouillon parle de pangolin."
    page.body = "Brouillon : pangolin."
    page.save_revision()
    assert ids("pangolin") == []
    assert ids("tamanoir") == [page.pk]

    publish(MethodPage.objects.get(pk=page.pk).get_latest_revision_as_object())
    assert ids("pangolin") == [page.pk]
    assert ids("tamanoir") == []


@pytest.mark.django_db
def test_private_pages_are_not_searched(fiches):
    PageViewRestriction.objects.create(
        page=fiches["tool"], restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert fiches["tool"].pk not in ids("zéphyrin")
    assert all(item["title"] != "Grille zéphyrine" for item in search.title_suggestions("grille zéph"))


@pytest.mark.django_db
def test_a_rebuilt_index_is_the_same_french_index(fiches):
    call_command("update_index", verbosity=0)
    assert ids("elus zephyrins mobiliser") == [fiches["method"].pk]
    assert (
        search.title_suggestions("quinconce de la resil")[0]["title"]
        == "Quinconce de la résilience zéphyrine"
    )


@pytest.mark.django_db
def test_the_index_stores_unaccented_stems(fiches):
    """Incremental indexing uses the French chain: PostgreSQL's configuration, or Python's on SQLite."""
    entry = fiches["method"].index_entries.get()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT title::text, body::text FROM wagtailsearch_indexentry WHERE id = %s", [entry.pk]
            )
            title, body = cursor.fetchone()
    else:
        title, body = entry.title, entry.body
    assert "resilient" in title and "résilience" not in title
    assert "mobilis" in body and "elus" in body


@pytest.mark.django_db
def test_bulk_indexed_synthetic_pages_are_found_like_the_others(home):
    populate(methods=3, tools=1, territories=1, seed=7, log=lambda *args: None)
    synthetic = MethodPage.objects.filter(slug__startswith="synthetique-").first()
    assert synthetic.pk in ids(synthetic.title)
    word = max(french.words(synthetic.summary), key=len)
    assert synthetic.pk in ids(f"{word} {synthetic.title}")


# --- Ranking -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_title_ranks_above_summary_above_body(method_index):
    filler = "Une démarche collective pour avancer ensemble sur le territoire."
    in_body = MethodPageFactory(
        parent=method_index,
        title="Atelier du lundi",
        summary=filler,
        body=f"{filler} Le mot capybara y figure.",
    )
    in_summary = MethodPageFactory(
        parent=method_index, title="Atelier du mardi", summary=f"{filler} Un capybara.", body=filler
    )
    in_title = MethodPageFactory(parent=method_index, title="Atelier capybara", summary=filler, body=filler)
    assert ids("capybara") == [in_title.pk, in_summary.pk, in_body.pk]


# --- Speed -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_page_ids_runs_two_queries_whatever_the_number_of_pages(
    method_index, django_assert_max_num_queries
):
    for n in range(30):
        MethodPageFactory(parent=method_index, title=f"Méthode okapi {n}")
    with django_assert_max_num_queries(2):
        found = ids("okapi")
    assert len(found) == 30


# --- Close spellings and title suggestions ----------------------------------------------------


@pytest.mark.django_db
def test_spelling_suggestions_come_from_published_words(fiches, django_assert_num_queries):
    cache.clear()
    assert search.spelling_suggestions("concertaton") == ["concertation"]
    with django_assert_num_queries(0):  # the vocabulary is cached
        assert search.spelling_suggestions("zéphirine quinconse")[0] == "zéphyrine Quinconce"
    assert search.spelling_suggestions("forum") == []  # known words need no suggestion
    assert search.spelling_suggestions("mobiliser") == []  # a known stem neither


@pytest.mark.django_db
def test_the_vocabulary_follows_publishing(method_index):
    page = MethodPageFactory(
        parent=method_index, title="Méthode brouillonne", summary="Le kinkajou.", live=False
    )
    page.save_revision()
    assert "kinkajou" not in search.spelling_words()
    publish(page)
    assert "kinkajou" in search.spelling_words()


@pytest.mark.django_db
def test_title_suggestions(fiches, method_index):
    MethodPageFactory(parent=method_index, title="Quinconce brouillon", live=False)
    found = search.title_suggestions("quinc")
    assert found == [
        {"title": "Quinconce de la résilience zéphyrine", "url": fiches["method"].url, "type": "Méthode"}
    ]
    assert [item["title"] for item in search.title_suggestions("Grille ZEPH")] == ["Grille zéphyrine"]
    assert search.title_suggestions("zéphyrine")[0]["type"] in {"Méthode", "Outil"}
    assert search.title_suggestions("!!!") == []


@pytest.mark.django_db
def test_title_suggestions_are_capped(method_index):
    for n in range(12):
        MethodPageFactory(parent=method_index, title=f"Méthode wombat {n}")
    assert len(search.title_suggestions("womb")) == search.SUGGESTIONS_SHOWN


def test_the_backend_is_the_french_one():
    assert type(get_search_backend()).__module__.startswith("commons.search.backend")
