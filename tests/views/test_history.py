"""Public history of fiches: only published versions, read-only versions, diffs, credits, citation."""

import re

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

import pytest

from commons.models import Association, Question
from methods.models import MethodPage, ToolPage
from tests.factories import MethodPageFactory

pytestmark = pytest.mark.django_db


# --- Helpers ---------------------------------------------------------------------------------


def editors_of(association: Association) -> Group:
    """The association's editors' group, created when the test data has none."""
    if association.editors_group is None:
        association.editors_group = Group.objects.create(name=f"{association.name} — éditeurs (test)")
        association.save()
    return association.editors_group


@pytest.fixture
def make_editor(django_user_model):
    """A user in the editors' group of each named association (or of none)."""
    counter = iter(range(10_000))

    def make(*association_slugs):
        user = django_user_model.objects.create_user(f"editeur{next(counter)}", password="pw")
        for slug in association_slugs:
            user.groups.add(editors_of(Association.objects.get(slug=slug)))
        return user

    return make


def publish_as(page, user, note="", publisher=None, **fields):
    """Change `page`, then save a revision by `user` with the change note `note`, and publish it.

    Editors may not publish: `publisher` (a moderator, or the system when None) does it.
    """
    for name, value in fields.items():
        setattr(page, name, value)
    page.change_note = note
    revision = page.save_revision(user=user)
    revision.publish(user=publisher)
    page.refresh_from_db()
    return revision


def save_draft_as(page, user, note="", **fields):
    """Save a revision by `user` without publishing it (the live page does not change)."""
    for name, value in fields.items():
        setattr(page, name, value)
    page.change_note = note
    revision = page.save_revision(user=user)
    page.refresh_from_db()
    return revision


def history_entries(html: str) -> list[str]:
    """The HTML of each entry of the history list, in page order."""
    return re.findall(r'<li class="history-entry.*?</li>\s*</ul>\s*</li>', html, flags=re.S)


def section(html: str, css_class: str) -> str:
    match = re.search(rf'<section class="{css_class}".*?</section>', html, flags=re.S)
    assert match, css_class
    return match.group(0)


def diff_sides(html: str, label: str) -> tuple[str, str]:
    """The old and the new text of the field `label` on a diff page, read back from <del>/<ins>."""
    match = re.search(rf">{re.escape(label)}</h2>(.*?)</section>", html, flags=re.S)
    assert match, label
    fragment = re.sub(r'<span class="visually-hidden">.*?</span>', "", match.group(1))
    old = re.sub(r"<[^>]+>", "", re.sub(r"<ins.*?</ins>", "", fragment, flags=re.S))
    new = re.sub(r"<[^>]+>", "", re.sub(r"<del.*?</del>", "", fragment, flags=re.S))
    return old.strip(), new.strip()


def citation(html: str) -> str:
    match = re.search(r'<blockquote class="cite__text" id="citation">(.*?)</blockquote>', html, flags=re.S)
    assert match
    return match.group(1)


@pytest.fixture
def method():
    """A demo method, published once by the loader (a revision without user)."""
    return MethodPage.objects.live().get(slug="forum-ouvert")


# --- The history list ------------------------------------------------------------------------


def test_history_lists_only_published_versions_newest_first(client, method, make_editor):
    alice, bob, dave = make_editor("solucracy"), make_editor("la-traverse"), make_editor()
    first = publish_as(method, alice, "Première relecture", summary="Résumé relu par Solucracy")
    second = publish_as(method, bob, "Ajout d'un exemple vendéen", body=method.body + "\n\nUn exemple.")
    draft = save_draft_as(
        method, dave, "Note du brouillon secret", title="Titre du brouillon", summary="Résumé du brouillon"
    )

    response = client.get(method.url + "historique/")
    assert response.status_code == 200
    html = response.content.decode()
    entries = history_entries(html)
    assert len(entries) == 3  # the loader's publication, then Solucracy's and La Traverse's
    assert escape("Ajout d'un exemple vendéen") in entries[0] and "La Traverse" in entries[0]
    assert f"historique/{second.pk}/" in entries[0] and "version actuelle" in entries[0]
    assert "Première relecture" in entries[1] and "Solucracy" in entries[1]
    assert f"historique/{first.pk}/{second.pk}/" in entries[0]
    assert "fichiers du commun" in entries[2]
    for secret in ("Titre du brouillon", "Résumé du brouillon", "Note du brouillon secret"):
        assert secret not in html
    assert f"historique/{draft.pk}/" not in html


def test_history_shows_the_tool_version_of_each_version(client, make_editor):
    tool = ToolPage.objects.live().first()
    editor = make_editor("react")
    publish_as(tool, editor, "Nouvelle grille", version="2.1-historique")
    html = client.get(tool.url + "historique/").content.decode()
    entries = history_entries(html)
    assert "Version de l'outil" in entries[0] and "2.1-historique" in entries[0]
    assert "2.1-historique" not in entries[1]


def test_history_of_a_fiche_published_without_log_is_empty_not_an_error(client, method_index):
    page = MethodPageFactory(parent=method_index, title="Méthode sans journal")
    response = client.get(page.url + "historique/")
    assert response.status_code == 200
    assert "Aucune version publiée" in response.content.decode()


def test_fiche_links_to_its_history(client, method):
    html = client.get(method.url).content.decode()
    assert f'href="{method.url}historique/"' in html
    assert "Historique des versions" in html


# --- What is never reachable -----------------------------------------------------------------


def test_a_draft_revision_is_404(client, method, make_editor):
    editor = make_editor("solucracy")
    draft = save_draft_as(method, editor, "Brouillon", summary="Résumé du brouillon invisible")
    live = method.live_revision_id
    assert client.get(f"{method.url}historique/{live}/").status_code == 200
    assert client.get(f"{method.url}historique/{draft.pk}/").status_code == 404
    assert client.get(f"{method.url}historique/{live}/{draft.pk}/").status_code == 404
    assert client.get(f"{method.url}historique/{draft.pk}/{live}/").status_code == 404


def test_revisions_in_review_or_rejected_are_404(client, method, make_editor):
    author, moderator = make_editor("solucracy"), make_editor("react")
    moderators = Group.objects.create(name="Relecteurs du test")
    moderator.groups.add(moderators)
    task = GroupApprovalTask.objects.create(name="Relecture du test")
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name="Relecture du test")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)

    submitted = save_draft_as(method, author, "Soumis à relecture", summary="Résumé en relecture")
    state = workflow.start(method, author)
    assert state.current_task_state.revision_id == submitted.pk
    assert client.get(f"{method.url}historique/{submitted.pk}/").status_code == 404
    state.current_task_state.reject(user=moderator)
    method.refresh_from_db()
    assert method.live_revision_id != submitted.pk
    assert client.get(f"{method.url}historique/{submitted.pk}/").status_code == 404
    history = client.get(f"{method.url}historique/").content.decode()
    assert "Soumis à relecture" not in history and f"historique/{submitted.pk}/" not in history


def test_another_pages_revision_is_404(client, method):
    other = MethodPage.objects.live().exclude(pk=method.pk).first()
    assert client.get(f"{other.url}historique/{other.live_revision_id}/").status_code == 200
    assert client.get(f"{method.url}historique/{other.live_revision_id}/").status_code == 404
    diff = f"{method.url}historique/{method.live_revision_id}/{other.live_revision_id}/"
    assert client.get(diff).status_code == 404


@pytest.mark.parametrize(
    "suffix", ["historique/abc/", "historique/0/", "historique/-1/", "historique/99999999999999999999/"]
)
def test_unknown_version_numbers_are_404(client, method, suffix):
    assert client.get(method.url + suffix).status_code == 404


def test_history_of_a_fiche_that_is_not_live_is_404(client, method):
    number = method.live_revision_id
    assert client.get(f"{method.url}historique/").status_code == 200
    url = method.url
    method.unpublish()
    for suffix in ("historique/", f"historique/{number}/", f"historique/{number}/{number}/"):
        assert client.get(url + suffix).status_code == 404, suffix


# --- One version -----------------------------------------------------------------------------


def test_version_page_shows_that_version_with_a_banner(client, method, make_editor):
    editor = make_editor("solucracy")
    old = publish_as(method, editor, "v1", summary="Résumé de la première version", body="Texte ancien.")
    publish_as(method, editor, "v2", summary="Résumé de la version actuelle", body="Texte actuel.")

    response = client.get(f"{method.url}historique/{old.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    banner = re.search(r'<div class="version-banner" role="status">.*?</div>', html, flags=re.S).group(0)
    assert "pas la version actuelle" in banner
    assert f'href="{method.url}"' in banner and f'href="{method.url}historique/"' in banner
    assert "Résumé de la première version" in html and "Texte ancien." in html
    assert "Résumé de la version actuelle" not in html and "Texte actuel." not in html
    assert '<meta name="robots" content="noindex">' in html

    permalink = f"http://testserver{method.url}historique/{old.pk}/"
    assert permalink in citation(html)
    old_date = client.get(f"{method.url}historique/").context_data["entries"][1].version.published_at
    assert response.context_data["cite_date"] == old_date


def test_version_page_of_the_live_revision_says_it_is_current(client, method):
    html = client.get(f"{method.url}historique/{method.live_revision_id}/").content.decode()
    assert "Vous consultez la version actuelle" in html
    assert "pas la version actuelle" not in html


def test_normal_fiche_page_has_no_version_banner(client, method):
    html = client.get(method.url).content.decode()
    assert 'class="version-banner"' not in html
    assert "noindex" not in html


def test_version_of_a_fiche_whose_slug_changed_keeps_the_current_address(client, method, make_editor):
    editor = make_editor("solucracy")
    old_number = method.live_revision_id
    publish_as(method, editor, "Nouveau nom", slug="forum-ouvert-renomme")
    response = client.get(f"/methodes/forum-ouvert-renomme/historique/{old_number}/")
    assert response.status_code == 200
    assert "http://testserver/methodes/forum-ouvert-renomme/historique/" in citation(
        response.content.decode()
    )


# --- Differences -----------------------------------------------------------------------------


def test_diff_shows_changed_words_of_every_changed_field(client, method, make_editor):
    editor = make_editor("la-traverse")
    old = publish_as(
        method, editor, "avant", body="## Déroulé\n\nLe groupe choisit un thème.", duration="demi-journee"
    )
    method.questions.add(Question.objects.exclude(pk__in=method.questions.all()).first())
    new = publish_as(
        method, editor, "après", body="## Déroulé\n\nLe groupe choisit deux thèmes.", duration="journee"
    )

    response = client.get(f"{method.url}historique/{old.pk}/{new.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<del class="diff-del"><span class="visually-hidden">[^<]*</span>un thème</del>', html)
    assert re.search(r'<ins class="diff-ins"><span [^>]*>[^<]*</span>deux thèmes</ins>', html)
    assert "## Déroulé" in html  # the Markdown source, not its rendering
    assert ">Contenu</h2>" in html and ">Durée</h2>" in html
    assert ">Questions auxquelles la fiche répond</h2>" in html
    assert diff_sides(html, "Durée") == ("Une demi-journée", "Une journée")  # labels, not raw values
    assert diff_sides(html, "Contenu") == (
        "## Déroulé\n\nLe groupe choisit un thème.",
        "## Déroulé\n\nLe groupe choisit deux thèmes.",
    )
    assert ">En bref</h2>" not in html  # unchanged fields are not listed

    # Either order shows older → newer.
    reversed_html = client.get(f"{method.url}historique/{new.pk}/{old.pk}/").content.decode()
    assert reversed_html.count("diff-del") == html.count("diff-del")
    assert re.search(r"<ins[^>]*><span[^>]*>[^<]*</span>deux thèmes</ins>", reversed_html)


def test_diff_of_a_version_with_itself_shows_no_difference(client, method):
    number = method.live_revision_id
    response = client.get(f"{method.url}historique/{number}/{number}/")
    assert response.status_code == 200
    assert "Aucune différence" in response.content.decode()


def test_diff_of_identical_content_shows_no_difference(client, method, make_editor):
    editor = make_editor("react")
    old = method.live_revision_id
    new = publish_as(method, editor, "Republication sans changement")
    html = client.get(f"{method.url}historique/{old}/{new.pk}/").content.decode()
    assert "Aucune différence" in html


# --- Contributors and citation ---------------------------------------------------------------


def test_contributors_include_the_associations_of_published_authors(
    client, method, make_editor, django_user_model
):
    field_associations = list(method.associations.all())
    assert field_associations and not any(a.slug == "resiliere" for a in field_associations)
    moderator = django_user_model.objects.create_superuser("moderatrice", password="pw")
    moderator.groups.add(editors_of(Association.objects.get(slug="resiliere")))
    publish_as(method, make_editor("solucracy"), "relecture", publisher=moderator)
    publish_as(method, make_editor(field_associations[0].slug), "même association")
    save_draft_as(method, make_editor("les-localos"), "brouillon")

    html = client.get(method.url).content.decode()
    contributors = section(html, "contributors")
    assert "Solucracy" in contributors
    for association in field_associations:
        assert contributors.count(association.get_absolute_url()) == 1  # deduplicated
    assert "Les Localos" not in contributors  # an unpublished draft's author is not credited
    assert "Resiliere" not in contributors  # who published is not who wrote
    assert "Solucracy" in citation(html)


def test_contributors_of_an_old_version_are_those_up_to_it(client, method, make_editor):
    old_number = method.live_revision_id
    publish_as(method, make_editor("solucracy"), "plus tard")
    html = client.get(f"{method.url}historique/{old_number}/").content.decode()
    assert "Solucracy" not in section(html, "contributors")
    assert "Solucracy" in section(client.get(method.url).content.decode(), "contributors")


def test_cite_block_gives_the_permalink_of_the_live_version(client, method, make_editor):
    revision = publish_as(method, make_editor("react"), "pour citer")
    html = client.get(method.url).content.decode()
    assert 'id="comment-citer"' in html and 'id="citation"' in html
    permalink = f"http://testserver{method.url}historique/{revision.pk}/"
    assert permalink in citation(html)
    assert f'href="{permalink}"' in section(html, "cite")
    assert f'href="{method.url}historique/"' in section(html, "cite")
    assert client.get(permalink).status_code == 200


# --- Query counts ----------------------------------------------------------------------------


def publish_many(page, count: int, make_editor) -> None:
    """`count` publications, each by a new author of one of the five associations."""
    slugs = list(Association.objects.values_list("slug", flat=True))
    for n in range(count):
        publish_as(page, make_editor(slugs[n % len(slugs)]), f"Publication {n}", summary=f"Résumé n° {n}")


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.usefixtures("with_shortcuts")
def test_history_pages_run_as_many_queries_with_3_or_30_publications(
    client, method, make_editor, django_assert_max_num_queries
):
    publish_many(method, 2, make_editor)  # with the loader's: 3 publications
    first = method.revisions.order_by("created_at").first().pk

    def urls():
        live = method.live_revision_id
        return [
            method.url,
            f"{method.url}historique/",
            f"{method.url}historique/{first}/",
            f"{method.url}historique/{live}/",
            f"{method.url}historique/{first}/{live}/",
        ]

    small = {url: count_queries(client, url) for url in urls()}
    publish_many(method, 27, make_editor)
    method.refresh_from_db()
    assert len(client.get(f"{method.url}historique/").context_data["entries"]) == 30
    large_urls = urls()
    for small_url, large_url in zip(small, large_urls, strict=True):
        with django_assert_max_num_queries(small[small_url]):
            assert client.get(large_url).status_code == 200
    assert small[f"{method.url}historique/"] <= 12
