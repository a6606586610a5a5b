"""The bitmap index behind `/methodes/`: size bands, ordering, paging, rebuilds on change."""

import pytest

from commons.speed.bitmaps import FacetIndex, SizeBand, facet_index, title_key
from methods.facets import FACETS, GROUP_SIZE_BANDS
from methods.models import MethodPage, ToolPage
from tests.conftest import publish
from tests.factories import MethodPageFactory

BAND = SizeBand("12-a-30", "De 12 à 30 personnes", 12, 30)
OPEN_BAND = SizeBand("plus-de-100", "Plus de 100 personnes", 101)


@pytest.mark.parametrize(
    ("size_min", "size_max", "fits"),
    [
        (5, 15, True),  # overlaps the bottom of the band
        (25, 60, True),  # overlaps the top
        (12, 30, True),
        (2, 11, False),
        (31, 80, False),
        (None, 20, True),  # "up to 20": from 1 to 20
        (None, 8, False),
        (20, None, True),  # "from 20": no upper limit
        (40, None, False),
        (None, None, False),  # says nothing about its group
    ],
)
def test_a_method_fits_a_band_when_the_ranges_overlap(size_min, size_max, fits):
    assert BAND.fits(size_min, size_max) is fits


def test_open_band_and_bands_cover_every_size():
    assert OPEN_BAND.fits(150, None) and OPEN_BAND.fits(50, 500) and not OPEN_BAND.fits(10, 100)
    for size in (1, 11, 12, 30, 31, 100, 101, 10_000):
        assert any(band.fits(size, size) for band in GROUP_SIZE_BANDS), size


def test_title_order_ignores_accents_and_case():
    titles = ["Zèbre", "écoute active", "Ecole", "abri"]
    assert sorted(titles, key=title_key) == ["abri", "Ecole", "écoute active", "Zèbre"]


def test_paging_through_a_bitmap():
    index = FacetIndex(ids=[10, 11, 12, 13, 14, 15], recent=[5, 4, 3, 2, 1, 0])
    mask = 0b101101  # positions 0, 2, 3, 5
    assert index.ids_in_title_order(mask, 0, 3) == [10, 12, 13]
    assert index.ids_in_title_order(mask, 3, 3) == [15]
    assert index.ids_in_title_order(0, 0, 3) == []
    assert index.ids_in_order(mask, index.recent, 0, 2) == [15, 13]
    assert index.ids_in_order(mask, index.recent, 2, 20) == [12, 10]
    assert index.bitmap_of_ids([12, 15, 999]) == 0b100100


@pytest.mark.django_db
def test_index_holds_every_live_public_fiche_in_title_order():
    index = facet_index(FACETS)
    expected = MethodPage.objects.live().count() + ToolPage.objects.live().count()
    assert len(index.ids) == expected
    titles = dict(MethodPage.objects.values_list("pk", "title"))
    titles |= dict(ToolPage.objects.values_list("pk", "title"))
    ordered = [title_key(titles[page_id]) for page_id in index.ids]
    assert ordered == sorted(ordered)
    assert index.bitmap("type", "methode").bit_count() == MethodPage.objects.live().count()


@pytest.mark.django_db
def test_index_is_rebuilt_after_a_publication(method_index):
    before = facet_index(FACETS)
    page = publish(MethodPageFactory(parent=method_index, title="Nouvelle méthode indexée"))
    after = facet_index(FACETS)
    assert after is not before
    assert page.pk in after.ids and page.pk not in before.ids
    page.unpublish()
    assert page.pk not in facet_index(FACETS).ids


@pytest.mark.django_db
@pytest.mark.usefixtures("with_shortcuts")
def test_index_is_reused_while_nothing_changes():
    assert facet_index(FACETS) is facet_index(FACETS)
