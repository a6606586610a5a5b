"""What changed between two versions of a fiche: word diffs of texts, diffs of lists, per field."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import (
    get_all_child_relations,
)
from wagtail.models import COMMENTS_RELATION_NAME, Page

from commons.history.restore import self_references


@dataclass(frozen=True)
class FieldChange:
    """A field that differs between two versions, with its French label and its rendered diff."""

    name: str
    label: str
    diff: SafeString
    whitespace_only: bool = False
    multiline: bool = False  # long text (Markdown source…) whose line breaks are kept on display


# --- Diffs -----------------------------------------------------------------------------------

# A word keeps its inner hyphens, apostrophes and separators ("demi-journée", "l'animation",
# "1.2"); other punctuation and whitespace are tokens of their own.
_TOKENS = re.compile(r"\s+|\w+(?:[-'’.,/:]\w+)*|[^\w\s]+")


def _tokens(text: str) -> list[str]:
    """Words, runs of punctuation and runs of whitespace, in order."""
    return _TOKENS.findall(text or "")


def diff_segments(old: str, new: str) -> list[tuple[str, str]]:
    """A word-level diff as ("equal" | "delete" | "insert", text) segments.

    Whitespace is compared loosely (a line break equals a space), and changes separated only by
    whitespace are grouped, so that "a b" → "c d" reads as one deletion and one insertion.
    """
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    matcher = SequenceMatcher(
        None,
        [" " if token.isspace() else token for token in old_tokens],
        [" " if token.isspace() else token for token in new_tokens],
        autojunk=False,
    )
    raw = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            raw.append(("equal", "".join(new_tokens[j1:j2])))
            continue
        if i2 > i1:
            raw.append(("delete", "".join(old_tokens[i1:i2])))
        if j2 > j1:
            raw.append(("insert", "".join(new_tokens[j1:j2])))
    return _group_changes(raw)


def _group_changes(raw: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Merge changes separated only by whitespace into one deletion followed by one insertion."""
    segments: list[tuple[str, str]] = []
    block: list[tuple[str, str]] = []

    def flush():
        for kind in ("delete", "insert"):
            parts = [(k, text) for k, text in block if k in (kind, "glue")]
            while parts and parts[0][0] == "glue":
                parts.pop(0)
            while parts and parts[-1][0] == "glue":
                parts.pop()
            if parts:
                segments.append((kind, "".join(text for _kind, text in parts)))
        block.clear()

    for index, (kind, text) in enumerate(raw):
        if kind != "equal":
            block.append((kind, text))
        elif block and text.isspace() and index + 1 < len(raw) and raw[index + 1][0] != "equal":
            block.append(("glue", text))
        else:
            flush()
            segments.append((kind, text))
    flush()
    return segments


def _render_segment(kind: str, text: str) -> SafeString:
    if kind == "delete":
        return format_html(
            '<del class="diff-del"><span class="visually-hidden">{}</span>{}</del>',
            _("[supprimé :]"),
            text,
        )
    if kind == "insert":
        return format_html(
            '<ins class="diff-ins"><span class="visually-hidden">{}</span>{}</ins>', _("[ajouté :]"), text
        )
    return escape(text)


def render_segments(segments: Iterable[tuple[str, str]]) -> SafeString:
    """Diff segments as escaped HTML, with <del>/<ins> labelled for screen readers."""
    return format_html_join("", "{}", ((_render_segment(kind, text),) for kind, text in segments))


def word_diff(old: str, new: str) -> SafeString:
    """The word-level diff of two texts as escaped HTML, with <del>/<ins> labelled for screen readers."""
    return render_segments(diff_segments(old, new))


def list_diff(old_items: Sequence[str], new_items: Sequence[str]) -> SafeString:
    """The diff of two lists of labels (taxonomy terms, inline items) as an HTML list."""
    matcher = SequenceMatcher(None, list(old_items), list(new_items), autojunk=False)
    items = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            items.extend(("equal", label) for label in new_items[j1:j2])
            continue
        items.extend(("delete", label) for label in old_items[i1:i2])
        items.extend(("insert", label) for label in new_items[j1:j2])
    return format_html(
        '<ul class="diff-list">{}</ul>',
        format_html_join("", "<li>{}</li>", ((_render_segment(kind, label),) for kind, label in items)),
    )


def _text_change(name, label, old: str, new: str, multiline: bool = False) -> FieldChange | None:
    old, new = old or "", new or ""
    if old == new:
        return None
    segments = diff_segments(old, new)
    return FieldChange(
        name=name,
        label=capfirst(label),
        diff=render_segments(segments),
        whitespace_only=all(kind == "equal" for kind, _text in segments),
        multiline=multiline,
    )


def _list_change(name, label, old_items: Sequence[str], new_items: Sequence[str]) -> FieldChange | None:
    if list(old_items) == list(new_items):
        return None
    return FieldChange(name=name, label=capfirst(label), diff=list_diff(old_items, new_items))


# Fields that are not the fiche's content, or that each revision has its own of.
_NOT_COMPARED = {"title", "summary", "body", "change_note"}


def fact_fields(model) -> list:
    """The scalar fields a fiche type adds to Page (duration, version, population, licence…)."""

    page_fields = {field.name for field in Page._meta.get_fields()}
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable
        and not field.is_relation
        and field.name not in page_fields
        and field.name not in _NOT_COMPARED
    ]


def _display(field, value) -> str:
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def taxonomy_fields(model) -> list:
    """The many-to-many relations of a fiche type (questions, défis, phases…), then its tags."""
    fields = [field for field in model._meta.get_fields() if isinstance(field, ParentalManyToManyField)]
    if has_field(model, "tags"):
        fields.append(model._meta.get_field("tags"))
    return fields


def _term_labels(field, pages) -> list[list[str]]:
    """The terms of each page for one relation, sorted; nested terms (thèmes) read with their parent.

    Parents that restored versions already hold are not read again; the others in one query.
    """
    terms_by_page = [list(getattr(page, field.name).all()) for page in pages]
    terms = [term for page_terms in terms_by_page for term in page_terms]
    for key in self_references(field.related_model):
        missing = {getattr(t, key.attname) for t in terms if not key.is_cached(t)} - {None}
        parents = field.related_model._base_manager.in_bulk(missing) if missing else {}
        for term in terms:
            if not key.is_cached(term) and getattr(term, key.attname) in parents:
                key.set_cached_value(term, parents[getattr(term, key.attname)])
    return [sorted((str(term) for term in page_terms), key=str.casefold) for page_terms in terms_by_page]


def _inline_relations(model) -> list:
    skip = {"tagged_items", COMMENTS_RELATION_NAME}
    return [rel for rel in get_all_child_relations(model) if rel.get_accessor_name() not in skip]


def _inline_labels(relation, pages) -> list[list[str]]:
    """Each inline item (a tool's file, a method used on a territory) as one line of text.

    Foreign keys that restored versions already hold are not read again; the others in one
    query per field for both versions together.
    """
    model = relation.related_model
    fields = [
        field
        for field in model._meta.concrete_fields
        if field.editable
        and not field.primary_key
        and field.name != "sort_order"
        and field.name != relation.field.name
    ]
    items_by_page = [list(getattr(page, relation.get_accessor_name()).all()) for page in pages]
    targets = {}
    for field in fields:
        if field.is_relation:
            items = [item for page_items in items_by_page for item in page_items]
            ids = {getattr(item, field.attname) for item in items if not field.is_cached(item)} - {None}
            targets[field.name] = field.related_model._base_manager.in_bulk(ids) if ids else {}
            targets[field.name].update(
                (getattr(item, field.attname), getattr(item, field.name))
                for item in items
                if field.is_cached(item) and getattr(item, field.name) is not None
            )
    labels = []
    for items in items_by_page:
        lines = []
        for item in items:
            parts = []
            for field in fields:
                if field.is_relation:
                    target = targets[field.name].get(getattr(item, field.attname))
                    parts.append(str(target) if target is not None else "")
                else:
                    parts.append(_display(field, getattr(item, field.attname)))
            lines.append(" — ".join(part for part in parts if part))
        labels.append(lines)
    return labels


def field_changes(old_page, new_page) -> list[FieldChange]:
    """Every field that differs between two versions of a fiche, in reading order.

    Title, summary and the Markdown source of the body, then the fiche type's facts, its
    taxonomy (read from the versions' in-memory relations), and its inline items.
    """
    model = type(new_page)
    changes = [
        _text_change("title", _("titre"), old_page.title, new_page.title),
        _text_change(
            "summary", model._meta.get_field("summary").verbose_name, old_page.summary, new_page.summary
        ),
        _text_change(
            "body", model._meta.get_field("body").verbose_name, old_page.body, new_page.body, multiline=True
        ),
    ]
    for field in fact_fields(model):
        old_value, new_value = field.value_from_object(old_page), field.value_from_object(new_page)
        if old_value != new_value:
            old_text, new_text = _display(field, old_value), _display(field, new_value)
            multiline = isinstance(field, models.TextField)
            changes.append(_text_change(field.name, field.verbose_name, old_text, new_text, multiline))
    for field in taxonomy_fields(model):
        old_terms, new_terms = _term_labels(field, [old_page, new_page])
        changes.append(_list_change(field.name, field.verbose_name, old_terms, new_terms))
    for relation in _inline_relations(model):
        old_lines, new_lines = _inline_labels(relation, [old_page, new_page])
        changes.append(
            _list_change(
                relation.get_accessor_name(),
                relation.related_model._meta.verbose_name_plural,
                old_lines,
                new_lines,
            )
        )
    return [change for change in changes if change is not None]


def has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True
