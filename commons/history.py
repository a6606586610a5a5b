"""Public version history of fiches: published revisions, their authors' associations, and diffs.

Only revisions that were actually published count as versions. Wagtail records each publication
as a `PageLogEntry` ("wagtail.publish", or "wagtail.publish.scheduled" when a scheduled
publication goes live) pointing at the published revision; drafts, revisions in review and
rejected ones have no such entry, so they never reach the public. The number of a version (in
`<fiche>/historique/<n>/`) is the primary key of its revision.

Every function reads a page's whole history in a fixed number of queries: the revisions with
their publication dates (and the content of the versions shown) in one, the associations of all
their authors in another. A version is restored from its revision's content without Wagtail's
`as_object()`, which reads each relation and checks each key with a query of its own: everything
the content points to (taxonomy terms, associations, tools, tags, files, methods) is read in one
query for all the versions shown.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import JSONArray
from django.http import Http404
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import (
    get_all_child_m2m_relations,
    get_all_child_relations,
    model_from_serializable_data,
)
from wagtail.models import COMMENTS_RELATION_NAME, Page, PageLogEntry, Revision

from commons.models.association import Association
from commons.speed.prepared import prepared

PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")
# Revision primary keys are 32-bit integers: a larger number can only be a 404, and must not
# reach the database (PostgreSQL raises an error for out-of-range integers).
MAX_VERSION_NUMBER = 2**31 - 1


@dataclass(frozen=True)
class PublishedVersion:
    """A revision of a fiche that was published, when it was, and who wrote it."""

    revision: Revision
    published_at: datetime
    associations: tuple[Association, ...] = ()
    # Every published version of the page, newest first, read in the same query as this one: the
    # version page credits and links them without reading them again.
    history: Sequence[PublishedVersion] = dataclasses.field(default=(), repr=False, compare=False)

    @property
    def number(self) -> int:
        return self.revision.pk

    @property
    def author_id(self) -> int | None:
        return self.revision.user_id

    @property
    def change_note(self) -> str:
        """The "Résumé de la modification" saved with this revision."""
        return self.revision.change_note_text or ""

    @property
    def tool_version(self) -> str:
        """The `version` field of a tool in this revision ("" for other fiches)."""
        return self.revision.tool_version or ""


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the public history: a version, its address and the diff with the previous one."""

    version: PublishedVersion
    url: str
    diff_url: str
    is_current: bool


@dataclass(frozen=True)
class FieldChange:
    """A field that differs between two versions, with its French label and its rendered diff."""

    name: str
    label: str
    diff: SafeString
    whitespace_only: bool = False
    multiline: bool = False  # long text (Markdown source…) whose line breaks are kept on display


# --- Published versions ---------------------------------------------------------------------


def _published_revisions_queryset(page):
    """Revisions of `page` that a publication log entry points to, newest publication first.

    `published_at` is the latest publication of each revision. A revision whose content was
    overwritten after it was published (Wagtail's autosave may overwrite the latest revision in
    place) is left out: its stored content is no longer what the public saw.
    """
    publications = PageLogEntry.objects.filter(
        page_id=page.pk, action__in=PUBLISH_ACTIONS, revision_id=OuterRef("pk")
    ).order_by("-timestamp")
    return (
        Revision.page_revisions.filter(object_id=str(page.pk))
        .annotate(published_at=Subquery(publications.values("timestamp")[:1]))
        .filter(published_at__isnull=False, created_at__lte=F("published_at"))
        .annotate(change_note_text=KT("content__change_note"), tool_version=KT("content__version"))
        .order_by("-published_at", "-pk")
    )


def associations_by_author(user_ids: Iterable[int | None]) -> dict[int, list[Association]]:
    """The associations of each user, as `Association.objects.of_user` gives them, in one query.

    A user belongs to an association through its editors' group; the result keeps the
    associations' usual order (`sort_order`, then name).
    """
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    memberships = (
        get_user_model()
        .groups.through.objects.filter(user_id__in=ids, group__association__isnull=False)
        .select_related("group__association")
        .order_by("group__association__sort_order", "group__association__name", "group__association__pk")
    )
    by_user: dict[int, list[Association]] = defaultdict(list)
    for membership in memberships:
        by_user[membership.user_id].append(membership.group.association)
    return dict(by_user)


def _versions(revisions: Sequence[Revision]) -> list[PublishedVersion]:
    associations = associations_by_author(revision.user_id for revision in revisions)
    versions: list[PublishedVersion] = []
    versions.extend(
        PublishedVersion(
            revision=revision,
            published_at=revision.published_at,
            associations=tuple(associations.get(revision.user_id, ())),
            history=versions,
        )
        for revision in revisions
    )
    return versions


def published_revisions(page) -> list[PublishedVersion]:
    """Every published version of `page`, newest first (two queries, whatever their number).

    The revisions' content is not loaded: the list only needs the change note and the tool
    version, read from the JSON by the database.
    """
    if page.pk is None:
        return []
    query = prepared(
        ("published-revisions",),
        lambda page_id: _published_revisions_queryset(Page(pk=page_id)).defer("content"),
    )
    return _versions(query.objects(page.pk))


def published_revisions_or_404(page, numbers: Sequence[int]) -> list[PublishedVersion]:
    """The published versions `numbers` of `page`, in that order, with their content (two queries).

    Every other published version is read in the same query, without its content, as the
    versions' `history`. Drafts, revisions in review or rejected, revisions of another page and
    numbers that do not exist are all "not found", so that nothing tells them apart.
    """
    if page.pk is None or not all(0 < number <= MAX_VERSION_NUMBER for number in numbers):
        raise Http404
    wanted = set(numbers)
    revisions = list(
        _published_revisions_queryset(page)
        .defer("content")
        .annotate(
            wanted_content=Case(
                When(pk__in=wanted, then=F("content")), default=Value(None), output_field=models.JSONField()
            )
        )
    )
    for revision in revisions:
        if revision.pk in wanted:
            revision.content = revision.wanted_content
    found = {version.number: version for version in _versions(revisions)}
    if not wanted <= found.keys():
        raise Http404
    return [found[number] for number in numbers]


def published_revision_or_404(page, number: int) -> PublishedVersion:
    """The published version `number` of `page`, with its content; 404 for anything else."""
    return published_revisions_or_404(page, [number])[0]


def versions_up_to(versions: Sequence[PublishedVersion], version: PublishedVersion | None):
    """The versions published up to `version` included (all of them when it is None)."""
    if version is None:
        return list(versions)
    for index, candidate in enumerate(versions):
        if candidate.number == version.number:
            return list(versions[index:])
    return [version]


def contributor_associations(
    page, versions: Sequence[PublishedVersion] | None = None, own: Sequence[Association] | None = None
) -> list[Association]:
    """Who to credit: the fiche's `associations` plus those of the authors of its published versions.

    Deduplicated and in the associations' usual order, so the credit line is stable. `versions`
    defaults to every published version of the page; `own` to the page's `associations` field.
    """
    if versions is None:
        versions = published_revisions(page)
    own = page.associations.all() if own is None else own
    unique = {association.pk: association for association in own}
    for version in versions:
        for association in version.associations:
            unique.setdefault(association.pk, association)
    return sorted(unique.values(), key=lambda a: (a.sort_order, a.name.casefold(), a.pk))


def restore_version(page, version: PublishedVersion):
    """The fiche as it was in `version`, ready to render with the fiche's own template."""
    return restore_versions(page, [version])[0]


def restore_versions(page, versions: Sequence[PublishedVersion]) -> list:
    """The fiche as it was in each of `versions`, in one query whatever their relations.

    Built like Wagtail's `with_content_json` (`revision.as_object()`) from the live page we
    already hold: the fields that belong to the page as a whole rather than to a revision (tree
    position, locale, owner, lock, live state) are the live page's. Its publication date is the
    version's, and it keeps the fiche's current address even if its slug has changed since.
    Like modelcluster's own check, a related object deleted since is left out (an inline item's
    key is emptied when it is SET_NULL), so an old version never fails to render.
    """
    model = type(page)
    contents = [version.revision.content for version in versions]
    targets = _load_targets(_referenced_ids(model, contents))
    restored = []
    for version, content in zip(versions, contents, strict=True):
        obj = _restore_page(page, content, targets)
        obj.live_revision_id = page.live_revision_id
        obj.last_published_at = version.published_at
        restored.append(obj)
    return restored


# Kept from the live page by Wagtail's `Page.with_content_json`.
_PAGE_WIDE_FIELDS = (
    "content_type_id",
    "path",
    "depth",
    "numchild",
    "url_path",
    "draft_title",
    "live",
    "has_unpublished_changes",
    "owner_id",
    "locked",
    "locked_by_id",
    "locked_at",
    "latest_revision_id",
    "latest_revision_created_at",
    "translation_key",
    "locale_id",
    "alias_of_id",
)


def _child_relations(model) -> list:
    """Inline relations stored in a revision (tags, files, method uses), without comments."""
    relations = get_all_child_relations(model)
    return [rel for rel in relations if rel.get_accessor_name() != COMMENTS_RELATION_NAME]


def _foreign_keys(child_model, relation) -> list:
    """The foreign keys of an inline model other than the one to its page."""
    return [
        field
        for field in child_model._meta.concrete_fields
        if field.many_to_one and field.name != relation.field.name
    ]


def _referenced_ids(model, contents: Iterable[dict]) -> dict[type[models.Model], set]:
    """What the revisions' content points to, by model: many-to-many terms, inline items' keys."""
    ids: dict[type[models.Model], set] = defaultdict(set)
    m2m_fields = get_all_child_m2m_relations(model)
    relations = _child_relations(model)
    for content in contents:
        for m2m in m2m_fields:
            ids[m2m.related_model].update(content.get(m2m.name) or ())
        for relation in relations:
            keys = _foreign_keys(relation.related_model, relation)
            for item in content.get(relation.get_accessor_name()) or ():
                for key in keys:
                    if item.get(key.name) is not None:
                        ids[key.related_model].add(key.target_field.to_python(item[key.name]))
    return {target: pks for target, pks in ids.items() if pks}


# Column types that a JSON array brings back as they are stored; the others (dates, decimals…)
# are left deferred, read on access, and nothing the history shows reads them.
_UNSAFE_IN_JSON = {
    "DateTimeField",
    "DateField",
    "TimeField",
    "DurationField",
    "DecimalField",
    "JSONField",
    "BinaryField",
}
# PostgreSQL < 16 builds JSON arrays with a function of at most 100 arguments.
_MAX_JSON_COLUMNS = 100


def _json_safe_fields(model) -> list:
    fields = [f for f in model._meta.concrete_fields if f.get_internal_type() not in _UNSAFE_IN_JSON]
    return fields[:_MAX_JSON_COLUMNS]


def _self_references(model) -> list:
    """Foreign keys of a model to itself (a thème's parent, which its name includes)."""
    return [f for f in model._meta.concrete_fields if f.many_to_one and f.related_model is model]


def _load_targets(ids_by_model: dict) -> dict[type[models.Model], dict]:
    """The objects of every model in `ids_by_model`, by primary key, in one query.

    Each model is one branch of a UNION ALL whose rows are (branch, JSON array of the columns),
    so that different tables share one result. Objects that point to themselves (a thème and its
    parent) come with their target, attached, so that printing them reads nothing more.
    """
    models_and_fields = [(model, _json_safe_fields(model)) for model in ids_by_model]
    branches = []
    for index, (model, fields) in enumerate(models_and_fields):
        ids = ids_by_model[model]
        condition = Q(pk__in=ids)
        for key in _self_references(model):
            condition |= Q(pk__in=model._base_manager.filter(pk__in=ids).values(key.attname))
        branches.append(
            model._base_manager.filter(condition)
            .order_by()
            .values_list(Value(index), JSONArray(*(F(f.attname) for f in fields)))
        )
    if not branches:
        return {}
    rows = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    loaded: dict[type[models.Model], dict] = {model: {} for model, _fields in models_and_fields}
    for index, values in rows:
        model, fields = models_and_fields[index]
        obj = model.from_db(
            rows.db,
            [f.attname for f in fields],
            [f.to_python(value) for f, value in zip(fields, values, strict=True)],
        )
        loaded[model][obj.pk] = obj
    for model, objects in loaded.items():
        for key in _self_references(model):
            for obj in objects.values():
                target = objects.get(getattr(obj, key.attname))
                if target is not None:
                    key.set_cached_value(obj, target)
    return loaded


def _restore_page(page, content: dict, targets: dict):
    """One revision's content as a page object, its relations taken from `targets`."""
    model = type(page)
    m2m_fields = {m2m.name: m2m for m2m in get_all_child_m2m_relations(model)}
    relations = {rel.get_accessor_name(): rel for rel in _child_relations(model)}
    scalars = {
        name: value
        for name, value in content.items()
        if name not in m2m_fields and name not in relations and name != COMMENTS_RELATION_NAME
    }
    obj = model_from_serializable_data(model, scalars, check_fks=False)
    obj.pk = page.pk
    obj.id = page.id
    for name in _PAGE_WIDE_FIELDS:
        setattr(obj, name, getattr(page, name))
    if obj.first_published_at is None:
        obj.first_published_at = page.first_published_at
    setattr(obj, COMMENTS_RELATION_NAME, [])  # not public, and not the revision's own

    for name, m2m in m2m_fields.items():
        if name in content:
            found = targets.get(m2m.related_model, {})
            setattr(obj, name, [found[pk] for pk in content[name] or () if pk in found])
    for name, relation in relations.items():
        if name in content:
            setattr(obj, name, _restore_items(relation, content[name], targets))
    return obj


def _restore_items(relation, items_data: list[dict], targets: dict) -> list:
    """The inline items stored in a revision, with their foreign keys resolved from `targets`."""
    child_model = relation.related_model
    keys = _foreign_keys(child_model, relation)
    items = []
    for data in items_data:
        item = model_from_serializable_data(child_model, data, check_fks=False)
        for key in keys:
            target_id = getattr(item, key.attname)
            if target_id is None:
                continue
            target = targets.get(key.related_model, {}).get(target_id)
            if target is not None:
                setattr(item, key.name, target)
            elif key.remote_field.on_delete is models.SET_NULL:
                setattr(item, key.attname, None)
            else:
                break  # its target was deleted: so is the item
        else:
            items.append(item)
    return items


def ordered_pair(first: PublishedVersion, second: PublishedVersion):
    """The two versions as (older, newer), whatever order the URL gave them in."""
    return tuple(sorted((first, second), key=lambda v: (v.published_at, v.number)))


# --- Addresses and page contexts -------------------------------------------------------------


def history_url(page, base: str | None = None) -> str:
    """`<fiche>/historique/`; `base` is the fiche's URL when the caller already has it."""
    base = page.url if base is None else base
    return base + page.reverse_subpage("history") if base else ""


def version_url(page, number: int, base: str | None = None) -> str:
    """`<fiche>/historique/<n>/`, the permalink of version n."""
    base = page.url if base is None else base
    return base + page.reverse_subpage("history_version", args=[number]) if base else ""


def diff_url(page, older: int, newer: int, base: str | None = None) -> str:
    """`<fiche>/historique/<a>/<b>/`."""
    base = page.url if base is None else base
    return base + page.reverse_subpage("history_diff", args=[older, newer]) if base else ""


def history_entries(page, versions: Sequence[PublishedVersion]) -> list[HistoryEntry]:
    """The history list: each version with its address and the diff with the one before it."""
    base = page.url
    entries = []
    for index, version in enumerate(versions):
        older = versions[index + 1] if index + 1 < len(versions) else None
        entries.append(
            HistoryEntry(
                version=version,
                url=version_url(page, version.number, base),
                diff_url=diff_url(page, older.number, version.number, base) if older else "",
                is_current=version.number == page.live_revision_id,
            )
        )
    return entries


def history_page_context(page, request) -> dict:
    """`<fiche>/historique/`: the published versions, newest first."""
    return {
        "page": page,
        "self": page,
        "request": request,
        "entries": history_entries(page, published_revisions(page)),
        "show_tool_version": _has_field(type(page), "version"),
        "history_url": history_url(page),
    }


def diff_page_context(page, request, first: int, second: int) -> dict:
    """`<fiche>/historique/<a>/<b>/`: what changed from the older of two versions to the newer."""
    older, newer = ordered_pair(*published_revisions_or_404(page, [first, second]))
    same = older.number == newer.number
    changes = [] if same else field_changes(*restore_versions(page, [older, newer]))
    return {
        "page": page,
        "self": page,
        "request": request,
        "older": older,
        "newer": newer,
        "versions": [
            (_("Version la plus ancienne"), older, version_url(page, older.number)),
            (_("Version la plus récente"), newer, version_url(page, newer.number)),
        ],
        "changes": changes,
        "show_tool_version": _has_field(type(page), "version"),
        "history_url": history_url(page),
    }


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def citation_context(
    page, request, shown_version: PublishedVersion | None = None, associations: Sequence | None = None
) -> dict:
    """What the contributors list and "Comment citer" need for the version shown.

    On the fiche itself the version shown is the live one, dated by its last publication; on
    `historique/<n>/` it is version n. Contributors are those of the versions up to the shown one.
    The versions are read once: on `historique/<n>/` they came with version n.
    """
    if shown_version is not None and shown_version.history:
        versions = list(shown_version.history)
    else:
        versions = published_revisions(page)
    if getattr(request, "is_preview", False):
        cited, cite_date = None, page.last_published_at or page.latest_revision_created_at
    elif shown_version is None:
        cited = next((v for v in versions if v.number == page.live_revision_id), None)
        cite_date = page.last_published_at or page.latest_revision_created_at
    else:
        cited, cite_date = shown_version, shown_version.published_at
    base = page.url
    permalink = version_url(page, cited.number, base) if cited else ""
    live = next((v for v in versions if v.number == page.live_revision_id), None)
    compare_with_live = shown_version is not None and live is not None and live.number != shown_version.number
    return {
        "contributors": contributor_associations(page, versions_up_to(versions, cited), associations),
        "cited_version": cited,
        "cite_date": cite_date,
        "permalink": request.build_absolute_uri(permalink) if permalink else "",
        "history_url": history_url(page, base),
        "diff_with_live_url": diff_url(page, shown_version.number, live.number, base)
        if compare_with_live
        else "",
    }


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
    from wagtail.models import Page

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
    if _has_field(model, "tags"):
        fields.append(model._meta.get_field("tags"))
    return fields


def _term_labels(field, pages) -> list[list[str]]:
    """The terms of each page for one relation, sorted; nested terms (thèmes) read with their parent.

    Parents that restored versions already hold are not read again; the others in one query.
    """
    terms_by_page = [list(getattr(page, field.name).all()) for page in pages]
    terms = [term for page_terms in terms_by_page for term in page_terms]
    for key in _self_references(field.related_model):
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
