"""Wikitext -> Markdown, with mwparserfromhell: the page's lines and blocks, then their Markdown.

Headings, bulleted and numbered lists (nested), definition lines, tables, rules and preformatted
blocks become their Markdown; what is inside a line goes through `commons.mediawiki.inline`.
Templates are dropped (their names are kept for the page's warning), except the form template,
whose parameters are the page's fields. Internal links point to the imported fiche when the page
is in the same dump (`links`), and are plain text otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import mwparserfromhell
from mwparserfromhell.nodes import Heading, Tag, Text

from commons.mediawiki.inline import TEXT, InlineRenderer
from commons.mediawiki.tables import markdown_table

LIST_MARKERS = "*#"
BLOCK_TAGS = {"table", "hr", "pre", "syntaxhighlight", "source", "blockquote"}
# Text that Markdown would read as a block at the start of a line, when the wiki meant text.
LINE_START = re.compile(r"(?P<mark>#|>|\+(?=\s)|=+\s*$|-{3,}\s*$|\d+(?P<dot>[.)])(?=\s))")
MANY_BLANKS = re.compile(r"\n{3,}")
MANY_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")  # left by dropped templates, comments, files


@dataclass
class WikitextConversion:
    """A page's Markdown, and what the conversion dropped (reported once per page)."""

    markdown: str
    templates: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)


@dataclass
class _Line:
    markers: str = ""
    chunks: list[tuple[str, bool]] = field(default_factory=list)  # (markdown, came from text)
    term_end: int | None = None  # "; term : definition": where the definition starts

    @property
    def empty(self) -> bool:
        return not self.chunks


def wikitext_to_markdown(wikitext, links: dict[str, str] | None = None, skip=None) -> WikitextConversion:
    """Convert wikitext (a string or parsed `Wikicode`) to Markdown.

    `links` maps wiki titles (`wiki_title_key`) to the URL of their fiche; `skip` is the node of the
    form template, left out of the text.
    """
    code = mwparserfromhell.parse(wikitext) if isinstance(wikitext, str) else wikitext
    renderer = InlineRenderer(links=dict(links or {}), skip=skip)
    blocks = _Blocks(renderer)
    blocks.walk(code.nodes)
    markdown = blocks.markdown()
    return WikitextConversion(
        markdown=markdown,
        templates=list(dict.fromkeys(renderer.templates)),
        files=list(dict.fromkeys(renderer.files)),
        categories=list(dict.fromkeys(renderer.categories)),
    )


class _Blocks:
    """First the page as lines and blocks, then the Markdown with blank lines where it needs them."""

    def __init__(self, renderer: InlineRenderer):
        self.renderer = renderer
        self.items: list[tuple[str, object]] = []
        self.line = _Line()

    # --- Reading the nodes ---------------------------------------------------------------

    def walk(self, nodes) -> None:
        for node in nodes:
            if isinstance(node, Text):
                self.text(str(node.value))
            elif isinstance(node, Tag) and node.wiki_markup and str(node.tag).lower() in {"li", "dt", "dd"}:
                self.marker(node)
            elif isinstance(node, Heading):
                title = self.renderer.render(node.title, "plain").strip()
                self.block("heading", (min(max(node.level, 2), 6), title))
            elif isinstance(node, Tag) and str(node.tag).lower() in BLOCK_TAGS:
                self.block_tag(node)
            else:
                self.add(self.renderer.node(node, TEXT), from_text=False)
        self.end_line()

    def text(self, value: str) -> None:
        for index, part in enumerate(value.split("\n")):
            if index:
                self.end_line()
            self.add(self.renderer.node(Text(part), TEXT), from_text=True)

    def marker(self, node: Tag) -> None:
        markup = str(node.wiki_markup)
        if self.line.empty:
            self.line.markers += markup
        elif markup == ":" and self.line.markers.startswith(";") and self.line.term_end is None:
            self.line.term_end = len(self.line.chunks)
        else:
            self.add(" ", from_text=False)

    def block_tag(self, node: Tag) -> None:
        name = str(node.tag).lower()
        if name == "table":
            self.block("table", markdown_table(node, self.renderer))
        elif name == "hr":
            self.block("hr", None)
        elif name == "blockquote":
            self.block("quote", self.renderer.render(node.contents, TEXT))
        else:
            self.block("code", str(node.contents or ""))

    def add(self, markdown: str, from_text: bool) -> None:
        if markdown:
            self.line.chunks.append((markdown, from_text))

    def end_line(self) -> None:
        self.items.append(("line", self.line))
        self.line = _Line()

    def block(self, kind: str, value) -> None:
        self.end_line()
        self.items.append((kind, value))

    # --- Writing the Markdown -------------------------------------------------------------

    def markdown(self) -> str:
        out: list[str] = []
        previous = "blank"
        for kind, value in self.items:
            kind, lines = self.format(kind, value)
            if kind == "blank":
                if previous != "blank":
                    out.append("")
                previous = "blank"
                continue
            if previous != "blank" and (kind != previous or kind == "block"):
                out.append("")
            out.extend(lines)
            previous = kind
        return MANY_BLANKS.sub("\n\n", "\n".join(out)).strip()

    def format(self, kind: str, value) -> tuple[str, list[str]]:
        """The kind of Markdown block an item is ("para", "list", "block" or "blank") and its lines."""
        if kind == "line":
            return format_line(value)
        if kind == "heading":
            level, title = value
            return ("block", ["#" * level + " " + title]) if title else ("blank", [])
        if kind == "table":
            return ("block", value) if value else ("blank", [])
        if kind == "hr":
            return "block", ["---"]
        if kind == "quote":
            quoted = [("> " + line).rstrip() for line in value.strip().split("\n")]
            return ("block", quoted) if value.strip() else ("blank", [])
        return code_block(value)


def format_line(line: _Line) -> tuple[str, list[str]]:
    chunks = list(line.chunks)
    if chunks and chunks[0][1]:
        chunks[0] = (escape_line_start(chunks[0][0].lstrip()), True)
    text = MANY_SPACES.sub(" ", "".join(chunk for chunk, _from_text in chunks)).strip()
    list_depth = sum(1 for marker in line.markers if marker in LIST_MARKERS)
    if list_depth:
        if not text:
            return "blank", []
        bullet = "1." if [m for m in line.markers if m in LIST_MARKERS][-1] == "#" else "-"
        return "list", ["    " * (list_depth - 1) + f"{bullet} {text}"]
    if line.markers.startswith(";"):
        end = len(chunks) if line.term_end is None else line.term_end
        term = "".join(chunk for chunk, _ in chunks[:end]).strip()
        definition = "".join(chunk for chunk, _ in chunks[end:]).strip()
        text = (f"**{term}**" if term else "") + (f" : {definition}" if definition else "")
        return ("block", [text.strip()]) if text.strip() else ("blank", [])
    if not text:
        return "blank", []
    return ("block" if line.markers else "para"), [text]


def escape_line_start(text: str) -> str:
    """Escape what would start a Markdown block: `#`, `>`, `+ `, `1. `, setext underlines."""
    match = LINE_START.match(text)
    if not match:
        return text
    position = match.start("dot") if match.group("dot") else match.start("mark")
    return text[:position] + "\\" + text[position:]


def code_block(text: str) -> tuple[str, list[str]]:
    text = text.strip("\n")
    if not text.strip():
        return "blank", []
    fence = "~~~" if "```" in text else "```"
    return "block", [fence, *text.split("\n"), fence]
