"""Reading MediaWiki exports: revisions in order, authors, and every problem of a broken dump."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from commons.exchange import CommonsFilesInvalid
from commons.mediawiki import read_wiki_dump

DUMPS = Path(__file__).parent / "dumps"


def test_the_commons_page_with_its_three_revisions_in_order():
    dump = read_wiki_dump(DUMPS / "resilience_des_territoires.xml")
    assert (dump.site_name, dump.site_key) == ("Résilience des Territoires", "resilience_territoires")
    [page] = dump.pages
    assert page.title == "Outils et méthodes de gouvernance pour la transition des territoires ruraux"
    assert [r.id for r in page.revisions] == [51001, 51017, 51230]
    assert [r.author for r in page.revisions] == ["Alexiabjx", "Lucie La Traverse", "Nicolas Solucracy"]
    assert page.revisions[0].timestamp == datetime(2023, 10, 11, 10, 28, tzinfo=UTC)
    assert page.revisions[0].comment == "Création de la fiche du commun"
    assert dump.skipped == ["Modèle:Commun (espace de noms 10, 1 révision(s))"]


def test_an_anonymous_edit_keeps_no_ip_address():
    dump = read_wiki_dump(DUMPS / "petit_wiki.xml")
    arpentage = dump.pages[1]
    assert [r.author for r in arpentage.revisions] == ["", "Camille"]


def test_every_problem_of_an_incomplete_dump_is_listed():
    with pytest.raises(CommonsFilesInvalid) as raised:
        read_wiki_dump(DUMPS / "incomplet.xml")
    assert [str(p) for p in raised.value.problems] == [
        "incomplet.xml — Page sans date — révision 2001 : révision sans date",
        "incomplet.xml — Page vide — révision 2002 : révision sans texte",
        "incomplet.xml — Page sans révision : page sans révision",
    ]


def test_truncated_xml_is_a_problem(tmp_path):
    with pytest.raises(CommonsFilesInvalid) as raised:
        read_wiki_dump(DUMPS / "tronque.xml")
    assert "export XML illisible" in str(raised.value.problems[0])
    other = tmp_path / "pas-du-xml.xml"
    other.write_text("Ceci n'est pas un export", encoding="utf-8")
    with pytest.raises(CommonsFilesInvalid):
        read_wiki_dump(other)


def test_duplicate_revisions_and_empty_dumps_are_problems(tmp_path):
    text = (DUMPS / "petit_wiki.xml").read_text(encoding="utf-8").replace("<id>1005</id>", "<id>1000</id>")
    duplicated = tmp_path / "double.xml"
    duplicated.write_text(text, encoding="utf-8")
    with pytest.raises(CommonsFilesInvalid, match="1 problème"):
        read_wiki_dump(duplicated)
    empty = tmp_path / "vide.xml"
    empty.write_text('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/"><siteinfo/></mediawiki>')
    with pytest.raises(CommonsFilesInvalid) as raised:
        read_wiki_dump(empty)
    assert "aucune page" in str(raised.value.problems[0])
