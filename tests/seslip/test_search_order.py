"""The order of search results for fixed searches over a fixed set of items, held on each
database: how the snippets are cut must never change how results are ranked."""

import pytest
from django.db import connection

from newsletters.search import search_everything
from tests.factories import make_action, make_issue, make_item, make_resource

pytestmark = pytest.mark.django_db

ITEMS = [
    ("Fostering Better Outcomes", "<p>A report on fostering and foster carers.</p>"),
    ("Secure estate", "<p>One fostering mention.</p>"),
    ("Care leavers covenant", "<p>Care leavers and the local offer for care leavers.</p>"),
    ("Regional recruitment", "<p>Recruiting foster carers, and care leavers into work.</p>"),
    ("Social care workforce", "<p>Social workers: care, recruitment and retention.</p>"),
    ("Fostering week", "<p>Fostering.</p>"),
    ("Ofsted annual report", "<p>Children's social care inspections.</p>"),
]
# The titles in the order each search gives them: PostgreSQL ranks with ts_rank on the stored
# vectors; SQLite counts the words (title words three times).
EXPECTED = {
    "postgresql": {
        "fostering": [
            "Fostering Better Outcomes",
            "Fostering week",
            "Regional recruitment",
            "Secure estate",
        ],
        "care leavers": ["Care leavers covenant", "Regional recruitment"],
        "social care": ["Social care workforce", "Ofsted annual report"],
    },
    "sqlite": {
        "fostering": ["Fostering week", "Fostering Better Outcomes", "Secure estate"],
        "care leavers": ["Care leavers covenant", "Regional recruitment"],
        "social care": ["Social care workforce", "Ofsted annual report"],
    },
}


@pytest.fixture
def archive(db):
    for number, (title, text) in enumerate(ITEMS, start=340):
        item = make_item(make_issue(number), title, update_text=text)
        make_action(item, f"Read {title.lower()}")
    make_resource(make_issue(350), "Fostering toolkit", description="For fostering panels.")


@pytest.mark.parametrize("query", list(EXPECTED["sqlite"]))
def test_fixed_searches_keep_their_order(archive, query):
    titles = [str(result.title) for result in search_everything(query)["items"]]
    titles = [title.replace("<mark>", "").replace("</mark>", "") for title in titles]
    assert titles == EXPECTED[connection.vendor][query]


def test_snippets_mark_the_words_found_in_their_forms(archive):
    results = search_everything("fostering")["items"]
    snippets = " ".join(str(result.snippet) for result in results)
    assert "<mark>foster</mark> carers" in snippets or "<mark>foster carers" in snippets
