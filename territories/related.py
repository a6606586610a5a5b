"""Territories related to a territory, ranked in memory like the methods' (`commons.speed.bitmaps`).

Ranking every live territory by the questions it shares with the one shown is an aggregate over
the whole link table: 13 ms per page on PostgreSQL at 2,000 territories. Here the territories get a
position in title order and each question a bitmap, built in two queries once per content
generation; `commons.speed.bitmaps.related_ids` then ranks them by bit-sliced counting, as for
the methods.
"""

from django.apps import apps

from commons.speed.bitmaps import FacetIndex, add_bit
from commons.speed.freshness import per_generation
from commons.speed.listing import title_key

KIND = "territoire"


def territory_index() -> FacetIndex:
    return per_generation("territory-index", build_territory_index)


def build_territory_index() -> FacetIndex:
    # Read from the registry: territories.models imports this module.
    TerritoryPage = apps.get_model("territories", "TerritoryPage")  # noqa: N806 - a model class
    rows = sorted(
        TerritoryPage.objects.live_public().values_list("pk", "title"),
        key=lambda row: (title_key(row[1]), row[0]),
    )
    index = FacetIndex(ids=[page_id for page_id, _title in rows], recent=[])
    index.bitmaps[("type", KIND)] = index.everything
    positions, add = index.positions, add_bit(index)
    links = TerritoryPage.questions.through.objects.values_list("territorypage_id", "question_id")
    for page_id, question_id in links:
        if page_id in positions:
            add("question", str(question_id), positions[page_id])
    return index
