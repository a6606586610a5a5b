"""Synthetic content for load tests: thousands of realistic-looking, published fiches, fast.

`populate` writes methods, tools and territories that look like the demo content (French titles,
summaries and Markdown bodies with the usual sections, facts, taxonomy, tags, method uses) under
the existing index pages. Creating them one by one with Wagtail's `add_child` and a published
revision costs tens of milliseconds a page, tens of minutes for 12,000, so the rows are written
in bulk: the materialized paths of the page tree are computed here, the `wagtailcore_page` rows
bulk-created, the concrete rows and the links inserted in batches (one transaction each), and the
search index filled at the end. Every synthetic page is clearly marked: its
slug starts with `synthetique-`, it carries the tag `contenu-synthetique` and its credits say
"Contenu synthétique de test". `clear` removes those pages, and only them.

Running `populate` again adds more pages: serial numbers continue after the highest one in use,
so slugs stay unique. Two runs must not write at the same time: each computes the tree paths from
the last child it sees, so the slower one fails on the unique path and its batch rolls back.

Synthetic pages have no revision (nobody wrote them): their public history is empty until someone
edits one in the admin, which creates its first revision. They are not in Wagtail's reference
index either (the admin's "usage" counts of the taxonomy leave them out).
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import post_delete
from django.utils import timezone
from django.utils.text import slugify

from taggit.models import Tag
from wagtail.models import Locale, Page, ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.search.models import IndexEntry
from wagtail.search.signal_handlers import post_delete_signal_handler
from wagtail.signal_handlers import disable_reference_index_auto_update

from commons.editing.site_tree import ensure_site_tree
from commons.models import Association, Defi, License, Phase, Question, Theme
from commons.rendering.markdown import render_markdown
from commons.speed.freshness import bump_content_generation

SLUG_PREFIX = "synthetique-"
SYNTHETIC_TAG = "contenu-synthetique"
SYNTHETIC_CREDITS = "Contenu synthétique de test"
BATCH_SIZE = 1000
INDEX_BATCH_SIZE = 500
# Bodies are drawn from a pool per kind, so each distinct body is rendered to HTML only once.
BODY_POOL_SIZE = 200
PUBLISHED_WITHIN_DAYS = 4 * 365

Log = Callable[[str], None]


# --- Word lists ------------------------------------------------------------------------------
# Built by hand from the vocabulary of the demo fiches, so that no library is needed at run time.

METHOD_FORMATS = [
    ("Atelier", "m"), ("Forum", "m"), ("Balade", "f"), ("Café", "m"), ("Cercle", "m"),
    ("Conseil", "m"), ("Chantier", "m"), ("Carte", "f"), ("Fresque", "f"), ("Jeu", "m"),
    ("Enquête", "f"), ("Marche", "f"), ("Veillée", "f"), ("Laboratoire", "m"), ("Parcours", "m"),
    ("Panel", "m"), ("Assemblée", "f"), ("Rallye", "m"), ("Théâtre-forum", "m"), ("Résidence", "f"),
]  # fmt: skip
ADJECTIVES = [
    ("participatif", "participative"), ("collaboratif", "collaborative"), ("citoyen", "citoyenne"),
    ("ouvert", "ouverte"), ("intergénérationnel", "intergénérationnelle"),
    ("itinérant", "itinérante"), ("sensible", "sensible"), ("coopératif", "coopérative"),
    ("prospectif", "prospective"), ("appréciatif", "appréciative"), ("partagé", "partagée"),
    ("communal", "communale"), ("rural", "rurale"), ("nocturne", "nocturne"), ("express", "express"),
]  # fmt: skip
SUBJECTS = [
    "l'alimentation locale", "les mobilités partagées", "l'énergie citoyenne", "les communs du village",
    "la ressource en eau", "les haies et le bocage", "le centre-bourg", "les tiers-lieux",
    "la sobriété foncière", "les circuits courts", "l'habitat partagé", "la biodiversité ordinaire",
    "les savoir-faire locaux", "le lien entre générations", "la rénovation énergétique",
    "les chemins ruraux", "la forêt communale", "le patrimoine bâti", "l'accueil des nouveaux habitants",
    "la vie associative", "les jardins partagés", "la gestion des déchets", "l'économie circulaire",
    "l'adaptation au climat", "les risques d'inondation", "la santé environnementale",
    "la culture commune", "les services de proximité", "l'emploi local", "la transition agricole",
]  # fmt: skip
GOALS = [
    "faire émerger des projets portés par les habitants", "croiser les regards des élus et des habitants",
    "partager un diagnostic du territoire", "décider ensemble des priorités",
    "donner la parole à celles et ceux qu'on n'entend jamais", "construire une vision commune",
    "mettre en récit les initiatives locales", "installer une gouvernance partagée",
    "repérer les ressources et les vulnérabilités", "passer des idées aux actions",
]  # fmt: skip
ASIDES = [
    "Adapté aux petites communes rurales.", "Sans prérequis d'animation.",
    "Éprouvé sur plusieurs territoires partenaires.", "À combiner avec un temps de restitution.",
    "Convient aussi aux intercommunalités.", "Idéal pour lancer une dynamique collective.",
]  # fmt: skip
TOOL_NOUNS = [
    "Grille", "Canevas", "Jeu de cartes", "Kit", "Guide", "Fiche-repère", "Tableau de bord", "Gabarit",
    "Boîte à outils", "Questionnaire", "Frise", "Plateau de jeu",
]  # fmt: skip
TOOL_PURPOSES = [
    "d'autodiagnostic", "d'animation", "de suivi", "de cartographie", "de priorisation",
    "de concertation", "d'évaluation", "de mise en récit",
]  # fmt: skip
PLACE_PREFIXES = ["Saint-", "Sainte-", "", "", "", "Le ", "La ", "Les ", "Villers-", "Mont-"]
PLACE_ROOTS = [
    "Amand", "Bourg", "Champagnac", "Marsac", "Val", "Roche", "Fontaine", "Ville", "Bois", "Pré",
    "Lac", "Crozant", "Aubusson", "Chassagne", "Vernet", "Montbel", "Rieux", "Lussac", "Sauve",
    "Brion", "Cérilly", "Fléac", "Gours", "Jarnac", "Lavaur", "Noirmont", "Péret", "Soubise",
]  # fmt: skip
PLACE_SUFFIXES = [
    "", "", "", "-sur-Vienne", "-en-Bresse", "-le-Château", "-les-Bains", "-de-Montagne", "-sur-Loire",
    "-la-Forêt", "-le-Vieux", "-d'Auvergne",
]  # fmt: skip
# Rural départements: name, code, région, and the rough centre of the map (latitude, longitude).
DEPARTEMENTS = [
    ("Ain", "01", "Auvergne-Rhône-Alpes", 46.1, 5.35),
    ("Allier", "03", "Auvergne-Rhône-Alpes", 46.4, 3.2),
    ("Ardèche", "07", "Auvergne-Rhône-Alpes", 44.75, 4.4),
    ("Cantal", "15", "Auvergne-Rhône-Alpes", 45.05, 2.65),
    ("Corrèze", "19", "Nouvelle-Aquitaine", 45.35, 1.9),
    ("Creuse", "23", "Nouvelle-Aquitaine", 46.05, 2.0),
    ("Deux-Sèvres", "79", "Nouvelle-Aquitaine", 46.55, -0.3),
    ("Vienne", "86", "Nouvelle-Aquitaine", 46.55, 0.45),
    ("Haute-Vienne", "87", "Nouvelle-Aquitaine", 45.9, 1.25),
    ("Gers", "32", "Occitanie", 43.7, 0.45),
    ("Lozère", "48", "Occitanie", 44.5, 3.5),
    ("Nièvre", "58", "Bourgogne-Franche-Comté", 47.1, 3.5),
    ("Jura", "39", "Bourgogne-Franche-Comté", 46.7, 5.7),
    ("Morbihan", "56", "Bretagne", 47.85, -2.8),
    ("Orne", "61", "Normandie", 48.6, 0.1),
    ("Haute-Marne", "52", "Grand Est", 48.1, 5.2),
    ("Haute-Savoie", "74", "Auvergne-Rhône-Alpes", 46.0, 6.35),
    ("Drôme", "26", "Auvergne-Rhône-Alpes", 44.7, 5.15),
]
TAG_NAMES = [
    "atelier", "diagnostic", "intelligence collective", "démocratie locale", "récit", "village",
    "jeunes", "porte-à-porte", "prospective", "éducation populaire", "coopération intercommunale",
    "espace public", "alimentation", "énergie", "mobilité", "eau", "biodiversité", "tiers-lieu",
    "gouvernance", "évaluation", "cartographie", "lien social", "climat", "sobriété", "habitat",
]  # fmt: skip

OBJECTIVES = [
    "Permettre à chacun de **prendre la parole**, y compris les personnes les plus éloignées des instances.",
    "Faire émerger des **projets concrets** portés par celles et ceux qui les proposent.",
    "Partager une **lecture commune** des forces et des fragilités du territoire.",
    "Relier les initiatives existantes et **éviter les doublons**.",
    "Donner aux élus des **priorités argumentées** par les habitants.",
    "Identifier les personnes **prêtes à s'engager** dans la durée.",
    "Produire un **compte rendu partagé**, lisible par tous.",
    "Rendre visibles les **ressources locales** : savoir-faire, lieux, réseaux.",
    "Installer une **habitude de coopération** entre la mairie et les associations.",
]  # fmt: skip
STEPS = [
    ("Préparer", "constituer une petite équipe d'animation et fixer la question de départ"),
    ("Inviter largement", "aller chercher les habitants là où ils sont : marché, école, associations"),
    ("Accueillir", "présenter le cadre, les règles du jeu et le déroulé de la séance"),
    ("Explorer", "travailler en petits groupes de quatre à six personnes, en changeant de table"),
    ("Cartographier", "placer sur une grande carte les lieux, les acteurs et les ressources cités"),
    ("Mettre en commun", "chaque groupe présente en trois minutes ce qu'il retient"),
    ("Prioriser", "chacun dispose de trois gommettes pour choisir les pistes à creuser"),
    ("Décider", "les pistes retenues reçoivent un ou une référente et une première date"),
    ("Restituer", "publier un compte rendu illustré dans le bulletin municipal"),
    ("Suivre", "faire le point trois mois plus tard avec les personnes engagées"),
]  # fmt: skip
STEP_DURATIONS = ["15 min", "20 min", "30 min", "45 min", "1 h", "1 h 30"]
CONDITIONS = [
    "Un **portage politique** clair : les élus s'engagent à répondre aux propositions.",
    "Une **animation neutre**, si possible extérieure à la commune.",
    "Des horaires et un lieu **accessibles** (garde d'enfants, transport).",
    "Un **retour rapide** aux participants sur ce qui a été décidé.",
    "Une question de départ **ouverte** et mobilisatrice.",
    "Du temps pour **préparer** : compter trois à six semaines.",
]  # fmt: skip
VIGILANCE = [
    "Ne pas annoncer de décisions déjà prises : la confiance se perd vite.",
    "Veiller à la **diversité** des participants, au-delà des habitués.",
    "Ne pas multiplier les réunions sans suite visible.",
    "Garder du temps pour la convivialité : c'est elle qui fait revenir.",
    "Prévoir qui rédige le compte rendu **avant** la séance.",
    "Éviter le jargon technique dans les supports.",
]  # fmt: skip
FURTHER = [
    "La fiche « Atelier de solutions » de ce commun.",
    "Les ressources du réseau des territoires en transition.",
    "Le guide de la concertation locale publié par l'ADEME.",
    "Les retours d'expérience des territoires partenaires, dans la rubrique Territoires.",
]  # fmt: skip
TOOL_USES = [
    "Cet outil aide un groupe à **structurer sa réflexion** sans expertise préalable.",
    "Il se remplit en séance, à plusieurs, sur une grande feuille ou un tableau partagé.",
    "Il sert aussi de **support de restitution** pour les élus et les habitants.",
    "Il se réutilise d'une année sur l'autre pour **mesurer le chemin parcouru**.",
]  # fmt: skip
TOOL_CONTENTS = [
    "une grille à imprimer en A3", "un jeu de cartes questions", "un guide d'animation de quatre pages",
    "un tableau de suivi au format tableur", "des exemples remplis par des territoires partenaires",
    "un modèle de compte rendu",
]  # fmt: skip
TERRITORY_CONTEXTS = [
    "La commune a perdu son dernier commerce et cherche à recréer des lieux de rencontre.",
    "Le territoire accueille de nombreux nouveaux habitants venus de la ville voisine.",
    "Les élus voulaient associer davantage les habitants à l'élaboration des projets communaux.",
    "Une association locale très active a porté la demande d'accompagnement.",
    "Les épisodes de sécheresse répétés ont mis la question de l'eau au cœur des débats.",
    "Le conseil municipal, renouvelé en grande partie, souhaitait changer de méthode.",
]  # fmt: skip
TERRITORY_APPROACHES = [
    "Une équipe locale d'une dizaine de personnes a été constituée dès le départ.",
    "Un porte-à-porte appréciatif a permis de recueillir la parole de plus d'une centaine de foyers.",
    "Trois ateliers publics ont rassemblé élus, habitants et acteurs économiques.",
    "Une balade sensible a ouvert la démarche, suivie d'un forum ouvert au printemps.",
    "Les propositions ont été présentées en conseil municipal, puis votées.",
]  # fmt: skip
TERRITORY_RESULTS = [
    "Un jardin partagé a vu le jour derrière la salle des fêtes.",
    "Un groupe d'habitants gère désormais une boîte à livres et un café associatif.",
    "La commune a créé une commission extra-municipale ouverte à tous.",
    "Un covoiturage solidaire relie le bourg aux hameaux deux fois par semaine.",
    "Plusieurs projets ont été inscrits au budget communal de l'année suivante.",
]  # fmt: skip
TERRITORY_LESSONS = [
    "Le temps long est indispensable : les premiers résultats visibles arrivent après un an.",
    "Aller vers les habitants a été plus efficace que les réunions publiques classiques.",
    "Le relais par des habitants engagés conditionne la durée de la dynamique.",
    "La transparence sur ce que la mairie peut ou ne peut pas faire a renforcé la confiance.",
]  # fmt: skip
HOW_IT_WENT = [
    "La méthode a bien fonctionné, avec une participation au-delà des attentes.",
    "Il a fallu adapter le format aux contraintes horaires des habitants.",
    "Une première séance peu suivie, puis une seconde beaucoup plus riche après un travail d'invitation.",
    "Les élus ont repris les propositions dans leur programme d'actions.",
    "Utilisée deux fois, à un an d'intervalle, pour mesurer les évolutions.",
]  # fmt: skip
MATERIALS = [
    "Grandes feuilles, feutres, gommettes", "Une carte du territoire au format A0, post-it",
    "Un vidéoprojecteur et une salle modulable", "Des tables pour quatre à six personnes, une cloche",
    "Des cartes imprimées, un minuteur",
]  # fmt: skip
DURATION_DETAILS = {
    "moins-2h": ["1 h 30 environ", "Trois tours de 20 minutes"],
    "demi-journee": ["Une matinée", "De 14 h à 18 h"],
    "journee": ["Une journée avec repas partagé", "De 9 h 30 à 17 h"],
    "plusieurs-seances": ["Trois séances de deux heures", "Quatre rencontres sur deux mois"],
    "plusieurs-mois": ["Six mois à un an", "Une saison entière"],
}


# --- Counting and naming -------------------------------------------------------------------


@dataclass
class Vocabulary:
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
    uses: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Generator:
    """Everything needed to draft pages: the random source, the vocabulary and the caches."""

    rng: random.Random
    vocabulary: Vocabulary
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


def clip(text: str, length: int) -> str:
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
    return clip(f"{title} : {rng.choice(GOALS)}. {rng.choice(ASIDES)}", 300)


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
    rng, vocabulary = generator.rng, generator.vocabulary
    return {
        "questions": pick(rng, vocabulary.questions, 1, 3),
        "defis": pick(rng, vocabulary.defis, 1, 2),
        "themes": pick(rng, vocabulary.themes, 1, 3),
        "associations": pick(rng, vocabulary.associations, 1, 2),
    }


def common_tags(generator: Generator) -> list[int]:
    return [generator.vocabulary.synthetic_tag, *pick(generator.rng, generator.vocabulary.tags, 1, 3)]


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
    links["phases"] = pick(rng, generator.vocabulary.phases, 1, 2)
    links["tools"] = pick(rng, generator.tool_ids, 0, 3)
    return Draft(page=page, links=links, tags=common_tags(generator))


def draft_tool(generator: Generator, serial: int) -> Draft:
    from methods.models import ToolPage

    rng = generator.rng
    subject = rng.choice(SUBJECTS)
    title = f"{rng.choice(TOOL_NOUNS)} {rng.choice(TOOL_PURPOSES)} sur {subject}"
    summary = clip(f"{title}, pour {rng.choice(GOALS)}. {rng.choice(ASIDES)}", 300)
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
    summary = clip(
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
    return Draft(page=page, links=links, tags=common_tags(generator), uses=uses)


# --- Writing to the database -----------------------------------------------------------------


def load_vocabulary() -> Vocabulary:
    """The ids synthetic fiches link to; the tags are created once if missing."""
    questions = list(Question.objects.values_list("pk", flat=True))
    if not questions:
        raise ValueError("La taxonomie est vide : chargez d'abord le commun (manage.py load_commons).")
    return Vocabulary(
        questions=questions,
        phases=list(Phase.objects.values_list("pk", flat=True)),
        defis=list(Defi.objects.values_list("pk", flat=True)),
        # Second-level thèmes only, as editors choose them; the parents are counted through them.
        themes=list(Theme.objects.filter(parent__isnull=False).values_list("pk", flat=True)),
        associations=list(Association.objects.values_list("pk", flat=True)),
        tags=[tag_id(name) for name in TAG_NAMES],
        synthetic_tag=tag_id(SYNTHETIC_TAG),
    )


def tag_id(name: str) -> int:
    """The id of the tag `name` (case-insensitive, as TAGGIT_CASE_INSENSITIVE asks), created if needed."""
    tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
    return tag.pk


def next_child_position(parent: Page) -> int:
    """The position after the parent's last child (gaps left by deleted pages are not reused)."""
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    return Page._str2int(last[-Page.steplen :]) + 1 if last else 1


def place_in_tree(pages: list[Page], parent: Page) -> None:
    """Give each page its materialized path, depth and URL path, as `add_child` would."""
    position = next_child_position(parent)
    for offset, page in enumerate(pages):
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, position + offset)
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"


def render_html_fields(page: Page, rendered: dict[str, str]) -> None:
    """Fill every `<field>_html` from its Markdown `<field>`, rendering each distinct text once."""
    names = {f.name for f in page._meta.concrete_fields}
    for name in names:
        source = name.removesuffix("_html")
        if name.endswith("_html") and source in names:
            text = getattr(page, source)
            if text not in rendered:
                rendered[text] = render_markdown(text)
            setattr(page, name, rendered[text])


def insert_base_rows(pages: list[Page]) -> None:
    """Bulk-create the `wagtailcore_page` rows and copy their new ids to the concrete pages."""
    columns = [f.attname for f in Page._meta.local_concrete_fields if not f.primary_key]
    rows = [Page(**{name: getattr(page, name) for name in columns}) for page in pages]
    Page.objects.bulk_create(rows)
    if rows and rows[0].pk is None:
        raise RuntimeError("La base n'a pas renvoyé les identifiants créés (SQLite 3.35 ou plus requis).")
    for page, row in zip(pages, rows, strict=True):
        page.pk = page.page_ptr_id = row.pk


def insert_concrete_rows(model, pages: list[Page]) -> None:
    """Insert the rows of the concrete page table (Django's bulk_create refuses child models)."""
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names come from the model, values are parameters
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    values = [
        [f.get_db_prep_save(getattr(page, f.attname), connection=connection) for f in fields]
        for page in pages
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def insert_links(model, drafts: list[Draft]) -> None:
    """Bulk-create the many-to-many rows of every relation of the drafts, and their tags."""
    for relation in {name for draft in drafts for name in draft.links}:
        field_ = model._meta.get_field(relation)
        through = field_.remote_field.through
        page_column, term_column = f"{field_.m2m_field_name()}_id", f"{field_.m2m_reverse_field_name()}_id"
        through.objects.bulk_create(
            through(**{page_column: draft.page.pk, term_column: term})
            for draft in drafts
            for term in draft.links[relation]
        )
    tag_through = model._meta.get_field("tags").through
    tag_through.objects.bulk_create(
        tag_through(content_object_id=draft.page.pk, tag_id=tag) for draft in drafts for tag in draft.tags
    )


def insert_method_uses(drafts: list[Draft]) -> None:
    from territories.models import MethodUse

    MethodUse.objects.bulk_create(
        MethodUse(page_id=draft.page.pk, method_id=method_id, how_it_went=text, sort_order=order)
        for draft in drafts
        for order, (method_id, text) in enumerate(draft.uses)
    )


def insert_batch(model, parent: Page, drafts: list[Draft], rendered: dict[str, str]) -> list[int]:
    """Write one batch of drafted pages and everything linked to them, all or nothing."""
    pages = [draft.page for draft in drafts]
    with transaction.atomic():
        place_in_tree(pages, parent)
        for page in pages:
            render_html_fields(page, rendered)
        insert_base_rows(pages)
        insert_concrete_rows(model, pages)
        insert_links(model, drafts)
        insert_method_uses(drafts)
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    return [page.pk for page in pages]


def index_pages(model, ids: list[int], log: Log) -> None:
    """Add the new pages to every search backend, in batches, as `update_index` would."""
    backends = list(get_search_backends(with_auto_update=True))
    for start in range(0, len(ids), INDEX_BATCH_SIZE):
        objects = list(model.get_indexed_objects().filter(pk__in=ids[start : start + INDEX_BATCH_SIZE]))
        for backend in backends:
            backend.add_bulk(model, objects)
    log(f"  index de recherche : {len(ids)} {model._meta.verbose_name_plural}")


def chunks(count: int, size: int) -> Iterator[range]:
    for start in range(0, count, size):
        yield range(start, min(count, start + size))


# --- Entry points ------------------------------------------------------------------------------


def populate(
    methods: int = 0,
    territories: int = 0,
    tools: int = 0,
    seed: int = 0,
    batch_size: int = BATCH_SIZE,
    log: Log = print,
) -> dict[str, int]:
    """Add synthetic tools, methods and territories, published under their index pages.

    Returns the number of pages created per kind. Prints progress and elapsed time through `log`.
    """
    started = time.monotonic()
    home = ensure_site_tree()
    generator = Generator(
        rng=random.Random(seed),
        vocabulary=load_vocabulary(),
        locale_id=Locale.get_default().pk,
        now=timezone.now(),
    )
    wanted = {"tools": tools, "methods": methods, "territories": territories}
    created: dict[str, int] = {}
    for kind, model, index_model, draft in page_kinds():
        if not wanted[kind]:
            continue
        refresh_link_targets(generator)
        parent = index_model.objects.child_of(home).get()
        ids = create_pages(generator, model, parent, draft, wanted[kind], batch_size, log, started)
        index_pages(model, ids, log)
        created[kind] = len(ids)
    bump_content_generation()  # bulk inserts send no signal
    refresh_planner_statistics()
    log(f"Terminé en {time.monotonic() - started:.1f} s : {created}")
    return created


def refresh_planner_statistics() -> None:
    """After a bulk load PostgreSQL's planner still believes the tables small (and would scan them
    whole); ANALYZE tells it their new sizes at once instead of waiting for autovacuum."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def refresh_link_targets(generator: Generator) -> None:
    """Synthetic methods use synthetic tools, territories synthetic methods (of any run).

    Demo fiches are left out on purpose: linking thousands of synthetic fiches to them would
    change the demo pages (a demo tool listing 2,000 methods) instead of only adding pages.
    """
    from methods.models import MethodPage, ToolPage

    generator.tool_ids = list(synthetic_pages(ToolPage).values_list("pk", flat=True))
    generator.method_ids = list(synthetic_pages(MethodPage).values_list("pk", flat=True))


def create_pages(generator, model, parent, draft, count, batch_size, log: Log, started: float) -> list[int]:
    """Draft and insert `count` pages of `model` under `parent`, batch by batch."""
    first_serial = next_serial(model)
    ids: list[int] = []
    for batch in chunks(count, batch_size):
        drafts = [draft(generator, first_serial + n) for n in batch]
        ids += insert_batch(model, parent, drafts, generator.rendered)
        elapsed = time.monotonic() - started
        log(f"  {model._meta.verbose_name_plural} : {len(ids)}/{count} ({elapsed:.1f} s)")
    return ids


def clear(batch_size: int = BATCH_SIZE, log: Log = print) -> int:
    """Delete every synthetic page, its links, tags and search entries; leave everything else."""
    started = time.monotonic()
    page_ids = list(synthetic_pages().order_by("pk").values_list("pk", flat=True))
    # Wagtail would update the search and reference indexes page by page (a few queries each,
    # minutes for 10,000 pages); their rows are deleted in bulk below instead.
    with disable_reference_index_auto_update(), search_delete_handler_muted():
        for batch in chunks(len(page_ids), batch_size):
            delete_pages([page_ids[n] for n in batch])
            log(f"  supprimées : {batch.stop}/{len(page_ids)} ({time.monotonic() - started:.1f} s)")
    delete_unused_synthetic_tags()
    bump_content_generation()
    log(f"Contenu synthétique supprimé en {time.monotonic() - started:.1f} s : {len(page_ids)} pages")
    return len(page_ids)


@transaction.atomic
def delete_pages(page_ids: list[int]) -> None:
    """Delete these pages with everything that cascades from them, and their index entries."""
    delete_index_entries(page_ids)
    delete_reference_entries(page_ids)
    pages = Page.objects.filter(pk__in=page_ids)
    # A live page is unpublished one by one before deletion (Wagtail's pre_delete handler);
    # unpublishing them all at once first skips that: they are gone at the end of the batch.
    pages.update(live=False)
    # Treebeard's queryset delete keeps the parents' numchild right; the cascade takes the
    # concrete rows, the many-to-many and tag rows and the method uses with the pages.
    pages.delete()


@contextmanager
def search_delete_handler_muted():
    """Disconnect the search index's per-object post_delete handler from the page models."""
    senders = [Page, *[kind[1] for kind in page_kinds()]]
    muted = [
        sender for sender in senders if post_delete.disconnect(post_delete_signal_handler, sender=sender)
    ]
    try:
        yield
    finally:
        for sender in muted:
            post_delete.connect(post_delete_signal_handler, sender=sender)


def page_content_type_ids() -> list[int]:
    """Content types a page may be indexed or referenced as: Page and every synthetic type."""
    models = [Page, *[kind[1] for kind in page_kinds()]]
    return [content_type.pk for content_type in ContentType.objects.get_for_models(*models).values()]


def delete_index_entries(page_ids: list[int]) -> None:
    """Remove the search entries of these pages, whichever page type they were indexed as."""
    IndexEntry.objects.filter(
        content_type__in=page_content_type_ids(), object_id__in=[str(pk) for pk in page_ids]
    ).delete()


def delete_reference_entries(page_ids: list[int]) -> None:
    """Remove the reference index rows from and to these pages (set when edited in the admin)."""
    content_types, object_ids = page_content_type_ids(), [str(pk) for pk in page_ids]
    ReferenceIndex.objects.filter(base_content_type__in=content_types, object_id__in=object_ids).delete()
    ReferenceIndex.objects.filter(to_content_type__in=content_types, to_object_id__in=object_ids).delete()


def delete_unused_synthetic_tags() -> None:
    """Delete the tags of the synthetic vocabulary that nothing is tagged with any more."""
    from taggit.models import TaggedItem

    from methods.models import MethodPageTag, ToolPageTag
    from territories.models import TerritoryPageTag

    used = set()
    for through in (MethodPageTag, ToolPageTag, TerritoryPageTag, TaggedItem):
        used |= set(through.objects.values_list("tag_id", flat=True).distinct())
    names = [SYNTHETIC_TAG, *TAG_NAMES]
    for tag in Tag.objects.filter(name__in=names).exclude(pk__in=used):
        tag.delete()
