"""Wikitext inside a line (emphasis, links, entities, inline tags) -> Markdown.

Text is escaped only where Markdown would read it as markup (`*`, `_`, backquotes, brackets,
`<`, `\\`), so that the Markdown editors will edit afterwards stays readable.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import quote

from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Tag,
    Template,
    Text,
    Wikilink,
)

INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<])")
CELL_SPECIALS = re.compile(r"([\\`*_\[\]<|])")
MAGIC_WORD = re.compile(r"__[A-Z]+__")
FILE_NAMESPACES = {"fichier", "file", "image", "media", "média"}
CATEGORY_NAMESPACES = {"categorie", "catégorie", "category"}
SAFE_SCHEMES = ("http://", "https://", "mailto:")
HARD_BREAK = "  \n"
CODE_TAGS = {"code", "tt", "kbd", "samp"}
EMPHASIS = {"b": "**", "strong": "**", "i": "*", "em": "*"}
# Tags whose content is dropped: not text a reader of the fiche can use.
SILENT_TAGS = {"gallery", "references", "imagemap", "timeline", "score", "graph", "templatedata"}

# Modes: "text" (a paragraph or list item), "cell" (a table cell: one line), "plain" (a heading).
TEXT, CELL, PLAIN = "text", "cell", "plain"


def wiki_title_key(title: str) -> str:
    """A wiki page title as MediaWiki compares them: underscores are spaces, the first letter's case
    does not count."""
    title = " ".join(title.replace("_", " ").split())
    return unicodedata.normalize("NFC", title[:1].upper() + title[1:])


@dataclass
class InlineRenderer:
    """Renders the nodes of one page; remembers what it had to drop, for the page's warnings."""

    links: dict[str, str] = field(default_factory=dict)  # wiki title key -> URL on the site
    skip: object = None  # the form template node, whose parameters are the fields
    templates: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    def render(self, code, mode: str = TEXT) -> str:
        """The Markdown of a node list (`Wikicode` or None)."""
        if code is None:
            return ""
        return "".join(self.node(node, mode) for node in code.nodes)

    def node(self, node, mode: str) -> str:
        if isinstance(node, Text):
            return escape_text(MAGIC_WORD.sub("", str(node.value)), mode)
        if isinstance(node, HTMLEntity):
            return escape_text(node.normalize(), mode)
        if isinstance(node, Wikilink):
            return self.wikilink(node, mode)
        if isinstance(node, ExternalLink):
            return self.external_link(node, mode)
        if isinstance(node, Tag):
            return self.tag(node, mode)
        if isinstance(node, Template):
            if node is not self.skip:
                self.templates.append(str(node.name).strip())
            return ""
        if isinstance(node, Heading):
            return self.render(node.title, PLAIN).strip()
        if isinstance(node, Comment | Argument):
            return ""
        return escape_text(str(node), mode)

    # --- Links ----------------------------------------------------------------------------

    def wikilink(self, node: Wikilink, mode: str) -> str:
        target = str(node.title).strip()
        namespace, _sep, rest = target.partition(":")
        if _sep and namespace.strip().casefold() in FILE_NAMESPACES:
            self.files.append(rest.strip())
            return ""
        if _sep and namespace.strip().casefold() in CATEGORY_NAMESPACES:
            self.categories.append(rest.strip())
            return ""
        target = target.lstrip(":")
        page = target.partition("#")[0]
        text = self.render(node.text, mode).strip() if node.text else escape_text(target, mode)
        url = self.links.get(wiki_title_key(page)) if page else None
        return f"[{text}]({url})" if url and text else text

    def external_link(self, node: ExternalLink, mode: str) -> str:
        url = str(node.url).strip()
        if url.startswith("//"):
            url = "https:" + url
        title = self.render(node.title, mode).strip() if node.title else ""
        if not url.lower().startswith(SAFE_SCHEMES):
            return title or escape_text(url, mode)
        url = quote(url, safe="/:?#&=%+@;,.!~*'$-_")
        if title:
            return f"[{title}]({url})"
        return f"<{url}>"

    # --- Tags -----------------------------------------------------------------------------

    def tag(self, node: Tag, mode: str) -> str:
        name = str(node.tag).strip().lower()
        if name in EMPHASIS:
            return emphasize(self.render(node.contents, mode), EMPHASIS[name])
        if name == "br":
            return {TEXT: HARD_BREAK, CELL: "<br>", PLAIN: " "}[mode]
        if name in {"li", "dt", "dd"}:
            return " " if node.wiki_markup else self.render(node.contents, mode)
        if name in CODE_TAGS:
            return inline_code(str(node.contents or ""))
        if name in {"nowiki", "pre", "syntaxhighlight", "source", "math"}:
            return escape_text(str(node.contents or ""), mode)
        if name == "ref":
            note = self.render(node.contents, mode).strip()
            return f" ({note})" if note else ""
        if name == "hr" or name in SILENT_TAGS:
            return ""
        if name == "table":
            return " ".join(part for part in self.render(node.contents, CELL).split() if part != "|")
        return self.render(node.contents, mode)


def escape_text(text: str, mode: str) -> str:
    """Plain text, with what Markdown would read as markup escaped."""
    specials = CELL_SPECIALS if mode == CELL else INLINE_SPECIALS
    text = specials.sub(r"\\\1", text)
    if mode != TEXT:
        text = re.sub(r"\s+", " ", text) if mode == PLAIN else text.replace("\n", " ")
    return text


def emphasize(inner: str, marker: str) -> str:
    """`**bold**`; spaces stay outside the markers, or Markdown would not see them."""
    if not inner.strip():
        return inner
    stripped = inner.strip()
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{marker}{stripped}{marker}{trail}"


def inline_code(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"
