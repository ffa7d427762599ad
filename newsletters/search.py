"""Search over news items, actions and Tools & Templates.

PostgreSQL ranks with its full-text search on the stored search vectors (GIN-indexed, kept
current by the database: seslip/lib/search.py); SQLite, used in
development, matches every word with icontains and ranks by how often the words occur.
Snippets are plain text, escaped, with the matched words wrapped in <mark>, cut in Python on
both databases. On PostgreSQL each query's SQL is built through the ORM once per process, with
stand-ins for the time and the search (ranked_sql, dcs_only_count_sql): building it again for
every search cost more CPU time than the rest of the search.
"""

import datetime
import functools
import html
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Func, Max, Min, OuterRef, Q, Subquery, Value, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from seslip.lib.search import SEARCH_CONFIG

from .html import html_to_text
from .models import Action, IssueResource, NewsItem, Resource, is_published

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 20
# A broad search ranks only the newest this many news items, actions and Tools & Templates it
# matches in each group, found newest first through an index (publication time; the actions'
# ids): "children" matches nearly every item, and ranking them all cost 40 ms at 6,000 updates.
# The page says when it did so.
CANDIDATES = 100
NEWEST_FIRST = {
    NewsItem: ("-published_from", "-pk"),
    Resource: ("-published_from", "-pk"),
    Action: ("-pk",),  # the most recently added
}
MAX_WORDS = 10
SNIPPET_CHARS = 240
STEM_ENDING = re.compile(r"(?:ing|ers|ed|er|es|s)$", re.IGNORECASE)
# The fields SQLite's search looks in (PostgreSQL's stored vectors are made of the same).
ITEM_FIELDS = ("title", "update_text", "action_text")
ACTION_FIELDS = ("description",)
RESOURCE_FIELDS = ("title", "description")
BLOCK_END = re.compile(r"</(?:p|li|ul|ol)>|<br\s*/?>", re.IGNORECASE)


@dataclass
class Result:
    title: str
    snippet: str
    url: str
    issue_number: int | None


def query_words(query):
    return re.findall(r"\w+", query)[:MAX_WORDS]


def highlight(text, words):
    """Escape `text` and wrap each occurrence of a word in <mark> (words matched on plain text)."""
    if not words:
        return mark_safe(html.escape(text))
    parts = word_pattern(tuple(words)).split(text)
    return mark_safe(
        "".join(
            f"<mark>{html.escape(part)}</mark>" if i % 2 else html.escape(part)
            for i, part in enumerate(parts)
        )
    )


@functools.lru_cache(maxsize=256)
def word_pattern(words):
    """The pattern highlight() splits on, made once for a search's words, not for each result."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"((?:{alternatives})\w*)", re.IGNORECASE)


def plain_text(markup):
    """Text of stored HTML with paragraphs and list items kept apart by a space."""
    return re.sub(r"\s+", " ", html_to_text(BLOCK_END.sub(" ", markup or ""))).strip()


def window(text, words):
    """About SNIPPET_CHARS of `text` around the first matched word, starting on a word."""
    lowered = text.lower()
    hits = [lowered.find(w.lower()) for w in words if w.lower() in lowered]
    start = max(0, min(hits) - SNIPPET_CHARS // 3) if hits else 0
    if start:
        start = text.find(" ", start) + 1 or start
    piece = text[start : start + SNIPPET_CHARS]
    return ("…" if start else "") + piece + ("…" if start + SNIPPET_CHARS < len(text) else "")


def addresses(name):
    """A function from a number to the address of the page named `name` (an update's, a news
    item's): one reverse() for a search's results (each cost a tenth of a millisecond), not one
    for each."""
    marker = 9_876_543_210
    head, tail = reverse(name, args=[marker]).split(str(marker))
    return lambda number: f"{head}{number}{tail}"


def search_everything(query, *, dcs=False):
    """Ranked results in three groups: news items, actions, Tools & Templates."""
    words = query_words(query)
    if not words:
        return {"items": [], "actions": [], "resources": [], "words": words, "withheld": 0}
    if connection.vendor == "postgresql":
        found = postgres_search(query, words, dcs=dcs)
    else:
        found = simple_search(query, words, **searched_rows(dcs=dcs))
    return {**found, "words": words, "withheld": 0 if dcs else dcs_only_matches(query, words)}


def searched_rows(*, dcs, now=None):
    """The news items, actions and Tools & Templates a reader may find, each with the number of
    the latest update published by `now` that printed it (`issue_number`), an action with its
    item's title and publication time (`item_title`, `item_published_from`)."""
    return {
        "items": NewsItem.objects.readable(dcs=dcs, now=now).with_issue_number(now),
        "actions": Action.objects.readable(dcs=dcs, now=now)
        .with_issue_number(now)
        .annotate(item_title=F("item__title"), item_published_from=F("item__published_from")),
        "resources": Resource.objects.readable(dcs=dcs, now=now).annotate(
            issue_number=Subquery(
                IssueResource.objects.filter(
                    is_published(now, via="issue__"), resource=OuterRef("pk")
                )
                .order_by()
                .values("resource")
                .annotate(latest=Max("issue__number"))
                .values("latest")
            )
        ),
    }


def dcs_only_matches(query, words):
    """How many “DCSs only” news items, actions and Tools & Templates match: what a DCS would
    find that other readers are not shown. One query; on PostgreSQL its SQL is compiled once per
    process (dcs_only_count_sql), as building it through the ORM cost more than running it."""
    if connection.vendor == "postgresql":
        sql, params = dcs_only_count_sql()
        params = given(params, query)
    else:
        sql, params = count_sql(
            [rows.filter(every_word(words, fields)) for rows, fields in dcs_only_rows()]
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


# Stand-ins for the time and the search in the SQL compiled once: a search's own are put in
# their place among the parameters (found by identity, so no other parameter is mistaken).
SAMPLE_NOW = timezone.now()
SAMPLE_QUERY = "stand-in"


def with_stand_ins(compiled):
    """`compiled` (SQL and parameters) once it is sure both stand-ins are among the parameters,
    and that every time among them is SAMPLE_NOW: no time of compiling is kept by mistake."""
    sql, params = compiled
    times = [param for param in params if isinstance(param, datetime.datetime)]
    if not times or any(param is not SAMPLE_NOW for param in times):
        raise RuntimeError("A time other than the stand-in was compiled into a search query.")
    if not any(param is SAMPLE_QUERY for param in params):
        raise RuntimeError("The ORM copied the search's stand-in: it would never be replaced.")
    return sql, params


def given(params, query):
    """The parameters of SQL compiled with the stand-ins, for this search at this time."""
    values = {id(SAMPLE_NOW): timezone.now(), id(SAMPLE_QUERY): query}
    return [values.get(id(param), param) for param in params]


def dcs_only_rows(now=None):
    """The “DCSs only” news items, actions and Tools & Templates readers may see, with the
    fields SQLite's search looks in."""
    return [
        (NewsItem.objects.readable(dcs=True, now=now).filter(dcs_only=True), ITEM_FIELDS),
        (Action.objects.readable(dcs=True, now=now).filter(item__dcs_only=True), ACTION_FIELDS),
        (Resource.objects.readable(dcs=True, now=now).filter(dcs_only=True), RESOURCE_FIELDS),
    ]


@functools.cache
def dcs_only_count_sql():
    """The SQL and parameters of dcs_only_matches on PostgreSQL, with SAMPLE_NOW and
    SAMPLE_QUERY for the time and the search."""
    search_query = full_text_query(SAMPLE_QUERY)
    return with_stand_ins(
        count_sql(
            [rows.filter(search_vector=search_query) for rows, _ in dcs_only_rows(SAMPLE_NOW)]
        )
    )


def count_sql(matched):
    """One statement adding up the counts of the `matched` querysets."""
    # Three counts in one statement, each a scalar subquery: PostgreSQL plans a count over a
    # UNION ALL of them in parallel, and starting its workers took 10 ms of a 1 ms query.
    counts = [
        rows.order_by().annotate(n=Func(Value(1), function="COUNT")).values("n").query
        for rows in matched
    ]
    compiled = [count.sql_with_params() for count in counts]
    return (
        "SELECT " + " + ".join(f"({sql})" for sql, _ in compiled),
        [param for _, params in compiled for param in params],
    )


def newest_matches(matches):
    """The newest CANDIDATES of `matches`, newest first."""
    return matches.order_by(*NEWEST_FIRST[matches.model])[:CANDIDATES]


def published(row):
    return row.item_published_from if isinstance(row, Action) else row.published_from


def ranked_since(candidates):
    """When the `candidates` ranked were a full set of CANDIDATES: the publication time of the
    oldest (older matches were not ranked), else None."""
    if len(candidates) >= CANDIDATES:
        return min(published(row) for row in candidates)
    return None


def linked(rows):
    """Rows with a published update to link to. A stored publication time (published_from) that
    went stale, through a write that bypassed the models, must not turn a search into an error."""
    return [r for r in rows if r.issue_number is not None]


def item_results(rows, snippet, words):
    """A news item found on its own links to its own page (every update it ran in), as on a
    network's page."""
    item_page = addresses("item_detail")
    return [
        Result(
            highlight(r.title, words),
            snippet(r),
            item_page(r.pk),
            r.issue_number,
        )
        for r in linked(rows)
    ]


def action_results(rows, snippet, words):
    """An action's source: its news item where the update printed it."""
    url = addresses("issue_detail")
    return [
        Result(
            highlight(r.item_title, words),
            snippet(r),
            f"{url(r.issue_number)}#item-{r.item_id}",
            r.issue_number,
        )
        for r in linked(rows)
    ]


def resource_results(rows, snippet, words):
    url = addresses("issue_detail")
    return [
        Result(
            highlight(r.title, words),
            snippet(r),
            f"{url(r.issue_number)}#tools-heading",
            r.issue_number,
        )
        for r in linked(rows)
    ]


# What a result shows, the only fields fetched: not the vectors.
RANKED_FIELDS = {
    "items": ("id", "title", "update_text", "action_text"),
    "actions": ("id", "item_id", "description"),
    "resources": ("id", "title", "description"),
}


@functools.cache
def ranked_sql(group, dcs, candidates, results):
    """The SQL and parameters of one group's ranked query on PostgreSQL, with SAMPLE_NOW and
    SAMPLE_QUERY standing in for the time and the search: compiled once per process (and per
    CANDIDATES and MAX_RESULTS), as building three such queries through the ORM took a third of
    a search's CPU time. The best `results` of the newest `candidates` matches, each row
    annotated with how many candidates there were and the oldest one's publication time (a
    window over them, in the same query)."""
    from django.contrib.postgres.search import SearchRank

    search_query = full_text_query(SAMPLE_QUERY)
    rows = searched_rows(dcs=dcs, now=SAMPLE_NOW)[group].only(*RANKED_FIELDS[group])
    matches = rows.filter(search_vector=search_query).values("pk")
    newest = matches.order_by(*NEWEST_FIRST[rows.model])[:candidates]
    published_from = "item__published_from" if group == "actions" else "published_from"
    ranked = (
        rows.filter(pk__in=newest)
        .annotate(
            rank=SearchRank(F("search_vector"), search_query),
            candidates=Window(Count("pk")),
            oldest=Window(Min(published_from)),
        )
        .order_by("-rank", "-pk")[:results]
    )
    return with_stand_ins(ranked.query.sql_with_params())


def postgres_search(query, words, *, dcs):
    """Ranked on the stored vectors (GIN-indexed). The snippets are cut here, from the text of
    the rows shown: PostgreSQL's ts_headline took half the SQL time of a broad search."""
    found = stems(words)

    def ranked_newest(group, model):
        sql, params = ranked_sql(group, dcs, CANDIDATES, MAX_RESULTS)
        rows = list(model.objects.raw(sql, given(params, query)))
        bounded = rows and rows[0].candidates >= CANDIDATES
        return rows, rows[0].oldest if bounded else None

    def snippet_of(text):
        return lambda row: highlight(window(text(row), found), found)

    def item_text(row):
        return plain_text(f"{row.update_text} {row.action_text}")

    items, items_since = ranked_newest("items", NewsItem)
    actions, actions_since = ranked_newest("actions", Action)
    resources, resources_since = ranked_newest("resources", Resource)
    return {
        "items": item_results(items, snippet_of(item_text), words),
        "actions": action_results(
            actions, snippet_of(lambda row: plain_text(row.description)), words
        ),
        "resources": resource_results(
            resources, snippet_of(lambda row: plain_text(row.description)), words
        ),
        "items_since": items_since,
        "actions_since": actions_since,
        "resources_since": resources_since,
    }


def full_text_query(query):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)


def stems(words):
    """What to mark for each searched word: its stem, roughly, as the full-text search matches
    "fostered" and "foster" for "fostering"."""
    return [STEM_ENDING.sub("", word) if len(word) > 5 else word for word in words]


def every_word(words, fields):
    """Rows with each of `words` in one of `fields` at least (SQLite's search)."""
    condition = Q()
    for word in words:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition


def simple_search(query, words, items, actions, resources):
    def score(title, text):
        title, text = title.lower(), text.lower()
        return sum(3 * title.count(w.lower()) + text.count(w.lower()) for w in words)

    def top(rows, title, text):
        scored = sorted(rows, key=lambda r: (-score(title(r), text(r)), -(r.issue_number or 0)))
        return scored[:MAX_RESULTS]

    def item_text(r):
        return plain_text(f"{r.update_text} {r.action_text}")

    item_candidates = list(newest_matches(items.filter(every_word(words, ITEM_FIELDS))))
    item_rows = top(item_candidates, lambda r: r.title, item_text)
    action_candidates = list(newest_matches(actions.filter(every_word(words, ACTION_FIELDS))))
    action_rows = top(action_candidates, lambda r: "", lambda r: r.description)
    resource_candidates = list(newest_matches(resources.filter(every_word(words, RESOURCE_FIELDS))))
    resource_rows = top(resource_candidates, lambda r: r.title, lambda r: r.description)
    found = stems(words)
    return {
        "items": item_results(
            item_rows, lambda r: highlight(window(item_text(r), found), found), words
        ),
        "actions": action_results(
            action_rows, lambda r: highlight(window(r.description, found), found), words
        ),
        "resources": resource_results(
            resource_rows, lambda r: highlight(window(r.description, found), found), words
        ),
        "items_since": ranked_since(item_candidates),
        "actions_since": ranked_since(action_candidates),
        "resources_since": ranked_since(resource_candidates),
    }
