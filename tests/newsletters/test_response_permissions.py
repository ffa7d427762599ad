"""Who may open and change what about the authorities' responses: every new page and form ×
{not signed in, a reader (lead) of Kent, Kent's DCS, Medway's DCS, a convener, an editor}.

A Kent member can neither read nor change Medway's notes or answers, through any URL or id;
every refusal is the site's styled page saying why, with a way back."""

import pytest
from django.urls import reverse

from newsletters.models import ActionResponse
from tests.newsletters.responses_site import KENT_NOTE, MEDWAY_NOTE, responses_site

ROLES = ["anonymous", "kent_lead", "kent_dcs", "medway_dcs", "convener", "editor"]
LOGIN = "sent to sign in"  # the site's page, or the admin's for the admin's pages
OK = "opens"
DONE = "answered"  # and sent back
REFUSED = "refused"
NOT_FOUND = "not found"
STATUS = {LOGIN: 302, OK: 200, DONE: 302, REFUSED: 403, NOT_FOUND: 404}


def row(anonymous, kent_lead, kent_dcs, medway_dcs, convener, editor):
    return dict(
        zip(ROLES, [anonymous, kent_lead, kent_dcs, medway_dcs, convener, editor], strict=True)
    )


# (page, method, what it names) -> the status each role gets.
EXPECTED = {
    ("my authority", "get", None): row(LOGIN, OK, OK, OK, REFUSED, REFUSED),
    ("action page", "get", "mou"): row(OK, OK, OK, OK, OK, OK),
    ("action page", "get", "secret"): row(NOT_FOUND, NOT_FOUND, OK, OK, NOT_FOUND, OK),
    ("answer page", "get", "kent"): row(LOGIN, OK, OK, REFUSED, REFUSED, OK),
    ("answer page", "get", "medway"): row(LOGIN, REFUSED, REFUSED, OK, REFUSED, OK),
    ("answer page", "post", "kent"): row(LOGIN, DONE, DONE, REFUSED, REFUSED, DONE),
    ("answer page", "post", "medway"): row(LOGIN, REFUSED, REFUSED, DONE, REFUSED, DONE),
    ("answer page", "post", "kent_secret"): row(LOGIN, NOT_FOUND, DONE, REFUSED, NOT_FOUND, DONE),
    ("answer page", "post", "medway_secret"): row(LOGIN, NOT_FOUND, REFUSED, DONE, NOT_FOUND, DONE),
    ("matrix", "get", None): row(LOGIN, LOGIN, LOGIN, LOGIN, REFUSED, OK),
    ("matrix csv", "get", None): row(LOGIN, LOGIN, LOGIN, LOGIN, REFUSED, OK),
    ("action in the admin", "get", "mou"): row(LOGIN, LOGIN, LOGIN, LOGIN, REFUSED, OK),
}
CASES = [(role, case) for case in EXPECTED for role in ROLES]


@pytest.fixture
def site(editor):
    return responses_site(editor)


def url_of(page, target, site):
    if page == "my authority":
        return reverse("my_authority")
    if page == "action page":
        return reverse("action_detail", args=[getattr(site, target).pk])
    if page == "answer page":
        return reverse("answer_response", args=[getattr(site, target).pk])
    if page == "matrix":
        return reverse("response_matrix")
    if page == "matrix csv":
        return reverse("response_matrix") + "?format=csv"
    return reverse("admin:newsletters_action_change", args=[getattr(site, target).pk])


def log_in(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def case_id(case):
    role, (page, method, target) = case
    return f"{role}-{method}-{page}-{target or ''}".replace(" ", "_")


@pytest.mark.parametrize("role,case", CASES, ids=[case_id(c) for c in CASES])
def test_permission_matrix(client, request, site, convener, role, case):
    page, method, target = case
    log_in(client, request, role)
    url = url_of(page, target, site)
    before = list(ActionResponse.objects.order_by("pk").values_list("status", "note"))
    if method == "post":
        response = client.post(url, {"status": "not_applicable", "note": "By the matrix"})
    else:
        response = client.get(url)
    expected = EXPECTED[case][role]
    assert response.status_code == STATUS[expected]
    after = list(ActionResponse.objects.order_by("pk").values_list("status", "note"))
    if method == "post" and expected == DONE:
        changed = ActionResponse.objects.get(pk=getattr(site, target).pk)
        assert (changed.status, changed.note) == ("not_applicable", "By the matrix")
        assert (
            sum(a != b for a, b in zip(before, after, strict=True)) == 1
        )  # that response, and no other
    else:
        assert after == before  # a refusal changes nothing
    if expected == LOGIN:
        assert "login" in response.url
    if expected in (REFUSED, NOT_FOUND):
        assert "Go to the home page" in response.text  # a styled page with a way back
    if expected == REFUSED and role != "convener" and page != "matrix":
        assert "You cannot open this page" in response.text


NOTES = {"kent": KENT_NOTE, "medway": MEDWAY_NOTE}
# Whose notes each role reads, on any page that shows them.
READS_NOTES_OF = row(set(), {"kent"}, {"kent"}, {"medway"}, set(), {"kent", "medway"})


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_only_the_notes_it_may_on_every_page(client, request, site, role):
    log_in(client, request, role)
    pages = [
        reverse("action_detail", args=[site.mou.pk]),
        reverse("answer_response", args=[site.kent.pk]),
        reverse("answer_response", args=[site.medway.pk]),
        reverse("my_authority"),
        reverse("dashboard") + "?authority=kent",
        reverse("dashboard") + "?authority=medway",
        reverse("issue_detail", args=[515]),
        reverse("response_matrix") + "?format=csv",
        reverse("admin:newsletters_action_change", args=[site.mou.pk]),
    ]
    seen = set()
    for url in pages:
        text = client.get(url).content.decode()
        seen |= {authority for authority, note in NOTES.items() if note in text}
    assert seen == READS_NOTES_OF[role]
