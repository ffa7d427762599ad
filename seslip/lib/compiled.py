"""Querysets built and compiled to SQL once per process, then run with each render's values.

Building a queryset through the ORM and compiling it to SQL costs about half a millisecond of
Python a query, more than running it: most of an uncached update page's render was that, for
queries whose shape never changes (only an update's id, or the time, differs). A `CompiledOnce`
builds its queryset with stand-ins for those values and compiles it, once per database (twice
in fact, with two sets of stand-ins: the parameters that differ are the values' places, so no
other parameter is mistaken for one); each call then hands back a copy of that queryset that
runs the SQL kept, with the call's values in those places. What comes back is an ordinary
queryset: its rows are model instances with what select_related fetched and its
prefetch_related lookups done, exactly as the ORM's own.

Changing the copy (filter(), order_by(), a slice, count(), get(), first()) makes a queryset that
would be compiled afresh, still holding the stand-ins: it is refused (`CompiledQuery.clone`).
Where a value does not reach the parameters as itself (SQLite passes times and days on as
text), the queryset is built with the call's values each time instead, as without this. The SQL
kept is forgotten when a setting changes (tests do), as Django forgets its own caches.
"""

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.sql import Query
from django.dispatch import receiver

# Within every integer column's range (Django finds nothing for a number out of it, at compile time)
_numbers = itertools.count(2_000_000_001)


def a_number() -> int:
    """A stand-in for an id or a number, unlike any other."""
    return next(_numbers)


def a_time() -> datetime.datetime:
    """A stand-in for a time (aware), unlike any other."""
    return datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(
        seconds=next(_numbers)
    )


def a_day() -> datetime.date:
    """A stand-in for a day, unlike any other."""
    return datetime.date(1900, 1, 1) + datetime.timedelta(days=next(_numbers) % 30_000)


@dataclass(frozen=True, kw_only=True)
class Compiled:
    queryset: QuerySet[Any] = field(repr=False)
    sql: str
    params: tuple[Any, ...]
    # the parameters that are values: (position, which value, the type the ORM gave it)
    slots: tuple[tuple[int, int, type], ...]
    select: Any
    klass_info: Any
    annotation_col_map: Any
    col_count: int
    has_extra_select: bool

    def params_for(self, values: tuple[Any, ...]) -> list[Any]:
        params = list(self.params)
        for position, which, kind in self.slots:
            value = values[which]
            params[position] = value if type(value) is kind else kind(value)
        return params


class CompiledOnce[M: Model]:
    """`CompiledOnce(build, a_number, a_time)`: `build(number, time)` makes the queryset;
    calling it with a number and a time gives that queryset, run from the SQL kept."""

    def __init__(self, build: Callable[..., QuerySet[M]], *kinds: Callable[[], Any]) -> None:
        self.build = build
        self.kinds = kinds
        # per database (alias and vendor): what was compiled, or None where the values did not
        # reach the parameters as themselves (SQLite passes times and days on as text): there
        # the queryset is built with each call's values
        self.kept: dict[tuple[str, str], Compiled | None] = {}
        self.model: Any = None
        EVERY.append(self)

    def __call__(self, *values: Any) -> QuerySet[M]:
        if len(values) != len(self.kinds):
            raise TypeError(f"{len(self.kinds)} values expected, {len(values)} given")
        if self.model is None:
            self.model = self.build(*self.stand_ins()).model
        using = router.db_for_read(self.model)
        key = (using, connections[using].vendor)
        if key not in self.kept:
            self.kept[key] = self.compile(using)
        compiled = self.kept[key]
        if compiled is None:
            return self.build(*values)
        copy = compiled.queryset.all()
        query = copy.query
        query.__class__ = CompiledQuery
        assert isinstance(query, CompiledQuery)
        query.compiled = compiled
        query.compiled_params = compiled.params_for(values)
        return copy

    def stand_ins(self) -> tuple[Any, ...]:
        return tuple(kind() for kind in self.kinds)

    def compile(self, using: str) -> Compiled | None:
        """Compiled twice, with two sets of stand-ins: the parameters that differ are the
        values' places. Not kept (None) if any other parameter differs, a stand-in is not found,
        or a day or a time is not one of the values: one the queryset worked out for itself
        (today, now) would be kept in the SQL."""
        first, second = self.stand_ins(), self.stand_ins()
        queryset = self.build(*first)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        again, params_again = self.build(*second).query.get_compiler(using=using).as_sql()
        if again != sql or len(params_again) != len(params):
            return None
        slots = []
        for position, (one, other) in enumerate(zip(params, params_again, strict=True)):
            if one == other:
                if is_day_or_time(one):
                    return None  # a day or time not given (timezone.localdate()): it would stay
                continue
            which = [k for k in range(len(first)) if one == first[k] and other == second[k]]
            if len(which) != 1:
                return None
            slots.append((position, which[0], type(one)))
        if {which for _, which, _ in slots} != set(range(len(first))):
            return None
        return Compiled(
            queryset=queryset,
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            select=compiler.select,
            klass_info=compiler.klass_info,
            annotation_col_map=compiler.annotation_col_map,
            col_count=compiler.col_count,
            has_extra_select=compiler.has_extra_select,
        )


def is_day_or_time(param: Any) -> bool:
    """A date, time or datetime, or one passed on as text (SQLite's "2026-12-01 …")."""
    if isinstance(param, datetime.date | datetime.time):
        return True
    if isinstance(param, str) and len(param) >= 8 and param[:4].isdigit():
        for kind in (datetime.datetime, datetime.date, datetime.time):
            try:
                kind.fromisoformat(param)
            except ValueError:
                continue
            return True
    return False


class CompiledQuery(Query):
    """The query of a CompiledOnce's copy: its compiler gives the SQL kept, with the values."""

    compiled: Compiled
    compiled_params: list[Any]

    def get_compiler(
        self, using: str | None = None, connection: Any = None, elide_empty: bool = True
    ) -> Any:
        compiler = super().get_compiler(using, connection, elide_empty)
        compiled, params = self.compiled, self.compiled_params
        compiler.select = compiled.select
        compiler.klass_info = compiled.klass_info
        compiler.annotation_col_map = compiled.annotation_col_map
        compiler.col_count = compiled.col_count
        compiler.has_extra_select = compiled.has_extra_select
        compiler.as_sql = lambda *args, **kwargs: (compiled.sql, params)
        return compiler

    def clone(self) -> Any:
        raise TypeError(
            "A compiled-once queryset is run as it is: build what differs into it "
            "(seslip/lib/compiled.py)."
        )


EVERY: list[CompiledOnce[Any]] = []


@receiver(setting_changed)
def forget(**kwargs: Any) -> None:
    """A setting changed (tests do, with override_settings): the SQL is compiled again."""
    for compiled_once in EVERY:
        compiled_once.kept.clear()
