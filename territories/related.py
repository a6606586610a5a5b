"""Territories related to a territory, ranked in memory like the methods' (`commons.speed.bitmaps`).

Ranking every live territory by the questions it shares with the one shown is an aggregate over
the whole link table: 13 ms per page on PostgreSQL at 2,000 territories. Here the territories get a
position in title order and each question a bitmap, built in two queries once per content
generation; `related_ids` then ranks them by bit-sliced counting, as for the methods.
"""

from commons.speed.bitmaps import FacetIndex, add_bit, related_ids, title_key
from commons.speed.freshness import per_generation

KIND = "territoire"


def related_territory_ids(page_id: int, limit: int) -> list[int] | None:
    """Live public territories sharing the most questions with this one, ties in title order;
    None when it is not one of them (a draft, a preview)."""
    return related_ids(territory_index(), page_id, KIND, limit, facets=("question",))


def territory_index() -> FacetIndex:
    return per_generation("territory-index", build_territory_index)


def build_territory_index() -> FacetIndex:
    from territories.models import TerritoryPage

    rows = sorted(
        TerritoryPage.objects.live().public().values_list("pk", "title"),
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
