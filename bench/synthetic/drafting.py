"""Drafting synthetic pages in memory: titles, Markdown bodies, facts and links, from a seeded
random source (the same seed drafts the same pages)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils.text import slugify

from wagtail.models import Page

from bench.synthetic.words import (
    ACTION_TITLES,
    ADJECTIVES,
    ASIDES,
    BODY_POOL_SIZE,
    CONDITIONS,
    DEPARTEMENTS,
    DURATION_DETAILS,
    FURTHER,
    GOALS,
    HOW_IT_WENT,
    MATERIALS,
    METHOD_FORMATS,
    OBJECTIVES,
    PLACE_PREFIXES,
    PLACE_ROOTS,
    PLACE_SUFFIXES,
    PROJECT_TITLES,
    PUBLISHED_WITHIN_DAYS,
    SLUG_PREFIX,
    STEP_DURATIONS,
    STEPS,
    SUBJECTS,
    SYNTHETIC_CREDITS,
    TERRITORY_APPROACHES,
    TERRITORY_CONTEXTS,
    TERRITORY_LESSONS,
    TERRITORY_RESULTS,
    TOOL_CONTENTS,
    TOOL_NOUNS,
    TOOL_PURPOSES,
    TOOL_USES,
    VIGILANCE,
    WOULD_DO_DIFFERENTLY,
)
from commons.models import License


@dataclass
class Taxonomy:
    """The existing taxonomy, associations and tags synthetic fiches link to (ids only)."""

    questions: list[int]
    phases: list[int]
    defis: list[int]
    themes: list[int]
    associations: list[int]
    tags: list[int]
    synthetic_tag: int


@dataclass
class Draft:
    """A page not yet in the database, with the rows that will link it to others."""

    page: Page
    links: dict[str, list[int]] = field(default_factory=dict)
    tags: list[int] = field(default_factory=list)
    uses: list[tuple[int, str]] = field(default_factory=list)  # (method id, how it went)
    # Rows of a territory's own: (association id, period, what to do differently) of each use,
    # and its projects and actions as field values.
    use_details: list[tuple[int | None, str, str]] = field(default_factory=list)
    projects: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)


@dataclass
class Generator:
    """Everything needed to draft pages: the random source, the vocabulary and the caches."""

    rng: random.Random
    taxonomy: Taxonomy
    locale_id: int
    now: datetime
    bodies: dict[str, list[str]] = field(default_factory=dict)
    rendered: dict[str, str] = field(default_factory=dict)
    tool_ids: list[int] = field(default_factory=list)
    method_ids: list[int] = field(default_factory=list)


def page_kinds():
    """The synthetic kinds, in creation order (methods link to tools, territories to methods)."""
    from methods.models import MethodIndexPage, MethodPage, ToolIndexPage, ToolPage
    from territories.models import TerritoryIndexPage, TerritoryPage

    return [
        ("tools", ToolPage, ToolIndexPage, draft_tool),
        ("methods", MethodPage, MethodIndexPage, draft_method),
        ("territories", TerritoryPage, TerritoryIndexPage, draft_territory),
    ]


def synthetic_pages(model=None):
    """Every synthetic fiche (of `model` when given), found by its slug prefix."""
    models = [model] if model else [kind[1] for kind in page_kinds()]
    return Page.objects.type(*models).filter(slug__startswith=SLUG_PREFIX)


def synthetic_slug(title: str, serial: int) -> str:
    """A slug unique among the synthetic pages of a kind: the serial number comes last."""
    return f"{SLUG_PREFIX}{slugify(title)[:70].strip('-')}-{serial}"


def next_serial(model) -> int:
    """One more than the highest serial number used by the synthetic pages of `model`."""
    slugs = synthetic_pages(model).values_list("slug", flat=True).iterator()
    serials = [int(tail) for slug in slugs if (tail := slug.rsplit("-", 1)[-1]).isdigit()]
    return max(serials, default=0) + 1


# --- Drafting pages --------------------------------------------------------------------------


def pick(rng: random.Random, values: Sequence, low: int, high: int) -> list:
    """Between `low` and `high` distinct values (fewer when there are not enough)."""
    return rng.sample(list(values), min(len(values), rng.randint(low, high))) if values else []


def shorten(text: str, length: int) -> str:
    """`text` cut at a word boundary so that it fits in `length` characters."""
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0] + "…"


def method_title(rng: random.Random) -> tuple[str, str]:
    """A method title and its format (e.g. "Balade sensible sur les chemins ruraux", "Balade")."""
    noun, gender = rng.choice(METHOD_FORMATS)
    masculine, feminine = rng.choice(ADJECTIVES)
    adjective = feminine if gender == "f" else masculine
    return f"{noun} {adjective} sur {rng.choice(SUBJECTS)}", noun


def method_summary(rng: random.Random, title: str) -> str:
    return shorten(f"{title} : {rng.choice(GOALS)}. {rng.choice(ASIDES)}", 300)


def method_body(rng: random.Random) -> str:
    """A method body with the five standard sections of the commons."""
    steps = [
        f"{n}. **{name}** ({rng.choice(STEP_DURATIONS)}) : {text}."
        for n, (name, text) in enumerate(sorted(pick(rng, STEPS, 4, 7), key=STEPS.index), start=1)
    ]
    return "\n\n".join(
        [
            "## Objectifs\n\n" + bullets(pick(rng, OBJECTIVES, 2, 4)),
            "## Déroulé pas à pas\n\n" + "\n".join(steps),
            "## Conditions de réussite\n\n" + bullets(pick(rng, CONDITIONS, 2, 4)),
            "## Points de vigilance\n\n" + bullets(pick(rng, VIGILANCE, 2, 3)),
            "## Pour aller plus loin\n\n" + bullets(pick(rng, FURTHER, 1, 2)),
        ]
    )


def tool_body(rng: random.Random) -> str:
    """A tool body with the four standard sections of the commons."""
    return "\n\n".join(
        [
            "## À quoi sert cet outil\n\n" + " ".join(pick(rng, TOOL_USES, 2, 3)),
            "## Contenu\n\n" + bullets(pick(rng, TOOL_CONTENTS, 2, 4)),
            "## Comment l'utiliser\n\n"
            + "\n".join(
                f"{n}. {text[0].upper()}{text[1:]}." for n, (_, text) in enumerate(pick(rng, STEPS, 3, 4), 1)
            ),
            "## Pour aller plus loin\n\n" + bullets(pick(rng, FURTHER, 1, 2)),
        ]
    )


def territory_body(rng: random.Random) -> str:
    """A territory narrative with the four standard sections of the commons."""
    return "\n\n".join(
        [
            "## Contexte\n\n" + " ".join(pick(rng, TERRITORY_CONTEXTS, 2, 3)),
            "## Démarche\n\n" + bullets(pick(rng, TERRITORY_APPROACHES, 2, 4)),
            "## Résultats\n\n" + bullets(pick(rng, TERRITORY_RESULTS, 1, 3)),
            "## Enseignements\n\n" + " ".join(pick(rng, TERRITORY_LESSONS, 1, 2)),
        ]
    )


def bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def body_for(generator: Generator, kind: str, write: Callable[[random.Random], str]) -> str:
    """A body from the pool of `kind`, filled on first use."""
    pool = generator.bodies.setdefault(kind, [])
    if len(pool) < BODY_POOL_SIZE:
        pool.append(write(generator.rng))
        return pool[-1]
    return generator.rng.choice(pool)


def fiche_fields(generator: Generator, title: str, serial: int, summary: str, body: str) -> dict:
    """The fields every synthetic fiche shares: marking, licence, publication dates."""
    rng = generator.rng
    first = generator.now - timedelta(days=rng.uniform(30, PUBLISHED_WITHIN_DAYS))
    last = min(generator.now, first + timedelta(days=rng.uniform(0, 365)))
    return {
        "title": title,
        "draft_title": title,
        "slug": synthetic_slug(title, serial),
        "summary": summary,
        "body": body,
        "license": rng.choices(License.values, weights=[6, 2, 1, 1])[0],
        "credits": SYNTHETIC_CREDITS,
        "live": True,
        "has_unpublished_changes": False,
        "first_published_at": first,
        "last_published_at": last,
        "locale_id": generator.locale_id,
        "translation_key": uuid.uuid4(),
    }


def common_links(generator: Generator) -> dict[str, list[int]]:
    """Questions, défis, thèmes and associations, a few of each, as real fiches have."""
    rng, taxonomy = generator.rng, generator.taxonomy
    return {
        "questions": pick(rng, taxonomy.questions, 1, 3),
        "defis": pick(rng, taxonomy.defis, 1, 2),
        "themes": pick(rng, taxonomy.themes, 1, 3),
        "associations": pick(rng, taxonomy.associations, 1, 2),
    }


def common_tags(generator: Generator) -> list[int]:
    return [generator.taxonomy.synthetic_tag, *pick(generator.rng, generator.taxonomy.tags, 1, 3)]


def draft_method(generator: Generator, serial: int) -> Draft:
    from methods.models import MethodPage

    rng = generator.rng
    title, _noun = method_title(rng)
    duration = rng.choice(MethodPage.Duration.values)
    low = rng.choice([3, 5, 8, 10, 15])
    page = MethodPage(
        **fiche_fields(
            generator, title, serial, method_summary(rng, title), body_for(generator, "methods", method_body)
        ),
        audience=rng.choice(MethodPage.Audience.values),
        group_size_min=low,
        group_size_max=low * rng.randint(2, 10),
        duration=duration,
        duration_detail=rng.choice(DURATION_DETAILS.get(duration, [""])),
        difficulty=rng.choice(MethodPage.Difficulty.values),
        cost=rng.choice(MethodPage.Cost.values),
        materials=rng.choice(MATERIALS),
    )
    links = common_links(generator)
    links["phases"] = pick(rng, generator.taxonomy.phases, 1, 2)
    links["tools"] = pick(rng, generator.tool_ids, 0, 3)
    return Draft(page=page, links=links, tags=common_tags(generator))


def draft_tool(generator: Generator, serial: int) -> Draft:
    from methods.models import ToolPage

    rng = generator.rng
    subject = rng.choice(SUBJECTS)
    title = f"{rng.choice(TOOL_NOUNS)} {rng.choice(TOOL_PURPOSES)} sur {subject}"
    summary = shorten(f"{title}, pour {rng.choice(GOALS)}. {rng.choice(ASIDES)}", 300)
    major, minor = rng.randint(1, 3), rng.randint(0, 4)
    page = ToolPage(
        **fiche_fields(generator, title, serial, summary, body_for(generator, "tools", tool_body)),
        version=f"{major}.{minor}",
        changelog=f"- **{major}.{minor}** : mise à jour des exemples.\n- **{major}.0** : première version.",
    )
    return Draft(page=page, links=common_links(generator), tags=common_tags(generator))


def place_name(rng: random.Random) -> str:
    return f"{rng.choice(PLACE_PREFIXES)}{rng.choice(PLACE_ROOTS)}{rng.choice(PLACE_SUFFIXES)}"


def draft_territory(generator: Generator, serial: int) -> Draft:
    from territories.models import TerritoryPage

    rng = generator.rng
    name, code, region, latitude, longitude = rng.choice(DEPARTEMENTS)
    place = place_name(rng)
    kind = rng.choices(TerritoryPage.Kind.values, weights=[7, 1, 2, 1])[0]
    start = rng.randint(2016, 2023)
    summary = shorten(
        f"À {place}, élus et habitants se sont lancés dans une démarche collective pour "
        f"{rng.choice(GOALS)}, autour de {rng.choice(SUBJECTS)}.",
        300,
    )
    page = TerritoryPage(
        **fiche_fields(
            generator,
            f"{place} ({name})",
            serial,
            summary,
            body_for(generator, "territories", territory_body),
        ),
        kind=kind,
        insee_code=f"{code}{rng.randint(1, 999):03d}",
        departement=f"{name} ({code})",
        region=region,
        population=int(10 ** rng.uniform(2, 4.5)),
        population_year=rng.choice([2018, 2019, 2020, 2021]),
        latitude=round(latitude + rng.uniform(-0.3, 0.3), 5),
        longitude=round(longitude + rng.uniform(-0.4, 0.4), 5),
        period=f"{start}–{start + rng.randint(1, 3)}",
    )
    links = common_links(generator)
    links["accompanying_associations"] = links["associations"]
    uses = [(method_id, rng.choice(HOW_IT_WENT)) for method_id in pick(rng, generator.method_ids, 2, 5)]
    partners = links["associations"] or [None]
    details = [(rng.choice(partners), str(start), rng.choice(WOULD_DO_DIFFERENTLY)) for _use in uses]
    return Draft(
        page=page,
        links=links,
        tags=common_tags(generator),
        uses=uses,
        use_details=details,
        projects=draft_projects(rng),
        actions=draft_actions(rng, partners, start),
    )


def draft_projects(rng: random.Random) -> list[dict]:
    statuses = ["idee", "en_cours", "realise", "abandonne"]
    return [
        {"title": title, "description": f"Né de la démarche, autour de {rng.choice(SUBJECTS)}.",
         "status": rng.choices(statuses, weights=[3, 4, 3, 1])[0]}
        for title in pick(rng, PROJECT_TITLES, 0, 3)
    ]  # fmt: skip


def draft_actions(rng: random.Random, partners: list, start: int) -> list[dict]:
    return [
        {"title": title, "status": rng.choice(["a_faire", "en_cours", "fait"]),
         "association_id": rng.choice(partners),
         "date": date(start + rng.randint(0, 2), rng.randint(1, 12), rng.randint(1, 28))}
        for title in pick(rng, ACTION_TITLES, 1, 5)
    ]  # fmt: skip
