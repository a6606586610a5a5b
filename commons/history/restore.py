"""A fiche as it was in a published version, restored from its revision's content.

Without Wagtail's `as_object()`, which reads each relation and checks each key with a query of
its own: everything the contents point to is read in one query for all the versions shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import JSONArray

from modelcluster.models import (
    get_all_child_m2m_relations,
    get_all_child_relations,
    model_from_serializable_data,
)
from wagtail.models import COMMENTS_RELATION_NAME

from commons.history.versions import PublishedVersion


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


def self_references(model) -> list:
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
        for key in self_references(model):
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
        for key in self_references(model):
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
