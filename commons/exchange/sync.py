"""Turn one validated fiche file into a published page, publishing only when something changed.

A page's state is compared with the file's in one shape (`desired_state`, `current_state`): the
scalars, the lists of slugs, the tags and the type's extras, as its `ExchangeFields` declare them.
"""

from decimal import Decimal

from django.apps import apps

from commons import fiche_types
from commons.exchange.fields import SHARED

COORDINATE_STEP = Decimal("0.00001")
# What each relation's slugs name, besides fiches of a registered kind.
RELATED_MODELS = {
    "questions": "commons.Question",
    "phases": "commons.Phase",
    "defis": "commons.Defi",
    "themes": "commons.Theme",
    "associations": "commons.Association",
}


def sync_fiche(home, fiche, fiche_type, report, force: bool = False, change_note: str = "") -> None:
    """Create, update or leave alone the page of `fiche` under its index page."""
    model, index_model = fiche_type.model, fiche_type.index_model
    parent = index_model.objects.child_of(home).get()
    page = model.objects.child_of(parent).filter(slug=fiche.slug).first()
    desired = desired_state(fiche, fiche_type.exchange)
    label = f"{fiche.kind}/{fiche.slug}"
    if page is None:
        page = model(slug=fiche.slug, change_note=change_note)
        assign_state(page, desired, fiche_type.exchange)
        parent.add_child(instance=page)
        page.save_revision().publish()
        report.created.append(label)
    elif edited_in_admin(page) and not force:
        report.skipped.append(label)
    elif edited_in_admin(page) or current_state(page, fiche_type.exchange) != desired:
        # With --force, even a page whose only change is an admin draft goes back to the file.
        assign_state(page, desired, fiche_type.exchange)
        page.change_note = change_note
        page.save_revision().publish()
        report.updated.append(label)


def edited_in_admin(page) -> bool:
    """A page someone edited since the loader last published it (the loader saves with no user)."""
    revision = page.latest_revision
    return page.has_unpublished_changes or (revision is not None and revision.user_id is not None)


def scalars(fields) -> dict:
    return {**SHARED.scalars, **fields.scalars}


def relations(fields) -> dict:
    return {**SHARED.relations, **fields.relations}


def related_model(kind: str):
    label = RELATED_MODELS.get(kind) or fiche_types.fiche_type(kind).model_label
    return apps.get_model(label)


def normalize(key: str, value):
    if key in {"latitude", "longitude"} and value is not None:
        return Decimal(str(value)).quantize(COORDINATE_STEP)
    if isinstance(value, str):
        return value.strip()
    return value


def desired_state(fiche, fields) -> dict:
    """The page state the file describes, in the shape `current_state` reads from a page."""
    meta = fiche.meta
    state = {"body": fiche.body.strip()}
    for key, default in scalars(fields).items():
        value = meta.get(key)
        state[key] = normalize(key, default if value is None or value == "" else value)
        if isinstance(state[key], int | float) and isinstance(default, str):
            state[key] = str(state[key])
    for key in relations(fields):
        state[key] = tuple(sorted(meta.get(key) or []))
    state["tags"] = tuple(sorted({tag.strip().lower() for tag in meta.get("tags") or []}))
    for extra in fields.extras:
        state[extra.key] = extra.desired(fiche)
    return state


def current_state(page, fields) -> dict:
    state = {"body": page.body.strip()}
    for key in scalars(fields):
        state[key] = normalize(key, getattr(page, key))
    for key in relations(fields):
        state[key] = tuple(sorted(getattr(page, key).values_list("slug", flat=True)))
    state["tags"] = tuple(sorted({tag.name.lower() for tag in page.tags.all()}))
    for extra in fields.extras:
        state[extra.key] = extra.current(page)
    return state


def assign_state(page, state: dict, fields) -> None:
    """Set every field of `page` from `state` (in memory; the caller saves a revision)."""
    page.body = state["body"]
    for key in scalars(fields):
        setattr(page, key, state[key])
    for key, kind in relations(fields).items():
        getattr(page, key).set(list(related_model(kind).objects.filter(slug__in=state[key])))
    page.tags.set(list(state["tags"]))
    for extra in fields.extras:
        extra.assign(page, state[extra.key])
