"""The registry of fiche types: all the core knows of the apps built on it.

Each app registers its page types in its `AppConfig.ready()`: the model, its section (the index
page under the home page), its fields in the exchange format (`commons.exchange`), its key in the
browse index (`commons.speed.bitmaps`) and its admin listing; the facets of `/methodes/` and the
lists one app adds to another's pages (a method shows the territories where it was used) are
registered the same way. The site tree, the loader, search, the home page, the association pages
and the admin hooks loop over this registry: the core never imports an app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps


@dataclass(frozen=True)
class Section:
    """The index page of a type, right under the home page."""

    index_label: str  # "methods.MethodIndexPage"
    slug: str
    title: str


@dataclass(frozen=True)
class AdminListing:
    """The type's entry in the admin's "Fiches" menu."""

    name: str
    label: str
    icon: str


@dataclass(frozen=True)
class FicheType:
    """One kind of fiche, as the apps describe it to the core."""

    kind: str  # "methods": its folder in the exchange format, its name in lists and contexts
    model_label: str  # "methods.MethodPage"
    section: Section
    listing: AdminListing
    exchange: object  # a `commons.exchange.ExchangeFields`
    browse_key: str = ""  # its value of the "type" facet of `/methodes/`; "" when not browsed there
    association_relation: str = "associations"  # how an association page finds the type's fiches
    answers_questions: bool = False  # the type the question pages count and list

    @property
    def model(self):
        return apps.get_model(self.model_label)

    @property
    def index_model(self):
        return apps.get_model(self.section.index_label)


@dataclass(frozen=True)
class Collection:
    """Content an app keeps in one YAML file of the exchange directory (a list of entries), such
    as the commons' roadmap: optional, validated with the fiches, applied after them."""

    name: str  # the file is `<name>.yaml`
    validate: Callable  # (entries, known slugs by kind, file name, problems)
    apply: Callable  # (entries, report)
    export: Callable | None = None  # () -> the entries, as the file holds them (export_commons)


@dataclass
class Registry:
    types: dict[str, FicheType] = field(default_factory=dict)
    facets: list = field(default_factory=list)
    # model label -> {list name: build(page_id) -> queryset of `listing.linkable` fiches}
    linked_lists: dict[str, dict[str, Callable]] = field(default_factory=dict)
    collections: dict[str, Collection] = field(default_factory=dict)


_registry = Registry()


def register(fiche_type: FicheType) -> None:
    """Called from an app's `ready()`; registering a kind twice replaces it (tests, reloads)."""
    _registry.types[fiche_type.kind] = fiche_type


def register_facets(facets: list) -> None:
    """The facets of the browse index and of `/methodes/`, in display order."""
    _registry.facets[:] = facets


def register_linked_list(model_label: str, name: str, build: Callable) -> None:
    """A list an app adds to the pages of another app's type, read with the page's own lists."""
    _registry.linked_lists.setdefault(model_label, {})[name] = build


def register_collection(collection: Collection) -> None:
    _registry.collections[collection.name] = collection


def collections() -> list[Collection]:
    return list(_registry.collections.values())


def fiche_types() -> list[FicheType]:
    """Every registered type, in registration order (the order of the sections)."""
    return list(_registry.types.values())


def kinds() -> set[str]:
    return set(_registry.types)


def fiche_type(kind: str) -> FicheType:
    return _registry.types[kind]


def type_of_model(model) -> FicheType | None:
    label = model._meta.label
    return next((t for t in _registry.types.values() if t.model_label == label), None)


def fiche_models() -> tuple:
    return tuple(fiche_type.model for fiche_type in fiche_types())


def browsed_types() -> list[FicheType]:
    """The types listed by the browse index, each with its key."""
    return [fiche_type for fiche_type in fiche_types() if fiche_type.browse_key]


def question_type() -> FicheType | None:
    """The type whose fiches answer the questions (counted on the home and question pages)."""
    return next((t for t in fiche_types() if t.answers_questions), None)


def facets() -> list:
    return _registry.facets


def linked_lists_of(model) -> dict[str, Callable]:
    return _registry.linked_lists.get(model._meta.label, {})


__all__ = [
    "AdminListing",
    "Collection",
    "FicheType",
    "Section",
    "browsed_types",
    "collections",
    "facets",
    "fiche_models",
    "fiche_type",
    "fiche_types",
    "linked_lists_of",
    "register_collection",
    "question_type",
    "register",
    "register_facets",
    "register_linked_list",
    "type_of_model",
]
