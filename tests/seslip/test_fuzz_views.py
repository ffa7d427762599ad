"""Every public page's query parameters and path parts, fuzzed with hypothesis: random text, huge
numbers, SQL and HTML fragments, NULs and odd unicode. No page ever answers 500, and no HTML sent in
comes back unescaped.

The inputs are the same on every run (derandomized), so a failure is reproducible; the number of
inputs per page is EXAMPLES.
"""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.examples import examples
from tests.factories import days, make_action, make_issue, make_item, make_meeting, make_network

pytestmark = pytest.mark.django_db

EXAMPLES = examples(40)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MARK = "alert(7331)"
HTML_PAYLOADS = [
    f"<script>{MARK}</script>",
    f'"><img src=x onerror={MARK}>',
    f"'><svg/onload={MARK}>",
    f"</textarea><script>{MARK}</script>",
    f"javascript:{MARK}",
]
UNESCAPED = [f"<script>{MARK}", f"<img src=x onerror={MARK}", f"<svg/onload={MARK}"]
OTHER_PAYLOADS = [
    "' OR '1'='1",
    "1; DROP TABLE newsletters_issue; --",
    "1) UNION SELECT username, password FROM auth_user --",
    "%",
    "_",
    "\\",
    "\x00",
    "a\x00b",
    "%00",
    "\ufeff",
    "\u202e",
    "\U0001f600",
    "９",
    "٣",
    "e\u0301",
    "../../etc/passwd",
    "99999999999999999999999999",
    "9223372036854775808",
    "2147483648",
    "-1",
    "0",
    "1e309",
    "NaN",
    "-0",
    "2019-02-30",
    "0000-00-00",
    "9999-12-31",
    "on",
    "true",
    "x" * 3000,
]
VALUES = st.one_of(
    st.sampled_from(HTML_PAYLOADS + OTHER_PAYLOADS),
    st.text(max_size=80),
    st.integers(-(10**30), 10**30).map(str),
    st.tuples(st.sampled_from(HTML_PAYLOADS), st.text(max_size=20)).map("".join),
)
PARAMETERS = {
    "home": [],
    "issue_list": ["year", "date_from", "date_to", "network", "authority", "open_actions", "page"],
    "issue_feed": [],
    "issue_feed_rss": [],
    "dashboard": ["network", "authority", "audience"],
    "search": ["q", "page"],
    "network_list": [],
    "peer_challenge": [],
    "contact_list": [],
    "calendar": [],
    "issue_detail": [],
    "network_detail": [],
    "network_calendar": [],
    "meeting_ics": [],
    "action_ics": [],
}
NAMES = sorted({name for names in PARAMETERS.values() for name in names})


@pytest.fixture
def site(db):
    issue = make_issue(349, intro="A brief summary.")
    item = make_item(issue, "Fostering news")
    action = make_action(item, "Reply", due_date=days(3))
    network = make_network("Data Benchmarking")
    meeting = make_meeting(network, days(5))
    return {"issue": issue, "network": network, "meeting": meeting, "action": action}


def view_url(view, site):
    args = {
        "issue_detail": [site["issue"].number],
        "network_detail": [site["network"].slug],
        "network_calendar": [site["network"].slug],
        "meeting_ics": [site["meeting"].pk],
        "action_ics": [site["action"].pk],
    }
    return reverse(view, args=args.get(view))


def assert_safe(response, url):
    assert response.status_code < 500, (url, response.status_code)
    body = response.content.decode("utf-8", "replace")
    for raw in UNESCAPED:
        assert raw not in body, (url, raw)


@pytest.mark.parametrize("view", sorted(PARAMETERS))
@FUZZ
@given(
    query=st.dictionaries(
        st.one_of(st.sampled_from(NAMES), st.text()),
        st.one_of(VALUES, st.lists(VALUES, min_size=2, max_size=3)),
        max_size=4,
    )
)
def test_query_parameters_never_cause_a_500_or_reflect_html(site, view, query):
    url = view_url(view, site)
    response = Client().get(url, query)
    assert_safe(response, url)


PATH_PARTS = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(HTML_PAYLOADS + OTHER_PAYLOADS),
    st.text(min_size=1, max_size=60),
)


@pytest.mark.parametrize(
    "route",
    [
        "/updates/{}/",
        "/networks/{}/",
        "/networks/{}/calendar.ics",
        "/meetings/{}.ics",
        "/actions/{}.ics",
        "/updates/349/{}",
        "/{}",
    ],
)
@FUZZ
@given(part=PATH_PARTS)
def test_path_parts_never_cause_a_500_or_reflect_html(site, route, part):
    from urllib.parse import quote

    url = route.format(quote(part, safe=""))
    response = Client().get(url)
    assert_safe(response, url)
    if response.status_code == 200:
        assert part.isdigit() or part == site["network"].slug or part == "", url


def test_the_payloads_reach_the_page_escaped(site):
    """The check above could fail: a search for a payload shows it, escaped."""
    response = Client().get(reverse("search"), {"q": HTML_PAYLOADS[0]})
    body = response.content.decode()
    assert "&lt;script&gt;alert(7331)&lt;/script&gt;" in body
    assert_safe(response, "search")
