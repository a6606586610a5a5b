"""Close spellings: "concertaton" -> "concertation", from the words of the commons."""

from __future__ import annotations

import difflib
from collections import Counter

from django.core.cache import cache

from commons import fiche_types
from commons.models.association import Association
from commons.search.backend import french
from commons.search.query import MAX_TERMS, live_public_pages
from commons.speed.freshness import content_generation

SPELLINGS_SHOWN = 3
WORDS_TIMEOUT = 24 * 60 * 60


def spelling_words() -> dict[str, str]:
    """Words of the published titles and summaries and of the associations' names, by folded form.

    Read in two queries at most once per content generation, then kept in the cache.
    """
    key = f"commons:search-vocabulary:{content_generation()}"
    words = cache.get(key)
    if words is None:
        words = build_spelling_words()
        cache.set(key, words, WORDS_TIMEOUT)
    return words


def build_spelling_words() -> dict[str, str]:
    summaries = [f"{model._meta.model_name}__summary" for model in fiche_types.fiche_models()]
    rows = live_public_pages().values_list("title", *summaries)
    counts = Counter()
    for row in [*rows, *Association.objects.values_list("name", "full_name")]:
        for text in row:
            counts.update(word for word in french.words(text or "") if len(word) > 2 and not word.isdigit())
    words: dict[str, str] = {}
    for word, _count in counts.most_common():  # the most frequent spelling of each folded form
        words.setdefault(french.fold(word), word)
    return words


def close_words(word: str, words: dict[str, str]) -> list[str]:
    """Folded words of `words` close to the folded `word`, closest first."""
    candidates = [other for other in words if abs(len(other) - len(word)) <= 2]
    return difflib.get_close_matches(word, candidates, n=SPELLINGS_SHOWN, cutoff=0.75)


def spelling_suggestions(query: str) -> list[str]:
    """Queries spelled like the words of the commons: "concertaton" -> ["concertation"]."""
    words = french.words(query)[:MAX_TERMS]
    known = spelling_words()
    known_stems = {french.stem(word) for word in known}
    replacements = {}
    for index, word in enumerate(words):
        folded = french.fold(word)
        if len(folded) < 3 or folded.isdigit() or folded in french.STOP_WORDS or folded in known:
            continue
        if french.stem(folded) in known_stems:
            continue
        close = close_words(folded, known)
        if close:
            replacements[index] = close
    suggestions = []
    for rank in range(SPELLINGS_SHOWN if replacements else 0):
        corrected = [
            known[replacements[index][min(rank, len(replacements[index]) - 1)]]
            if index in replacements
            else word
            for index, word in enumerate(words)
        ]
        suggestion = " ".join(corrected)
        if suggestion not in suggestions:
            suggestions.append(suggestion)
    return suggestions
