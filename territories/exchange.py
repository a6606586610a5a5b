"""Territories in the exchange format (`commons.exchange`): their own fields and checks.

Besides its facts and `lessons` (Markdown), a territory file lists:

- `methods_used`: `method` (a method's slug), `association` (slug), `period`, `how_it_went`,
  `would_do_differently`;
- `projects`: `title`, `description`, `status` (idee, en_cours, realise, abandonne), `fiche`
  (`methods/<slug>` or `tools/<slug>`);
- `actions`: `title`, `status` (a_faire, en_cours, fait), `association` (slug), `date` (AAAA-MM-JJ);
- `diagnostics`: `date` and `answers` (criterion slug: level from 0 to 3), the self-assessments
  recorded on the territory.
"""

import datetime
from urllib.parse import parse_qsl, urlencode

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
from commons.models import Association
from methods.models import MethodPage, ToolPage
from territories.models import (
    ActionStatus,
    MethodUse,
    ProjectStatus,
    TerritoryAction,
    TerritoryDiagnostic,
    TerritoryPage,
    TerritoryProject,
)

FICHE_KINDS = {"methods": MethodPage, "tools": ToolPage}


def validate_territory(meta: dict, name: str, problems: list[Problem]) -> None:
    check_choice(meta, "kind", TerritoryPage.Kind.values, name, problems)
    check_texts(
        meta,
        {"insee_code": 12, "departement": 100, "region": 100, "period": 100, "lessons": None},
        name,
        problems,
    )
    check_integer(meta, "population", name, problems, minimum=0, maximum=100_000_000)
    check_integer(meta, "population_year", name, problems, minimum=1800, maximum=2100)
    check_coordinate(meta, "latitude", 90, name, problems)
    check_coordinate(meta, "longitude", 180, name, problems)


def entries(fiche, key: str, fields: str, problems: list[Problem]):
    """(where, entry) of each mapping under `key`; a problem for any other value."""
    for position, entry in enumerate(entries_of(fiche.meta, key, fiche.name, problems), start=1):
        where = f"{key}[{position}]"
        if isinstance(entry, dict):
            yield where, entry
        else:
            problems.append(Problem(fiche.name, where, f"doit contenir {fields}"))


def check_association(entry: dict, known: dict, file: str, where: str, problems: list[Problem]) -> None:
    slug = entry.get("association")
    if slug not in (None, "") and (not isinstance(slug, str) or slug not in known["associations"]):
        problems.append(Problem(file, f"{where}.association", f"association inconnue : {slug}"))


def check_status(entry: dict, allowed, file: str, where: str, problems: list[Problem]) -> None:
    value = entry.get("status")
    if value not in (None, "") and value not in allowed:
        problems.append(
            Problem(
                file, f"{where}.status", f"valeur « {value} » inconnue ; possibles : {', '.join(allowed)}"
            )
        )


def validate_method_uses(fiche, known: dict, problems: list[Problem]) -> None:
    """Each use names a method of the commons and may say who ran it, when, and how it went."""
    for where, entry in entries(fiche, "methods_used", "« method » et « how_it_went »", problems):
        method = entry.get("method")
        if not isinstance(method, str) or method not in known["methods"]:
            problems.append(Problem(fiche.name, f"{where}.method", f"méthode inconnue : {method}"))
        check_association(entry, known, fiche.name, where, problems)
        check_text(entry, "period", fiche.name, where, problems, max_length=100)
        check_text(entry, "how_it_went", fiche.name, where, problems)
        check_text(entry, "would_do_differently", fiche.name, where, problems)


def validate_projects(fiche, known: dict, problems: list[Problem]) -> None:
    for where, entry in entries(fiche, "projects", "« title » et « status »", problems):
        check_text(entry, "title", fiche.name, where, problems, required=True, max_length=200)
        check_text(entry, "description", fiche.name, where, problems)
        check_status(entry, ProjectStatus.values, fiche.name, where, problems)
        target = entry.get("fiche")
        if target not in (None, ""):
            kind, _slash, slug = str(target).partition("/")
            if kind not in FICHE_KINDS or slug not in known.get(kind, set()):
                problems.append(Problem(fiche.name, f"{where}.fiche", f"fiche inconnue : {target}"))


def validate_actions(fiche, known: dict, problems: list[Problem]) -> None:
    for where, entry in entries(fiche, "actions", "« title » et « status »", problems):
        check_text(entry, "title", fiche.name, where, problems, required=True, max_length=200)
        check_status(entry, ActionStatus.values, fiche.name, where, problems)
        check_association(entry, known, fiche.name, where, problems)
        date = entry.get("date")
        if date not in (None, "") and not isinstance(date, datetime.date):
            problems.append(Problem(fiche.name, f"{where}.date", "doit être une date AAAA-MM-JJ"))


def text(entry: dict, key: str) -> str:
    return str(entry.get(key) or "").strip()


def uses_in_file(fiche) -> tuple:
    return tuple(
        (
            use["method"],
            text(use, "association"),
            text(use, "period"),
            text(use, "how_it_went"),
            text(use, "would_do_differently"),
        )
        for use in fiche.meta.get("methods_used") or []
    )


def uses_of_page(page) -> tuple:
    return tuple(
        (
            use.method.slug,
            use.association.slug if use.association_id else "",
            use.period.strip(),
            use.how_it_went.strip(),
            use.would_do_differently.strip(),
        )
        for use in page.method_uses.all()
    )


def associations_named(slugs) -> dict[str, Association]:
    return {association.slug: association for association in Association.objects.filter(slug__in=slugs)}


def assign_uses(page, uses: tuple) -> None:
    methods = {method.slug: method for method in MethodPage.objects.filter(slug__in=[u[0] for u in uses])}
    associations = associations_named(use[1] for use in uses)
    page.method_uses = [
        MethodUse(
            method=methods[slug],
            association=associations.get(association),
            period=period,
            how_it_went=how,
            would_do_differently=differently,
            sort_order=position,
        )
        for position, (slug, association, period, how, differently) in enumerate(uses)
    ]


def projects_in_file(fiche) -> tuple:
    return tuple(
        (text(p, "title"), text(p, "description"), text(p, "status") or ProjectStatus.IDEA, text(p, "fiche"))
        for p in fiche.meta.get("projects") or []
    )


def fiche_address(page) -> str:
    """`methods/<slug>` or `tools/<slug>` for a project's fiche, as the file names it."""
    if page is None:
        return ""
    specific = page.specific_class
    kind = next((kind for kind, model in FICHE_KINDS.items() if model is specific), "")
    return f"{kind}/{page.slug}" if kind else ""


def projects_of_page(page) -> tuple:
    return tuple(
        (p.title, p.description.strip(), p.status, fiche_address(p.fiche)) for p in page.projects.all()
    )


def fiche_at(address: str):
    kind, _slash, slug = address.partition("/")
    return FICHE_KINDS[kind].objects.filter(slug=slug).first() if kind in FICHE_KINDS else None


def assign_projects(page, projects: tuple) -> None:
    page.projects = [
        TerritoryProject(
            title=title, description=description, status=status, fiche=fiche_at(address), sort_order=position
        )
        for position, (title, description, status, address) in enumerate(projects)
    ]


def actions_in_file(fiche) -> tuple:
    return tuple(
        (
            text(a, "title"),
            text(a, "status") or ActionStatus.TODO,
            text(a, "association"),
            a.get("date") or None,
        )
        for a in fiche.meta.get("actions") or []
    )


def actions_of_page(page) -> tuple:
    return tuple(
        (a.title, a.status, a.association.slug if a.association_id else "", a.date)
        for a in page.actions.all()
    )


def assign_actions(page, actions: tuple) -> None:
    associations = associations_named(action[2] for action in actions)
    page.actions = [
        TerritoryAction(
            title=title,
            status=status,
            association=associations.get(association),
            date=date,
            sort_order=position,
        )
        for position, (title, status, association, date) in enumerate(actions)
    ]


def is_level(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 3


def validate_diagnostics(fiche, known: dict, problems: list[Problem]) -> None:
    for where, entry in entries(fiche, "diagnostics", "« date » et « answers »", problems):
        if not isinstance(entry.get("date"), datetime.date):
            problems.append(Problem(fiche.name, f"{where}.date", "doit être une date AAAA-MM-JJ"))
        answers = entry.get("answers")
        if not isinstance(answers, dict) or not all(
            isinstance(slug, str) and is_level(level) for slug, level in answers.items()
        ):
            problems.append(
                Problem(fiche.name, f"{where}.answers", "doit associer chaque critère à un niveau de 0 à 3")
            )


def diagnostics_in_file(fiche) -> tuple:
    return tuple(
        (entry["date"], urlencode(sorted(entry["answers"].items())))
        for entry in fiche.meta.get("diagnostics") or []
    )


def diagnostics_of_page(page) -> tuple:
    return tuple((d.date, d.answers) for d in page.diagnostics.all())


def assign_diagnostics(page, diagnostics: tuple) -> None:
    # Orderable rows get their position here: unordered, PostgreSQL may return them in any order.
    page.diagnostics = [
        TerritoryDiagnostic(date=date, answers=answers, sort_order=position)
        for position, (date, answers) in enumerate(diagnostics)
    ]


def without_empty(entry: dict) -> dict:
    return {key: value for key, value in entry.items() if value not in (None, "")}


def export_uses(page, context) -> list[dict]:
    keys = ("method", "association", "period", "how_it_went", "would_do_differently")
    return [
        without_empty(dict(zip(keys, use, strict=True)))
        for use in uses_of_page(page)
        if context.is_published("methods", use[0])
    ]


def export_projects(page, context) -> list[dict]:
    """Each project; the fiche it led to only when that fiche is published."""
    return [
        without_empty(
            {
                "title": project.title,
                "description": project.description.strip(),
                "status": project.status,
                "fiche": fiche_address(project.fiche) if context.published_address(project.fiche) else "",
            }
        )
        for project in page.projects.all()
    ]


def export_actions(page, _context) -> list[dict]:
    keys = ("title", "status", "association", "date")
    return [without_empty(dict(zip(keys, action, strict=True))) for action in actions_of_page(page)]


def export_diagnostics(page, _context) -> list[dict]:
    return [
        {"date": date, "answers": {slug: int(level) for slug, level in parse_qsl(answers)}}
        for date, answers in diagnostics_of_page(page)
    ]


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
        "lessons": "",
    },  # fmt: skip
    relations={"accompanying_associations": "associations"},
    validate=validate_territory,
    extras=(
        Extra(
            "methods_used",
            validate_method_uses,
            uses_in_file,
            uses_of_page,
            assign_uses,
            "methods",
            export=export_uses,
            prefetch=("method_uses__method", "method_uses__association"),
        ),
        Extra(
            "projects",
            validate_projects,
            projects_in_file,
            projects_of_page,
            assign_projects,
            "methods",
            export=export_projects,
            prefetch=("projects__fiche",),
        ),
        Extra(
            "actions",
            validate_actions,
            actions_in_file,
            actions_of_page,
            assign_actions,
            export=export_actions,
            prefetch=("actions__association",),
        ),
        Extra(
            "diagnostics",
            validate_diagnostics,
            diagnostics_in_file,
            diagnostics_of_page,
            assign_diagnostics,
            export=export_diagnostics,
            prefetch=("diagnostics",),
        ),
    ),  # fmt: skip
)
