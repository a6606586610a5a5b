"""Territories in the exchange format (`commons.exchange`): their own fields and checks."""

from commons.exchange import ExchangeFields, Extra
from commons.exchange.checks import (
    Problem,
    check_choice,
    check_coordinate,
    check_integer,
    check_text,
    check_texts,
    entries_of,
)
from methods.models import MethodPage
from territories.models import MethodUse, TerritoryPage


def validate_territory(meta: dict, name: str, problems: list[Problem]) -> None:
    check_choice(meta, "kind", TerritoryPage.Kind.values, name, problems)
    check_texts(meta, {"insee_code": 12, "departement": 100, "region": 100, "period": 100}, name, problems)
    check_integer(meta, "population", name, problems, minimum=0, maximum=100_000_000)
    check_integer(meta, "population_year", name, problems, minimum=1800, maximum=2100)
    check_coordinate(meta, "latitude", 90, name, problems)
    check_coordinate(meta, "longitude", 180, name, problems)


def validate_method_uses(fiche, known: dict, problems: list[Problem]) -> None:
    """Each use names a method of the commons and may say how it went."""
    for position, entry in enumerate(entries_of(fiche.meta, "methods_used", fiche.name, problems), start=1):
        where = f"methods_used[{position}]"
        if not isinstance(entry, dict):
            problems.append(Problem(fiche.name, where, "doit contenir « method » et « how_it_went »"))
            continue
        method = entry.get("method")
        if not isinstance(method, str) or method not in known["methods"]:
            problems.append(
                Problem(fiche.name, f"{where}.method", f"méthode inconnue : {entry.get('method')}")
            )
        check_text(entry, "how_it_went", fiche.name, where, problems)


def uses_in_file(fiche) -> tuple:
    return tuple(
        (use["method"], str(use.get("how_it_went") or "").strip())
        for use in fiche.meta.get("methods_used") or []
    )


def uses_of_page(page) -> tuple:
    return tuple((use.method.slug, use.how_it_went.strip()) for use in page.method_uses.all())


def assign_uses(page, uses: tuple) -> None:
    slugs = [slug for slug, _text in uses]
    methods = {method.slug: method for method in MethodPage.objects.filter(slug__in=slugs)}
    page.method_uses = [MethodUse(method=methods[slug], how_it_went=text) for slug, text in uses]


TERRITORY_FIELDS = ExchangeFields(
    scalars={
        "kind": "commune",
        "insee_code": "",
        "departement": "",
        "region": "",
        "population": None,
        "population_year": None,
        "latitude": None,
        "longitude": None,
        "period": "",
    },  # fmt: skip
    relations={"accompanying_associations": "associations"},
    validate=validate_territory,
    extras=(
        Extra(
            "methods_used",
            validate=validate_method_uses,
            desired=uses_in_file,
            current=uses_of_page,
            assign=assign_uses,
            references="methods",
        ),
    ),
)
