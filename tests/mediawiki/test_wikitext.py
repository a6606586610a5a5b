"""Wikitext -> Markdown: each construct, and hostile or broken input (plain unit tests)."""

import mwparserfromhell
import pytest

from commons.mediawiki.fields import form_template
from commons.mediawiki.wikitext import wikitext_to_markdown


def md(text: str, **kwargs) -> str:
    return wikitext_to_markdown(text, **kwargs).markdown


@pytest.mark.parametrize(
    ("wikitext", "markdown"),
    [
        ("== Titre ==\nTexte", "## Titre\n\nTexte"),
        ("=== Sous-titre ===", "### Sous-titre"),
        ("= Haut =", "## Haut"),  # the fiche's title is the page's only h1
        ("====== Six ======", "###### Six"),
        ("Avant\n== Titre ==\nAprès", "Avant\n\n## Titre\n\nAprès"),
        ("== ''Titre'' en [[Lien|lien]] ==", "## *Titre* en lien"),
    ],
)
def test_headings(wikitext, markdown):
    assert md(wikitext) == markdown


@pytest.mark.parametrize(
    ("wikitext", "markdown"),
    [
        ("''italique''", "*italique*"),
        ("'''gras'''", "**gras**"),
        ("'''''les deux'''''", "***les deux***"),
        ("un '''gras ''' ici", "un **gras** ici"),
        ("<b>gras</b> et <i>italique</i>", "**gras** et *italique*"),
    ],
)
def test_emphasis(wikitext, markdown):
    assert md(wikitext) == markdown


def test_nested_lists_of_both_kinds():
    wikitext = "Intro\n* un\n** un.un\n*** un.un.un\n* deux\n# premier\n#* puce\n## second\nFin"
    assert md(wikitext) == (
        "Intro\n\n- un\n    - un.un\n        - un.un.un\n- deux\n1. premier\n    - puce\n    1. second\n\nFin"
    )


def test_an_empty_list_item_is_dropped():
    assert md("* un\n*\n* deux") == "- un\n\n- deux"


def test_definition_and_indented_lines():
    assert md("; Terme : définition\n; Seul\n: retrait") == "**Terme** : définition\n\n**Seul**\n\nretrait"


def test_internal_links_point_to_imported_fiches_or_become_text():
    links = {"Arpentage": "/methodes/arpentage/"}
    assert md("[[arpentage]] et [[Arpentage|la méthode]]", links=links) == (
        "[arpentage](/methodes/arpentage/) et [la méthode](/methodes/arpentage/)"
    )
    assert md("[[Arpentage#Déroulé|déroulé]]", links=links) == "[déroulé](/methodes/arpentage/)"
    assert md("[[Page absente]] et [[Page absente|texte]]", links=links) == "Page absente et texte"
    assert md("[[:Catégorie:Communs|les communs]]") == "les communs"


def test_files_and_categories_are_dropped_and_remembered():
    conversion = wikitext_to_markdown("Voir [[Fichier:Budget.pdf|le budget]] [[Catégorie:Communs]] ici")
    assert conversion.markdown == "Voir ici"
    assert conversion.files == ["Budget.pdf"]
    assert conversion.categories == ["Communs"]


@pytest.mark.parametrize(
    ("wikitext", "markdown"),
    [
        ("[https://example.org le site]", "[le site](https://example.org)"),
        ("[https://example.org]", "<https://example.org>"),
        ("voir https://example.org/a_b ici", "voir <https://example.org/a_b> ici"),
        ("[https://example.org/a(b) lien]", "[lien](https://example.org/a%28b%29)"),
        ("[//example.org protocole]", "[protocole](https://example.org)"),
        ("[mailto:a@example.org écrire]", "[écrire](mailto:a@example.org)"),
        ("[ftp://example.org fichier]", "fichier"),
    ],
)
def test_external_links(wikitext, markdown):
    assert md(wikitext) == markdown


def test_tables_become_markdown_tables():
    wikitext = (
        '{| class="wikitable"\n|+ Calendrier\n! Phase !! Période\n|-\n| Capitalisation || 2024\n'
        "|-\n| Diffusion\n| 2025<br>et après\n|-\n| a | b || seule\n|}"
    )
    assert md(wikitext) == (
        "**Calendrier**\n\n| Phase | Période |\n| --- | --- |\n| Capitalisation | 2024 |\n"
        "| Diffusion | 2025<br>et après |\n| b | seule |"
    )


def test_table_without_header_row_and_ragged_rows():
    assert md("{|\n|-\n| a || b || c\n|-\n| d\n|}") == "| a | b | c |\n| --- | --- | --- |\n| d |  |  |"


def test_table_cells_escape_pipes_and_markup():
    assert md("{|\n! x\n|-\n| a <nowiki>|</nowiki> b *c*\n|}") == "| x |\n| --- |\n| a \\| b \\*c\\* |"


def test_line_breaks():
    assert md("un<br>deux<br />trois") == "un  \ndeux  \ntrois"
    assert md("== un<br>deux ==") == "## un deux"


def test_templates_are_dropped_and_named_once():
    conversion = wikitext_to_markdown("{{Infobox|a=1}}\nTexte{{Citation nécessaire}} {{Infobox}} fin")
    assert conversion.markdown == "Texte fin"
    assert conversion.templates == ["Infobox", "Citation nécessaire"]


def test_the_form_template_is_not_reported():
    code = mwparserfromhell.parse("{{Commun|Défi=3}}\nTexte {{Autre}}")
    conversion = wikitext_to_markdown(code, skip=form_template(code))
    assert conversion.markdown == "Texte"
    assert conversion.templates == ["Autre"]


@pytest.mark.parametrize(
    ("wikitext", "markdown"),
    [
        ("2*3*4 et a_b_c", "2\\*3\\*4 et a\\_b\\_c"),
        ("[pas un lien] `code`", "\\[pas un lien\\] \\`code\\`"),
        ("# liste\n\n#hashtag", "1. liste\n\n1. hashtag"),
        ("Texte\n> pas une citation", "Texte\n\\> pas une citation"),
        ("2024. Une année", "2024\\. Une année"),
        ("Ligne\n=====", "Ligne\n\\====="),
        ("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &eacute;", "\\<script>alert(1)\\</script> & é"),
        ("<script>alert(1)</script>", "alert(1)"),
        ("<!-- caché --> visible __NOTOC__", "visible"),
        ("<nowiki>''pas italique''</nowiki>", "''pas italique''"),
        ("du <code>code</code> ici", "du `code` ici"),
        ("Texte<ref>Une source</ref>.", "Texte (Une source)."),
        ("avant\n----\naprès", "avant\n\n---\n\naprès"),
        ("<blockquote>cité</blockquote>", "> cité"),
        ("<pre>a  b\n  c</pre>", "```\na  b\n  c\n```"),
        ("{{{paramètre|défaut}}}", ""),
    ],
)
def test_escaping_and_other_markup(wikitext, markdown):
    assert md(wikitext) == markdown


@pytest.mark.parametrize(
    "wikitext",
    [
        "'''gras sans fin\n''italique sans fin",
        "[[lien sans fin",
        "{| table sans fin\n| a",
        "{{modèle sans fin",
        "<b><i>mal</b></i> imbriqué",
        "[" * 500 + "]" * 500,
        "*" * 300 + " profond",
        "",
        "\n\n\n",
    ],
)
def test_broken_input_never_raises(wikitext):
    result = md(wikitext)
    assert isinstance(result, str)
    assert "\n\n\n" not in result


def test_paragraphs_keep_their_blank_lines():
    assert md("Un\ndeux\n\n\n\nTrois") == "Un\ndeux\n\nTrois"
