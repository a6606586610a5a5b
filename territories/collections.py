"""What territories keep in the exchange directory besides fiches: the commons' roadmap
(`roadmap.yaml`) and the self-assessment grid (`criteria.yaml`).

`roadmap.yaml` is a list of actions.
Each action has a `title` (its identity), `status` (a_faire, en_cours, fait), and optionally a
`description`, a `phase` (capitalisation, construction, diffusion), an `association` (slug), a
`date` (AAAA-MM-JJ) and `fiches` (`methods/<slug>`, `tools/<slug>`, `territories/<slug>`).

`criteria.yaml` is a list of criteria: `slug`, `name`, `question`, `levels` (four descriptions,
levels 0 to 3) and `methods` (slugs of the methods that help progress).

Loading creates what is missing, published; what is already there belongs to the committee, who
edits it in the admin: it is left as it is.
"""

import datetime

from commons.exchange.checks import Problem, check_slug, check_text
from commons.fiche_types import Collection, fiche_type
from commons.fiche_types import type_of_model as fiche_type_of
from commons.models import Association
from methods.models import MethodPage
from territories.exchange import check_association, check_status
from territories.models import (
    ActionStatus,
    Criterion,
    CriterionMethod,
    RoadmapAction,
    RoadmapFicheLink,
    RoadmapPhase,
)


def validate_roadmap(entries: list, known: dict, file: str, problems: list[Problem]) -> None:
    titles = set()
    for position, entry in enumerate(entries, start=1):
        where = f"[{position}]"
        if not isinstance(entry, dict):
            problems.append(Problem(file, where, "doit contenir « title » et « status »"))
            continue
        check_text(entry, "title", file, where, problems, required=True, max_length=200)
        title = str(entry.get("title") or "").strip()
        if title and title in titles:
            problems.append(Problem(file, f"{where}.title", f"action en double : {title}"))
        titles.add(title)
        check_text(entry, "description", file, where, problems)
        check_status(entry, ActionStatus.values, file, where, problems)
        if entry.get("phase") not in (None, "", *RoadmapPhase.values):
            problems.append(Problem(file, f"{where}.phase", f"valeur inconnue : {entry.get('phase')}"))
        check_association(entry, known, file, where, problems)
        if entry.get("date") not in (None, "") and not isinstance(entry["date"], datetime.date):
            problems.append(Problem(file, f"{where}.date", "doit être une date AAAA-MM-JJ"))
        for address in slug_list(entry, "fiches", file, where, problems):
            kind, _slash, slug = address.partition("/")
            if slug not in known.get(kind, set()):
                problems.append(Problem(file, f"{where}.fiches", f"fiche inconnue : {address}"))


def slug_list(entry: dict, key: str, file: str, where: str, problems: list[Problem]) -> list[str]:
    """The texts listed under `key` (none when absent); a problem when it is not a list of texts."""
    values = entry.get(key) or []
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        problems.append(Problem(file, f"{where}.{key}", "doit être une liste d'identifiants"))
        return []
    return values


def fiche_named(address: str):
    kind, _slash, slug = address.partition("/")
    return fiche_type(kind).model.objects.filter(slug=slug).first()


def apply_roadmap(entries: list, report) -> None:
    existing = set(RoadmapAction.objects.values_list("title", flat=True))
    associations = {a.slug: a for a in Association.objects.all()}
    for position, entry in enumerate(entries, start=1):
        title = str(entry["title"]).strip()
        if title in existing:
            continue
        action = RoadmapAction(
            title=title,
            description=str(entry.get("description") or "").strip(),
            status=entry.get("status") or ActionStatus.TODO,
            phase=entry.get("phase") or "",
            association=associations.get(entry.get("association")),
            date=entry.get("date") or None,
            sort_order=position * 10,
        )
        action.fiche_links = [
            RoadmapFicheLink(fiche=fiche)
            for address in entry.get("fiches") or []
            if (fiche := fiche_named(address))
        ]
        action.save()
        action.save_revision().publish()
        report.created.append(f"feuille de route : {title}")


def fiche_address(page) -> str:
    return f"{fiche_type_of(page.specific_class).kind}/{page.slug}"


def export_roadmap(context) -> list[dict]:
    """The live actions, in their order, naming only published fiches."""
    actions = RoadmapAction.objects.filter(live=True).select_related("association")
    entries = []
    for action in actions.prefetch_related("fiche_links__fiche"):
        entry = {
            "title": action.title,
            "description": action.description.strip(),
            "status": action.status,
            "phase": action.phase,
            "association": action.association.slug if action.association_id else "",
            "date": action.date,
            "fiches": [
                fiche_address(link.fiche)
                for link in action.fiche_links.all()
                if context.published_address(link.fiche)
            ],
        }
        entries.append({key: value for key, value in entry.items() if value not in (None, "", [])})
    return entries


ROADMAP = Collection("roadmap", validate=validate_roadmap, apply=apply_roadmap, export=export_roadmap)


def validate_criteria(entries: list, known: dict, file: str, problems: list[Problem]) -> None:
    slugs = set()
    for position, entry in enumerate(entries, start=1):
        where = f"[{position}]"
        if not isinstance(entry, dict):
            problems.append(
                Problem(file, where, "doit contenir « slug », « name », « question » et « levels »")
            )
            continue
        check_slug(entry.get("slug"), file, f"{where}.slug", problems, slugs)
        check_text(entry, "name", file, where, problems, required=True, max_length=120)
        check_text(entry, "question", file, where, problems, required=True, max_length=255)
        levels = entry.get("levels")
        if (
            not isinstance(levels, list)
            or len(levels) != 4
            or not all(isinstance(t, str) and t.strip() for t in levels)
        ):
            problems.append(Problem(file, f"{where}.levels", "doit donner quatre niveaux décrits (0 à 3)"))
        for slug in slug_list(entry, "methods", file, where, problems):
            if slug not in known["methods"]:
                problems.append(Problem(file, f"{where}.methods", f"méthode inconnue : {slug}"))


def apply_criteria(entries: list, report) -> None:
    existing = set(Criterion.objects.values_list("slug", flat=True))
    for position, entry in enumerate(entries, start=1):
        if entry["slug"] in existing:
            continue
        levels = [str(text).strip() for text in entry["levels"]]
        criterion = Criterion(
            slug=entry["slug"],
            name=str(entry["name"]).strip(),
            question=str(entry["question"]).strip(),
            **{f"level_{level}": description for level, description in enumerate(levels)},
            sort_order=position * 10,
        )
        methods = {m.slug: m for m in MethodPage.objects.filter(slug__in=entry.get("methods") or [])}
        criterion.method_links = [
            CriterionMethod(method=methods[slug]) for slug in entry.get("methods") or [] if slug in methods
        ]
        criterion.save()
        criterion.save_revision().publish()
        report.created.append(f"grille d'autodiagnostic : {criterion.name}")


def export_criteria(context) -> list[dict]:
    """The live criteria, in their order, naming only published methods."""
    entries = []
    for criterion in Criterion.objects.filter(live=True).prefetch_related("method_links__method"):
        entry = {
            "slug": criterion.slug,
            "name": criterion.name,
            "question": criterion.question,
            "levels": [getattr(criterion, f"level_{level}").strip() for level in range(4)],
            "methods": [
                link.method.slug
                for link in criterion.method_links.all()
                if context.is_published("methods", link.method.slug)
            ],
        }
        if not entry["methods"]:
            del entry["methods"]
        entries.append(entry)
    return entries


CRITERIA = Collection("criteria", validate=validate_criteria, apply=apply_criteria, export=export_criteria)
