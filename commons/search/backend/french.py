"""French words as the search index sees them: lower case, without accents, stemmed.

The chain mirrors PostgreSQL's `french_unaccent` text search configuration (migration
`commons.0004`): `unaccent`, then the French Snowball stemmer (`french_stem` is the same
algorithm as the `snowballstemmer` package). So "Résilience" and "resilience" both become
"resilient", "mobilisation" and "mobiliser" both "mobilis", on SQLite as on PostgreSQL, and the
highlighting of excerpts agrees with what the database matched.
"""

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

# Letters and digits; everything else (punctuation, quotes, operators, "_") separates words.
WORD = re.compile(r"[^\W_]+")
LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})

# Snowball's French stop words, without accents: left out of queries (PostgreSQL drops them too).
_STOP_WORDS = """
    a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions aurons
    auront aux avaient avais avait avec avez aviez avions avons ayant ayez ayons c ce ceci cela ces
    cet cette d dans de des du elle en es est et etaient etais etait etant ete etee etees etes etiez
    etions eu eue eues eumes eurent eus eusse eussent eusses eussiez eussions eut eutes eux furent fus
    fusse fussent fusses fussiez fussions fut futes il ils j je l la le les leur lui m ma mais me meme
    mes moi mon n ne nos notre nous on ont ou par pas pour qu que qui s sa se sera serai seraient
    serais serait seras serez seriez serions serons seront ses soi soient sois soit sommes son sont
    soyez soyons suis sur t ta te tes toi ton tu un une vos votre vous y
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

_local = threading.local()


def words(text: str) -> list[str]:
    """The words of `text`, in order, as written."""
    return WORD.findall(text)


def fold(word: str) -> str:
    """Lower case, ligatures spelled out, accents removed: "Œuvrer" -> "oeuvrer", "élus" -> "elus"."""
    decomposed = unicodedata.normalize("NFKD", word.lower().translate(LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _stemmer():
    # Snowball stemmers keep state while they work: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("french")
    return stemmer


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The index form of one word: folded, then stemmed ("Mobilisation" -> "mobilis")."""
    return _stemmer().stemWord(fold(word))


def stemmed_text(text: str) -> str:
    """`text` as a space-separated list of index forms; punctuation is dropped."""
    return " ".join(stem(word) for word in WORD.findall(text))
