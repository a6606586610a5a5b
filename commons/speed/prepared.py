"""Querysets compiled to SQL once per process, then run again with other values.

Django turns a queryset into SQL at every evaluation. For a Wagtail page (forty columns over
joined tables) or a union of five link tables that costs 1 to 2 ms, two to four times what
PostgreSQL takes to run the query. The queries that serve a fiche never change shape, only the
page id they ask about: each is compiled once with marker values standing for its parameters,
and later runs put the real values where the markers were.

A run goes through Django's cursor (query counting, `execute_wrapper` and the SQLite `%s` → `?`
translation apply), Django's value converters (SQLite dates and JSON come back as Python
objects) and `Model.from_db`, so what comes back is what the queryset itself would give.
Only what the shape allows is supported: plain model instances (with annotations and deferred
fields, without `select_related`) or `values_list` tuples.
"""

from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

from commons.speed import shortcuts

# Parameter markers: values no real query passes (ids are positive). A builder may pass one to a
# text field (`object_id=str(marker)`): its text form is recognised too.
MARKERS = tuple(-7_300_000_001 - slot for slot in range(100))

_prepared: dict[tuple, "PreparedQuery"] = {}


class PreparedQuery:
    """`build(*markers)`'s SQL, compiled once; `objects(*values)` or `rows(*values)` runs it."""

    def __init__(self, build: Callable[..., QuerySet], arity: int):
        if arity > len(MARKERS):
            raise ValueError(f"A prepared query takes at most {len(MARKERS)} values.")
        queryset = build(*MARKERS[:arity])
        self.db = queryset.db
        compiler = queryset.query.get_compiler(using=self.db)
        self.sql, params = compiler.as_sql()
        self.params = [_slot(param, arity) for param in params]
        missing = set(range(arity)) - {slot for slot, _ in self.params if slot is not None}
        if missing:
            raise ValueError(f"The query does not use markers {sorted(missing)}.")
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters = [
            (position, converters, expression)
            for position, (converters, expression) in compiler.get_converters(fields).items()
        ]
        klass_info = compiler.klass_info
        self.model = klass_info["model"] if klass_info and not compiler.query.values_select else None
        if self.model is not None:
            if klass_info.get("related_klass_infos"):
                raise ValueError("select_related() is not supported by a prepared query.")
            selected = klass_info["select_fields"]
            self.model_columns = slice(selected[0], selected[-1] + 1)
            self.init_list = [column[0].target.attname for column in compiler.select[self.model_columns]]
            self.annotations = list(compiler.annotation_col_map.items())

    def rows(self, *values) -> list[tuple]:
        """The result rows, converted to Python values as Django would."""
        params = [param if slot is None else _like(param, values[slot]) for slot, param in self.params]
        connection = connections[self.db]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if not self.converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, converters, expression in self.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted

    def objects(self, *values) -> list:
        """The result as model instances, like iterating the queryset."""
        instances = []
        for row in self.rows(*values):
            instance = self.model.from_db(self.db, self.init_list, row[self.model_columns])
            for name, position in self.annotations:
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances


def _slot(param, arity: int) -> tuple[int | None, object]:
    for slot, marker in enumerate(MARKERS[:arity]):
        if param == marker or param == str(marker):
            return slot, param
    return None, param


def _like(marker, value):
    """`value` in the marker's type: text where the builder passed `str(marker)`."""
    return str(value) if isinstance(marker, str) else value


class FrameworkQuery:
    """The fallback: the queryset built with the values and evaluated by Django, every time."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build

    def rows(self, *values) -> list[tuple]:
        return list(self.build(*values))

    def objects(self, *values) -> list:
        return list(self.build(*values))


def prepared(key: tuple, build: Callable[..., QuerySet], arity: int = 1) -> PreparedQuery:
    """The prepared query `key` of this process, compiled from `build` the first time.

    `key` must name everything the SQL depends on besides the markers (model, relation names, the
    number of values in an `IN`, the view restrictions a `.public()` reads…).
    """
    if not shortcuts.enabled("prepared_queries"):
        return FrameworkQuery(build)
    query = _prepared.get(key)
    if query is None:
        query = _prepared[key] = PreparedQuery(build, arity)
    return query
