"""Every Markdown text of the demo content renders as its author wrote it: no list left flat.

python-markdown wanted nested lists indented by four spaces; the fixtures, like most people, indent
them under the item's text (three spaces after "1. "), and the public pages showed a paragraph of
"- Organisation : …" lines. The test renders every text and looks for such literal markers.
"""

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from django.apps import apps

import pytest
import yaml
from markdownx.models import MarkdownxField

from commons.rendering.markdown import render_markdown

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)(.*)\Z", re.DOTALL)
# Markdown fields of the exchange format besides the body: front-matter keys of the fiches, and
# the keys of taxonomy.yaml and associations.yaml entries (taxonomy terms nest in `children`).
FICHE_MARKDOWN_KEYS = {"changelog", "lessons"}
YAML_MARKDOWN_KEYS = {"description"}
MARKDOWN_YAML_FILES = ("taxonomy.yaml", "associations.yaml")

CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL)
BLOCK_TAG = re.compile(r"</?(p|li|ul|ol|h[1-6]|blockquote|table|thead|tbody|tr|th|td|hr|br|section)\b[^>]*>")
ANY_TAG = re.compile(r"<[^>]+>")
# Up to three digits: a year ending a sentence at the start of a wrapped line ("2018. Avec…") is prose.
LIST_MARKER = re.compile(r"(?:[-*+]|\d{1,3}[.)])(?:\s|$)")
NESTED_ITEM = re.compile(r"^ {2,}(?:[-*+]|\d{1,3}[.)]) ", re.MULTILINE)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.DOTALL | re.MULTILINE)


def fiche_texts() -> list[tuple[str, str]]:
    texts = []
    for path in sorted(FIXTURES.glob("*/*.md")):
        front_matter, body = FRONT_MATTER.match(path.read_text(encoding="utf-8")).groups()
        name = str(path.relative_to(FIXTURES))
        texts.append((name, body))
        meta = yaml.safe_load(front_matter) or {}
        texts += [(f"{name}:{key}", meta[key]) for key in sorted(FICHE_MARKDOWN_KEYS) if meta.get(key)]
    return texts


def yaml_texts(node, where: str) -> list[tuple[str, str]]:
    """The Markdown values of a YAML document, wherever its entries nest."""
    if isinstance(node, list):
        return [text for index, item in enumerate(node) for text in yaml_texts(item, f"{where}[{index}]")]
    if not isinstance(node, dict):
        return []
    texts = [(f"{where}.{key}", node[key]) for key in sorted(YAML_MARKDOWN_KEYS) if node.get(key)]
    for key, value in node.items():
        texts += yaml_texts(value, f"{where}.{key}")
    return texts


def fixture_texts() -> list[tuple[str, str]]:
    texts = fiche_texts()
    for name in MARKDOWN_YAML_FILES:
        texts += yaml_texts(yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8")), name)
    return texts


def literal_list_markers(rendered: str) -> list[str]:
    """The lines of text (outside code) that begin with a list marker Markdown did not read."""
    text = ANY_TAG.sub("", BLOCK_TAG.sub("\n", CODE.sub("", rendered)))
    return [line.strip() for line in html.unescape(text).splitlines() if LIST_MARKER.match(line.strip())]


class NestedItems(HTMLParser):
    """Counts the list items that sit inside another list item."""

    def __init__(self):
        super().__init__()
        self.depth = self.nested = 0

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self.nested += self.depth > 0
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "li":
            self.depth -= 1


def nested_items(rendered: str) -> int:
    parser = NestedItems()
    parser.feed(rendered)
    return parser.nested


TEXTS = fixture_texts()


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[where for where, _ in TEXTS])
def test_no_fixture_text_keeps_a_literal_list_marker(where, text):
    assert literal_list_markers(render_markdown(text)) == [], where


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[where for where, _ in TEXTS])
def test_every_indented_list_item_of_a_fixture_is_nested(where, text):
    """The other face of the old bug: "   1. …" under "1. …" became a sibling, renumbered."""
    assert nested_items(render_markdown(text)) >= len(NESTED_ITEM.findall(FENCE.sub("", text))), where


def test_flattened_items_are_counted():
    assert nested_items("<ol>\n<li>a :</li>\n<li>b</li>\n</ol>") == 0
    assert nested_items("<ol>\n<li>a :\n<ol>\n<li>b</li>\n<li>c</li>\n</ol>\n</li>\n</ol>") == 2
    assert len(NESTED_ITEM.findall("1. a :\n   1. b\n   - c\n  suite\n- d")) == 2


def test_every_kind_of_fixture_text_is_read():
    wheres = [where for where, _ in TEXTS]
    for expected in (
        "methods/",
        "tools/",
        "territories/",
        ":changelog",
        ":lessons",
        "taxonomy.yaml.questions",
    ):
        assert any(expected in where for where in wheres), expected
    assert "associations.yaml[0].description" in wheres
    assert any(where.endswith(".children[0].description") for where in wheres)
    assert len(wheres) > 60


def test_the_texts_read_cover_every_markdown_field_of_the_models():
    """A new Markdown field must be added here, or its fixture texts would go untested."""
    fields = {
        field.name
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, MarkdownxField)
    }
    assert fields - {"body", "intro"} <= FICHE_MARKDOWN_KEYS | YAML_MARKDOWN_KEYS
    assert {"body", "changelog", "lessons", "description"} <= fields


@pytest.mark.parametrize(
    "flat",
    [
        "<p>Trois couleurs :\n- vert ;\n- rouge.</p>",  # python-markdown's rendering of such a list
        "<li><strong>Lister</strong> :\n- <strong>institutions</strong> : mairie</li>",
        "<p>- seul</p>",
        "<p>Étapes\n  1. première</p>",
        "<p>* étoile</p>",
        "<p>+ plus</p>",
        "<p>texte<br>\n2) suite</p>",
    ],
)
def test_a_literal_list_marker_is_found(flat):
    assert literal_list_markers(flat)


@pytest.mark.parametrize(
    "rendered",
    [
        "<ul>\n<li>vert</li>\n</ul>",
        "<p>un – tiret demi-cadratin</p>",
        "<p>-5 °C, *note*, 3.5 %</p>",
        "<p>Accompagnée depuis\n2018. Avec Migné-Auxances…</p>",
        "<pre><code>- du code\n1. encore\n</code></pre>",
        "<p>Écrire <code>- x</code> en ligne.</p>",
    ],
)
def test_text_that_only_looks_like_a_marker_is_not_found(rendered):
    assert literal_list_markers(rendered) == []
