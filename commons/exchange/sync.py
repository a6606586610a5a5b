"""Turn one validated fiche file into a published page, publishing only when something changed."""

from decimal import Decimal
from pathlib import Path

from commons.models import Association, Defi, Phase, Question, Theme

COORDINATE_STEP = Decimal("0.00001")
SCALARS = {
    "common": {"title": "", "summary": "", "license": "CC-BY-SA-4.0", "credits": ""},
    "methods": {
        "audience": "tous", "group_size_min": None, "group_size_max": None, "duration": "",
        "duration_detail": "", "difficulty": "", "cost": "", "materials": "",
    },
    "tools": {"version": "1.0", "changelog": ""},
    "territories": {
        "kind": "commune", "insee_code": "", "departement": "", "region": "", "population": None,
        "population_year": None, "latitude": None, "longitude": None, "period": "",
    },
}  # fmt: skip
KIND_OF_MODEL = {"methodpage": "methods", "toolpage": "tools", "territorypage": "territories"}
RELATIONS = {
    "common": {"questions": Question, "defis": Defi, "themes": Theme, "associations": Association},
    "methods": {"phases": Phase, "tools": "methods.ToolPage"},
    "tools": {},
    "territories": {"accompanying_associations": Association},
}


def page_models(kind: str):
    from methods.models import MethodIndexPage, MethodPage, ToolIndexPage, ToolPage
    from territories.models import TerritoryIndexPage, TerritoryPage

    return {
        "methods": (MethodPage, MethodIndexPage),
        "tools": (ToolPage, ToolIndexPage),
        "territories": (TerritoryPage, TerritoryIndexPage),
    }[kind]


def sync_fiche(home, fiche, directory: Path, report, force: bool = False) -> None:
    """Create, update or leave alone the page of `fiche` under its index page."""
    model, index_model = page_models(fiche.kind)
    parent = index_model.objects.child_of(home).get()
    page = model.objects.child_of(parent).filter(slug=fiche.slug).first()
    desired = desired_state(fiche, directory)
    label = f"{fiche.kind}/{fiche.slug}"
    if page is None:
        page = model(slug=fiche.slug)
        assign_state(page, desired)
        parent.add_child(instance=page)
        page.save_revision().publish()
        report.created.append(label)
    elif edited_in_admin(page) and not force:
        report.skipped.append(label)
    elif edited_in_admin(page) or current_state(page) != desired:
        # With --force, even a page whose only change is an admin draft goes back to the file.
        assign_state(page, desired)
        page.save_revision().publish()
        report.updated.append(label)


def edited_in_admin(page) -> bool:
    """A page someone edited since the loader last published it (the loader saves with no user)."""
    revision = page.latest_revision
    return page.has_unpublished_changes or (revision is not None and revision.user_id is not None)


def kind_keys(kind: str, table: dict) -> dict:
    return {**table["common"], **table[kind]}


def normalize(key: str, value):
    if key in {"latitude", "longitude"} and value is not None:
        return Decimal(str(value)).quantize(COORDINATE_STEP)
    if isinstance(value, str):
        return value.strip()
    return value


def desired_state(fiche, directory: Path) -> dict:
    """The page state the file describes, in the shape `current_state` reads from a page."""
    meta = fiche.meta
    state = {"body": fiche.body.strip()}
    for key, default in kind_keys(fiche.kind, SCALARS).items():
        value = meta.get(key)
        state[key] = normalize(key, default if value is None or value == "" else value)
        if isinstance(state[key], int | float) and isinstance(default, str):
            state[key] = str(state[key])
    for key in kind_keys(fiche.kind, RELATIONS):
        state[key] = tuple(sorted(meta.get(key) or []))
    state["tags"] = tuple(sorted({tag.strip().lower() for tag in meta.get("tags") or []}))
    if fiche.kind == "tools":
        state["files"] = tool_files(meta, fiche.path.parent)
    if fiche.kind == "territories":
        state["method_uses"] = tuple(
            (use["method"], str(use.get("how_it_went") or "").strip())
            for use in meta.get("methods_used") or []
        )
    return state


def tool_files(meta: dict, tools_directory: Path) -> tuple:
    from commons.exchange.loader import document_for

    files = []
    for entry in meta.get("files") or []:
        title = str(entry.get("title") or "").strip()
        files.append((document_for(tools_directory / entry["path"], title).pk, title))
    return tuple(files)


def current_state(page) -> dict:
    kind = KIND_OF_MODEL[page._meta.model_name]
    state = {"body": page.body.strip()}
    for key in kind_keys(kind, SCALARS):
        state[key] = normalize(key, getattr(page, key))
    for key in kind_keys(kind, RELATIONS):
        state[key] = tuple(sorted(getattr(page, key).values_list("slug", flat=True)))
    state["tags"] = tuple(sorted({tag.name.lower() for tag in page.tags.all()}))
    if kind == "tools":
        state["files"] = tuple((item.document_id, item.title) for item in page.files.all())
    if kind == "territories":
        state["method_uses"] = tuple(
            (use.method.slug, use.how_it_went.strip()) for use in page.method_uses.all()
        )
    return state


def assign_state(page, state: dict) -> None:
    """Set every field of `page` from `state` (in memory; the caller saves a revision)."""
    from django.apps import apps

    from methods.models import MethodPage, ToolFile
    from territories.models import MethodUse

    kind = KIND_OF_MODEL[page._meta.model_name]
    page.body = state["body"]
    for key in kind_keys(kind, SCALARS):
        setattr(page, key, state[key])
    for key, model in kind_keys(kind, RELATIONS).items():
        model = apps.get_model(model) if isinstance(model, str) else model
        getattr(page, key).set(list(model.objects.filter(slug__in=state[key])))
    page.tags.set(list(state["tags"]))
    if kind == "tools":
        page.files = [ToolFile(document_id=doc_id, title=title) for doc_id, title in state["files"]]
    if kind == "territories":
        slugs = [slug for slug, _text in state["method_uses"]]
        methods = {method.slug: method for method in MethodPage.objects.filter(slug__in=slugs)}
        page.method_uses = [
            MethodUse(method=methods[slug], how_it_went=text) for slug, text in state["method_uses"]
        ]
