"""The exports are streamed: the memory they hold does not grow with the number of fiches."""

import tracemalloc

import pytest

from commons.opendata import csv_export, json_export, records
from tests.conftest import publish
from tests.factories import MethodPageFactory

pytestmark = pytest.mark.django_db

ADDED = 150  # methods added between the two measures


def peak_memory(chunks) -> tuple[int, int]:
    """(peak bytes allocated while `chunks` is consumed, bytes written)."""
    tracemalloc.start()
    try:
        written = sum(len(chunk) for chunk in chunks)
        return tracemalloc.get_traced_memory()[1], written
    finally:
        tracemalloc.stop()


def exports():
    return [
        json_export.commons_json_chunks("https://example.org"),
        csv_export.fiches_csv_chunks("methods", "https://example.org"),
    ]


def test_peak_memory_does_not_grow_with_the_number_of_fiches(method_index, monkeypatch):
    # Small fetches and chunks, so that a few dozen fiches already span many of them.
    monkeypatch.setattr(records, "ROWS_PER_FETCH", 10)
    monkeypatch.setattr(json_export, "FICHES_PER_CHUNK", 10)
    monkeypatch.setattr(csv_export, "ROWS_PER_CHUNK", 10)
    for chunks in exports():  # the vocabulary and the site's paths are cached once
        peak_memory(chunks)
    before = [peak_memory(chunks) for chunks in exports()]
    for n in range(ADDED):
        page = MethodPageFactory(parent=method_index, title=f"Méthode en nombre {n}", body="")
        page.tags.set([f"mot-{n % 5}"])
        publish(page)
    for chunks in exports():
        peak_memory(chunks)
    after = [peak_memory(chunks) for chunks in exports()]
    for (peak, size), (peak_after, size_after) in zip(before, after, strict=True):
        grown = size_after - size
        assert grown > ADDED * 300  # the export did grow…
        assert peak_after - peak < grown / 4, (peak, peak_after, size, size_after)  # …its memory did not
