"""`manage.py import_mediawiki`: history, authors, dates, fields; all or nothing; idempotent."""

import re
from datetime import UTC, datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.html import escape

from wagtail.models import Page, PageLogEntry, Revision

import pytest

from commons.history import published_revisions
from methods.models import MethodPage

pytestmark = pytest.mark.django_db

DUMPS = Path(__file__).parent / "dumps"
COMMONS_DUMP = DUMPS / "resilience_des_territoires.xml"
TITLE = "Outils et méthodes de gouvernance pour la transition des territoires ruraux"
AUTHORS = ["Alexiabjx", "Lucie La Traverse", "Nicolas Solucracy"]


def run(dump, *args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_mediawiki", str(dump), *args, stdout=out, stderr=out)
    return out.getvalue()


def counts() -> tuple:
    return (
        Page.objects.count(),
        Revision.objects.count(),
        PageLogEntry.objects.count(),
        get_user_model().objects.count(),
    )


@pytest.fixture
def commons_page():
    run(COMMONS_DUMP)
    return MethodPage.objects.get(title=TITLE)


def test_each_wiki_revision_is_a_published_version_with_its_date_author_and_note(commons_page):
    versions = list(reversed(published_revisions(commons_page)))
    assert [v.wiki_author for v in versions] == AUTHORS
    assert [v.published_at for v in versions] == [
        datetime(2023, 10, 11, 10, 28, tzinfo=UTC),
        datetime(2023, 11, 3, 14, 5, 12, tzinfo=UTC),
        datetime(2024, 1, 15, 9, 30, tzinfo=UTC),
    ]
    assert [v.change_note for v in versions] == [
        "Création de la fiche du commun",
        "2.Détails Sobriété et/ou Résilience des Territoire : ajout des territoires d'expérimentation",
        "Calendrier de réalisation et autodiagnostic",
    ]
    assert [v.revision.created_at for v in versions] == [v.published_at for v in versions]
    assert commons_page.live_revision_id == versions[-1].number
    assert commons_page.first_published_at == versions[0].published_at
    assert commons_page.last_published_at == versions[-1].published_at
    assert not commons_page.has_unpublished_changes
    # Each version keeps its own state: the first had one défi and no thème.
    first = Revision.objects.get(pk=versions[0].number).content
    assert (len(first["defis"]), first["themes"], first["mediawiki"]["revision"]) == (1, [], 51001)


def test_wiki_authors_are_inactive_accounts_without_password_or_group(commons_page):
    users = get_user_model().objects.filter(username__startswith="wiki-").order_by("first_name")
    assert [u.first_name for u in users] == AUTHORS
    assert all(not u.is_active and not u.has_usable_password() and not u.groups.exists() for u in users)
    revisions = Revision.page_revisions.filter(object_id=str(commons_page.pk)).order_by("pk")
    assert [r.user.first_name for r in revisions] == AUTHORS


def test_fields_map_onto_the_fiche_and_the_taxonomy(commons_page):
    assert commons_page.slug == "outils-et-methodes-de-gouvernance-pour-la-transition-des-territoires-ruraux"
    assert commons_page.url == f"/methodes/{commons_page.slug}/"
    assert sorted(commons_page.defis.values_list("number", flat=True)) == [1, 3]
    assert sorted(commons_page.themes.values_list("slug", flat=True)) == [
        "resilience-gouvernance",
        "vulnerabilite-sociale",
    ]
    assert sorted(commons_page.tags.values_list("name", flat=True)) == [
        "autodiagnostic",
        "gouvernance partagée",
        "ruralité",
    ]
    assert commons_page.license == "CC-BY-SA-4.0"
    assert len(commons_page.summary) <= 300
    assert commons_page.summary.startswith("Ce projet vise à fédérer des acteurs")
    assert commons_page.summary.endswith("…")
    assert "## 5.Autodiagnostic" in commons_page.body
    assert "| Capitalisation | Janvier à juin 2024 | Grille d’évaluation commune |" in commons_page.body
    assert "1. Solucracy dans l’Ain\n    1. Village de Léaz (700 hab.)" in commons_page.body
    assert "{{" not in commons_page.body
    assert "<table>" in commons_page.body_html


def test_unknown_fields_templates_and_files_are_reported():
    output = run(COMMONS_DUMP)
    unknown = "champ « Richesse recherchée » non repris : Mentorat, Financement"
    assert f"avertissement — {TITLE} — {unknown}" in output
    assert "champ « Niveau de développement » non repris : Présérie" in output
    assert "Type de licence : licence « Creative Commons » sans précision : CC BY-SA 4.0 retenue" in output
    assert output.count("modèles ignorés : Suivi des actions") == 1
    assert "fichiers non importés : Budget AP communs (1).pdf" in output
    assert "ignorée : Modèle:Commun (espace de noms 10" in output
    assert "1 fiche(s) créée(s), 0 mise(s) à jour, 3 révision(s) importée(s)" in output


def test_unknown_taxonomy_values_and_licences_are_reported_and_links_follow_the_import():
    output = run(DUMPS / "petit_wiki.xml")
    assert "Théâtre forum — Défi : « 12- Conquête spatiale » ne correspond à aucun terme du commun" in output
    assert "Théâtre forum — Thème : « Couleurs » ne correspond à aucun terme du commun" in output
    assert "licence « CC BY-NC-ND 3.0 » sans équivalent dans le commun" in output
    assert "Théâtre forum — modèles ignorés : Infobox, Citation nécessaire" in output
    theatre = MethodPage.objects.get(slug="theatre-forum-2")
    arpentage = MethodPage.objects.get(slug="arpentage-2")
    assert theatre.slug == "theatre-forum-2"  # the demo content has a "theatre-forum" already
    assert f"[arpentage]({arpentage.url})" in theatre.body
    assert "une page absente" in theatre.body and "[une page absente]" not in theatre.body
    assert list(theatre.defis.values_list("number", flat=True)) == [3]


@pytest.mark.usefixtures("with_shortcuts")  # it counts the fast path's queries
def test_the_public_history_credits_the_wiki_authors(client, commons_page, django_assert_max_num_queries):
    url = commons_page.url + "historique/"
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    html = response.content.decode()
    entries = re.findall(r'<li class="history-entry.*?</li>\s*</ul>\s*</li>', html, flags=re.S)
    assert len(entries) == 3
    for entry, author in zip(entries, reversed(AUTHORS), strict=True):
        assert f"{escape(author)}, sur le wiki « Résilience des Territoires »" in entry
    assert "11 octobre 2023" in entries[-1]
    assert escape("Création de la fiche du commun") in entries[-1]


def test_the_fiche_and_its_citation_name_the_wiki_authors(client, commons_page):
    html = client.get(commons_page.url).content.decode()
    citation = re.search(r'<blockquote class="cite__text".*?</blockquote>', html, flags=re.S).group(0)
    assert ", ".join(AUTHORS) in citation
    contributors = re.search(r'<section class="contributors".*?</ul>', html, flags=re.S).group(0)
    assert all(escape(author) in contributors for author in AUTHORS)
    # An older version credits only the authors up to it.
    oldest = list(published_revisions(commons_page))[-1]
    old_html = client.get(f"{commons_page.url}historique/{oldest.number}/").content.decode()
    old_citation = re.search(r'<blockquote class="cite__text".*?</blockquote>', old_html, flags=re.S).group(0)
    assert "Alexiabjx" in old_citation and "Lucie" not in old_citation


def test_an_anonymous_wiki_edit_is_credited_without_its_ip(client):
    run(DUMPS / "petit_wiki.xml")
    arpentage = MethodPage.objects.get(slug="arpentage-2")
    html = client.get(arpentage.url + "historique/").content.decode()
    assert "une personne anonyme, sur le wiki « Petit wiki »" in html
    assert "192.0.2.44" not in html
    assert not Revision.objects.filter(content__mediawiki__author="192.0.2.44").exists()


def test_a_second_import_changes_nothing(commons_page):
    before = counts()
    output = run(COMMONS_DUMP)
    assert counts() == before
    assert f"{TITLE} : déjà importée" in output
    assert "0 révision(s) importée(s)" in output


def test_a_longer_history_adds_only_the_new_revisions(tmp_path):
    text = COMMONS_DUMP.read_text(encoding="utf-8")
    shorter = tmp_path / "deux-revisions.xml"
    two_revisions = re.sub(r"<revision>\s*<id>51230</id>.*?</revision>", "", text, flags=re.S)
    shorter.write_text(two_revisions, encoding="utf-8")
    run(shorter)
    page = MethodPage.objects.get(title=TITLE)
    assert len(published_revisions(page)) == 2
    output = run(COMMONS_DUMP)
    assert "0 fiche(s) créée(s), 1 mise(s) à jour, 1 révision(s) importée(s)" in output
    page.refresh_from_db()
    versions = published_revisions(page)
    assert [v.wiki_author for v in versions] == list(reversed(AUTHORS))
    assert page.first_published_at == datetime(2023, 10, 11, 10, 28, tzinfo=UTC)
    assert page.live_revision_id == versions[0].number


def test_a_fiche_edited_on_the_site_is_left_alone(tmp_path, commons_page):
    commons_page.summary = "Réécrit sur le site"
    commons_page.save_revision().publish()
    text = COMMONS_DUMP.read_text(encoding="utf-8")
    newer = re.sub(
        r"(<revision>\s*<id>51230</id>.*?</revision>)",
        lambda m: m.group(1) + m.group(1).replace("51230", "51999").replace("2024-01-15", "2024-02-01"),
        text,
        flags=re.S,
    )
    longer = tmp_path / "quatre-revisions.xml"
    longer.write_text(newer, encoding="utf-8")
    before = counts()
    output = run(longer)
    assert "modifiée sur le site depuis l'import" in output
    assert counts() == before


@pytest.mark.parametrize("dump", ["tronque.xml", "incomplet.xml"])
def test_a_malformed_dump_changes_nothing(dump):
    before = counts()
    with pytest.raises(CommandError, match="rien n'a été modifié"):
        run(DUMPS / dump)
    assert counts() == before


def test_the_incomplete_dump_lists_each_problem(capsys):
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError, match="3 problème"):
        call_command("import_mediawiki", str(DUMPS / "incomplet.xml"), stderr=err)
    assert "Page sans date — révision 2001 : révision sans date" in err.getvalue()
    assert not MethodPage.objects.filter(title="Page correcte").exists()


def test_unknown_type_missing_file_and_dry_run_write_nothing():
    before = counts()
    with pytest.raises(CommandError, match="Type de fiche inconnu : « recettes »"):
        run(COMMONS_DUMP, "--type", "recettes")
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run(DUMPS / "absent.xml")
    output = run(COMMONS_DUMP, "--dry-run")
    assert "3 révision(s) seraient importées" in output
    assert counts() == before


def test_another_registered_type(client):
    from methods.models import ToolPage

    run(DUMPS / "petit_wiki.xml", "--type", "tools")
    tool = ToolPage.objects.get(title="Arpentage")
    assert tool.url.startswith("/outils/")
    assert client.get(tool.url + "historique/").status_code == 200


def test_a_failure_while_writing_rolls_everything_back(monkeypatch):
    from commons.mediawiki import writing

    written = []
    original = writing.write_page

    def fail_on_the_second_page(*args, **kwargs):
        if written:
            raise ValueError("panne simulée")
        written.append(original(*args, **kwargs))
        return written[-1]

    monkeypatch.setattr(writing, "write_page", fail_on_the_second_page)
    before = counts()
    with pytest.raises(CommandError, match="panne simulée"):
        run(DUMPS / "petit_wiki.xml")
    assert written  # the first page was written, then undone
    assert counts() == before
