"""Page Forms fields onto the taxonomy, licences, summaries and change notes (plain unit tests)."""

import mwparserfromhell
import pytest

from commons.mediawiki.fields import (
    WikiTaxonomy,
    WikiTerm,
    form_template,
    map_wiki_fields,
    plain_key,
    template_fields,
    wiki_license,
)
from commons.mediawiki.plan import change_note, first_paragraph, truncate_on_word

TAXONOMY = WikiTaxonomy(
    defis=[
        WikiTerm(1, "connaissances-ressources", "Connaissances – Ressources", number=1),
        WikiTerm(3, "gouvernance", "Gouvernance", number=3),
    ],
    themes=[
        WikiTerm(10, "vulnerabilites", "Vulnérabilités"),
        WikiTerm(11, "vulnerabilite-sociale", "Sociale", parent="Vulnérabilités"),
        WikiTerm(20, "facteurs-de-resilience", "Facteurs de résilience"),
        WikiTerm(21, "resilience-gouvernance", "Gouvernance", parent="Facteurs de résilience"),
        WikiTerm(30, "gouvernance-locale", "Gouvernance"),
    ],
)


def test_plain_key_ignores_accents_case_and_punctuation():
    assert plain_key("Type de licence ?") == "type de licence"
    assert plain_key("  Défi auquel répond la ressource ") == "defi auquel repond la ressource"


def test_the_form_template_is_the_first_with_named_parameters_or_the_one_named():
    code = mwparserfromhell.parse("{{Bandeau|rouge}}\n{{Commun|Défi=3}}\n{{Autre|x=1}}")
    assert str(form_template(code).name) == "Commun"
    assert str(form_template(code, "autre").name) == "Autre"
    assert form_template(code, "Absent") is None
    assert template_fields(form_template(code)) == {"Défi": "3"}


def test_field_values_are_plain_text():
    code = mwparserfromhell.parse("{{Commun|Description=Une ''belle'' [[Page|méthode]]{{ref}}\n |Tags=}}")
    assert template_fields(form_template(code)) == {"Description": "Une belle méthode", "Tags": ""}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1- Connaissances - Ressources, 3- Gouvernance", [1, 3]),
        ("3", [3]),
        ("Connaissances – Ressources; gouvernance", [1, 3]),
        ("connaissances-ressources", [1]),
        ("3- Gouvernance, 3. Gouvernance", [3]),
    ],
)
def test_defis_by_number_name_or_slug(value, expected):
    assert map_wiki_fields({"Défi": value}, TAXONOMY).defis == expected


def test_themes_by_path_by_unique_name_or_by_slug():
    value = "Vulnérabilités/Sociale, Facteurs de résilience/Gouvernance"
    mapped = map_wiki_fields({"Thème": value}, TAXONOMY)
    assert mapped.themes == [11, 21]
    assert map_wiki_fields({"Thèmes": "sociale; resilience-gouvernance"}, TAXONOMY).themes == [11, 21]
    # Three thèmes are called "Gouvernance": the top-level one is meant.
    assert map_wiki_fields({"Thème": "Gouvernance"}, TAXONOMY).themes == [30]


def test_unknown_values_and_fields_are_reported_not_fatal():
    mapped = map_wiki_fields(
        {
            "Défi": "12- Conquête spatiale, 3",
            "Thème": "Couleurs",
            "Richesse recherchée": "Mentorat",
            "Vide": "",
        },
        TAXONOMY,
    )
    assert mapped.defis == [3]
    assert mapped.themes == []
    assert mapped.warnings == [
        "Défi : « 12- Conquête spatiale » ne correspond à aucun terme du commun",
        "Thème : « Couleurs » ne correspond à aucun terme du commun",
        "champ « Richesse recherchée » non repris : Mentorat",
    ]


def test_summary_tags_and_credits():
    mapped = map_wiki_fields(
        {"Description": "En bref.", "Tags": "Ruralité, ruralité, Gouvernance partagée", "Contributeurs": "X"},
        TAXONOMY,
    )
    assert (mapped.summary, mapped.credits) == ("En bref.", "X")
    assert mapped.tags == ["ruralité", "gouvernance partagée"]


@pytest.mark.parametrize(
    ("value", "choice", "noted"),
    [
        ("CC BY-SA 4.0", "CC-BY-SA-4.0", False),
        ("cc-by-sa", "CC-BY-SA-4.0", False),
        ("Creative Commons BY 4.0", "CC-BY-4.0", False),
        ("CC BY-NC-SA 4.0", "CC-BY-NC-SA-4.0", False),
        ("CC0", "CC0-1.0", False),
        ("Domaine public", "CC0-1.0", False),
        ("Creative Commons", "CC-BY-SA-4.0", True),
        ("CC BY-SA 3.0", "CC-BY-SA-4.0", True),
        ("CC BY-NC-ND 3.0", None, True),
        ("CC BY-NC", None, True),
        ("Tous droits réservés", None, True),
    ],
)
def test_licences(value, choice, noted):
    found, note = wiki_license(value)
    assert found == choice
    assert bool(note) is noted


def test_truncate_on_a_word():
    text = "mot " * 100
    short = truncate_on_word(text, 300)
    assert len(short) <= 300
    assert short.endswith("mot…")
    assert truncate_on_word("  court   texte ", 300) == "court texte"
    assert len(truncate_on_word("x" * 400, 300)) == 300


def test_first_paragraph_skips_headings_lists_and_tables_and_drops_markup():
    markdown = (
        "## Titre\n\n- puce\n\n| a |\n| --- |\n\n"
        "Un **texte** avec [un lien](/x/) et <https://e.org> \\*.\n\nSuite"
    )
    assert first_paragraph(markdown) == "Un texte avec un lien et https://e.org *."
    assert first_paragraph("## Seulement un titre") == ""


@pytest.mark.parametrize(
    ("comment", "note"),
    [
        ("/* Financement */ précisions", "Financement : précisions"),
        ("/* Financement */", "Financement"),
        ("  résumé   simple ", "résumé simple"),
        ("", ""),
    ],
)
def test_change_notes_from_edit_summaries(comment, note):
    assert change_note(comment) == note
