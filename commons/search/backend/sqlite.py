"""Wagtail's SQLite (FTS5) backend with French stemming and field weights.

FTS5's `unicode61` tokenizer already folds case and removes accents, but it does not stem, and
Wagtail's SQLite backend ranks every column alike and ignores field boosts. So:

- the title and body columns store the *index forms* of the words (`french.stemmed_text`), and
  query words go through the same function, so "mobiliser" finds "mobilisation";
- in the body column, a field boosted `n` times is written `n` times: BM25 counts occurrences,
  so a word of the summary (boost 2) weighs more than one of the body;
- results are ranked by `bm25()` with the title column weighing `TITLE_WEIGHT` times the body;
- query words are reduced to letters and digits before they reach FTS5's query syntax, so quotes
  and operators typed by the public cannot break it.

The autocomplete column keeps the plain titles: prefixes are matched on whole words, accents and
case folded by FTS5 itself. Indexing goes through `add_items`, as `update_index`, the save
signals and `bench.synthetic.index_pages` (bulk) all do.
"""

from django.db.models import FloatField, Func, IntegerField
from django.db.models.functions import Cast
from django.utils.functional import cached_property

from modelsearch.backends.database.sqlite import sqlite
from modelsearch.backends.database.sqlite.query import Lexeme, SearchQueryExpression
from modelsearch.index import AutocompleteField, SearchField
from modelsearch.query import Phrase, PlainText
from modelsearch.utils import get_content_type_pk

from . import french

TITLE_WEIGHT = 10.0
# Columns of the FTS5 table, in the order modelsearch created it: autocomplete, body, title.
COLUMN_WEIGHTS = (0.0, 1.0, TITLE_WEIGHT)


def integer_primary_key(model) -> bool:
    key = model._meta.pk
    while key.is_relation:  # a child model's key is the link to its parent
        key = key.target_field
    return isinstance(key, IntegerField)


def repeats(field: SearchField) -> int:
    return max(1, round(field.boost or 1))


class FrenchObjectIndexer(sqlite.ObjectIndexer):
    """What one object writes in the index: stemmed title and body, boosted fields repeated."""

    def searchable_values(self, in_title: bool):
        for field in self.search_fields:
            for current_field, value in self.prepare_field(self.obj, field):
                if (
                    isinstance(current_field, SearchField)
                    and (current_field.field_name == "title") == in_title
                ):
                    yield current_field, value

    @cached_property
    def title(self):
        return french.stemmed_text(" ".join(value for _field, value in self.searchable_values(True)))

    @cached_property
    def body(self):
        texts = []
        for field, value in self.searchable_values(False):
            texts.extend([french.stemmed_text(value)] * repeats(field))
        return " ".join(texts)


class FrenchSQLiteIndex(sqlite.SQLiteIndex):
    def add_items(self, model, objs):
        # As SQLiteIndex.add_items, with FrenchObjectIndexer (the parent names its indexer class
        # directly, so the method is restated rather than extended).
        if not model.get_search_fields():
            return
        data = {}
        for obj in objs:
            indexer = FrenchObjectIndexer(obj, self.backend)
            data[indexer.id] = {
                "title": indexer.title,
                "autocomplete": indexer.autocomplete,
                "body": indexer.body,
            }
        if not data:
            return
        entries = self.entries.filter(content_type_id=get_content_type_pk(model))
        indexed = set(entries.filter(object_id__in=data).values_list("object_id", flat=True))
        for object_id in indexed:
            entries.filter(object_id=object_id).update(**data[object_id])
        self.entries.bulk_create(
            sqlite.IndexEntry(content_type_id=get_content_type_pk(model), object_id=object_id, **values)
            for object_id, values in data.items()
            if object_id not in indexed
        )
        self._refresh_title_norms()


class WeightedBM25(Func):
    """`bm25()` of the FTS5 table with a weight per column (lower is better, as bm25 goes)."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        weights = ", ".join(["%s"] * len(COLUMN_WEIGHTS))
        return f"bm25({sqlite.SQLiteFTSIndexEntry._meta.db_table}, {weights})", list(COLUMN_WEIGHTS)


class FrenchSQLiteSearchQueryCompiler(sqlite.SQLiteSearchQueryCompiler):
    def query_words(self, text: str) -> list[str]:
        return [french.stem(word) for word in french.words(text)]

    def build_search_query_content(self, query, config=None):
        if isinstance(query, PlainText):
            words = self.query_words(query.query_string)
            if not words:
                return None
            lexemes = Lexeme(words[-1], prefix=self.LAST_TERM_IS_PREFIX)
            for word in words[:-1]:
                if query.operator.upper() == "AND":
                    lexemes &= Lexeme(word)
                else:
                    lexemes |= Lexeme(word)
            return SearchQueryExpression(lexemes, config=config)
        if isinstance(query, Phrase):
            # Only letters, digits and spaces: nothing can close the quotes FTS5 puts around it.
            return SearchQueryExpression(" ".join(self.query_words(query.query_string)))
        return super().build_search_query_content(query, config=config)

    def _build_rank_expression(self, vectors, config):
        return WeightedBM25()

    def search(self, config, start, stop, score_field=None):
        query = sqlite.normalize(self.query)
        if isinstance(query, PlainText) and not self.query_words(query.query_string):
            return self.queryset.none()  # nothing searchable (punctuation only): nothing found
        if not isinstance(query, (PlainText, Phrase, sqlite.And, sqlite.Or)):
            return super().search(config, start, stop, score_field=score_field)  # MatchAll, Not
        # Join the FTS table instead of the parent's correlated subquery, which runs the full-text
        # query again for every result (seconds at a few thousand results). The join condition of
        # the index entries casts the object's key to text, which no index serves; the equality
        # cast the other way lets SQLite fetch each object by its primary key.
        match = sqlite.MatchExpression(
            self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config)
        )
        joined = {"index_entries__sqliteftsindexentry__isnull": False}
        if integer_primary_key(self.queryset.model):
            joined["pk"] = Cast("index_entries__object_id", IntegerField())
        score_field = score_field or "_score"
        queryset = self.queryset.filter(match, **joined).annotate(
            **{score_field: self._build_rank_expression(None, config)}
        )
        if self.order_by_relevance:
            queryset = queryset.order_by(score_field, "-pk")  # bm25: lower is better
        elif not queryset.query.order_by:
            queryset = queryset.order_by("-pk")
        return queryset[start:stop]


class FrenchSQLiteAutocompleteQueryCompiler(FrenchSQLiteSearchQueryCompiler):
    LAST_TERM_IS_PREFIX = True
    TARGET_SEARCH_FIELD_TYPE = AutocompleteField
    FTS_TABLE_FIELDS = ["autocomplete"]

    get_config = sqlite.SQLiteAutocompleteQueryCompiler.get_config
    get_search_fields_for_model = sqlite.SQLiteAutocompleteQueryCompiler.get_search_fields_for_model
    get_index_vectors = sqlite.SQLiteAutocompleteQueryCompiler.get_index_vectors

    def query_words(self, text: str) -> list[str]:
        # The autocomplete column is not stemmed: a prefix is matched as typed, accents folded.
        return [french.fold(word) for word in french.words(text)]

    def _build_rank_expression(self, vectors, config):
        return sqlite.BM25()


class FrenchSQLiteSearchBackend(sqlite.SQLiteSearchBackend):
    query_compiler_class = FrenchSQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = FrenchSQLiteAutocompleteQueryCompiler
    index_class = FrenchSQLiteIndex
