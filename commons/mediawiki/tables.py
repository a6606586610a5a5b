"""Wikitext tables (`{| … |}`) -> Markdown tables.

Markdown tables need a header row: the wiki table's first row is used as one, whatever its cells
are. Cells are one line each (`<br>` for the wiki's line breaks) and `|` is escaped.
"""

from __future__ import annotations

import mwparserfromhell
from mwparserfromhell.nodes import Tag
from mwparserfromhell.wikicode import Wikicode

from commons.mediawiki.inline import CELL, InlineRenderer

CELL_TAGS = {"td", "th"}


def table_rows(table: Tag) -> tuple[Wikicode | None, list[list[Tag]]]:
    """The caption (or None) and the rows of cells of a table.

    Cells written right after `{|`, before any `|-`, form an implicit first row.
    """
    caption, rows, loose = None, [], []
    for node in table.contents.nodes:
        if not isinstance(node, Tag):
            continue
        name = str(node.tag).lower()
        if name == "caption":
            caption = node.contents
        elif is_cell(node) and not rows and not loose and str(node.contents).lstrip().startswith("+"):
            # mwparserfromhell reads a caption (`|+ …`) as a cell whose text starts with "+".
            caption = mwparserfromhell.parse(str(node.contents).lstrip()[1:])
        elif is_cell(node):
            loose.append(node)
        elif name == "tr":
            if loose:
                rows.append(loose)
                loose = []
            rows.append([cell for cell in node.contents.nodes if is_cell(cell)])
    if loose:
        rows.append(loose)
    return caption, [row for row in rows if row]


def is_cell(node) -> bool:
    return isinstance(node, Tag) and str(node.tag).lower() in CELL_TAGS


def markdown_table(table: Tag, renderer: InlineRenderer) -> list[str]:
    """The lines of the Markdown table (and its caption, in bold, above it)."""
    caption, rows = table_rows(table)
    if not rows:
        return []
    cells = [[cell_text(cell, renderer) for cell in row] for row in rows]
    width = max(len(row) for row in cells)
    cells = [row + [""] * (width - len(row)) for row in cells]
    lines = []
    if caption is not None:
        title = renderer.render(caption, CELL).strip()
        if title:
            lines += [f"**{title}**", ""]
    lines.append(table_line(cells[0]))
    lines.append(table_line(["---"] * width))
    lines.extend(table_line(row) for row in cells[1:])
    return lines


def cell_text(cell: Tag, renderer: InlineRenderer) -> str:
    text = renderer.render(cell.contents, CELL)
    return " ".join(text.split())


def table_line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
