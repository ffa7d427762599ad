"""The update's admin page draws its widgets (seslip/lib/admin.py's PlainRenderer) and
its inline rows (newsletters/widgets.py's draw_row) in Python, to the same HTML Django's own
templates give."""

from html.parser import HTMLParser

from django import forms
from django.contrib.auth.models import Permission
from django.forms.renderers import DjangoTemplates
from django.urls import reverse
from django.utils.safestring import mark_safe

from newsletters.admin import IssueInline
from seslip.lib.admin import PLAIN_RENDERER, PlainRenderer
from tests.admin_pages import issue_form
from tests.factories import make_issue, make_item, make_triad, place
from tests.newsletters.test_admin import make_full_update

MODELS = ["issue", "placement", "issueresource", "issuecontact", "issuemeeting"]


class EveryWidget(forms.Form):
    title = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"data-x": "a<b"}))
    position = forms.IntegerField(min_value=0, widget=forms.NumberInput(attrs={"data-step": 1}))
    dcs_only = forms.BooleanField(
        required=False, widget=forms.CheckboxInput(attrs={"data-step": True})
    )
    section = forms.ChoiceField(
        choices=[("", "---"), ("Sections", [("headline", "Headline & more"), ("reminder", 2)])]
    )
    sections = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")])
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "readonly": True}))
    empty_text = forms.CharField(widget=forms.Textarea, required=False)
    secret = forms.CharField(widget=forms.HiddenInput)
    when = forms.DateField()


def drawn(renderer, data):
    form = EveryWidget(data, renderer=renderer)
    return [str(field) + str(field.errors) for field in form]


def test_every_common_widget_is_drawn_as_djangos_templates_draw_it():
    data = {
        "title": '"Quotes" & <tags>',
        "position": "3",
        "dcs_only": "on",
        "section": "headline",
        "sections": ["b"],
        "text": mark_safe("<b>already safe</b>"),
        "secret": "x'y",
        "when": "2026-11-23",
    }
    assert drawn(PLAIN_RENDERER, data) == drawn(DjangoTemplates(), data)
    assert drawn(PLAIN_RENDERER, {}) == drawn(DjangoTemplates(), {})


class Tags(HTMLParser):
    """Each element with its attributes in any order, and the text between: what a browser sees
    (a page's nonces, CSRF token and signed preview link change with each request)."""

    def __init__(self, page):
        super().__init__()
        self.seen = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        changing = {"nonce", "value"} if dict(attrs).get("id") == "preview-link" else {"nonce"}
        if dict(attrs).get("name") == "csrfmiddlewaretoken":
            changing.add("value")
        self.seen.append((tag, sorted((k, v) for k, v in attrs if k not in changing)))

    def handle_data(self, data):
        if data.strip():
            self.seen.append(" ".join(data.split()))


def pages_drawn_both_ways(monkeypatch, open_page):
    drawn_in_python = open_page().text
    monkeypatch.setattr(PlainRenderer, "render", DjangoTemplates.render)
    monkeypatch.setattr(IssueInline, "template", "admin/edit_inline/tabular.html")
    drawn_by_templates = open_page().text
    return drawn_in_python, drawn_by_templates


def test_update_change_page_looks_as_drawn_by_djangos_own_templates(admin_client, monkeypatch):
    issue = make_full_update(1, items=3)
    issue.triads.add(make_triad(number=1))
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    in_python, by_templates = pages_drawn_both_ways(monkeypatch, lambda: admin_client.get(url))
    assert Tags(in_python).seen == Tags(by_templates).seen


def test_update_page_for_someone_who_may_only_view_it_looks_as_drawn_by_django(
    client, django_user_model, monkeypatch
):
    viewer = django_user_model.objects.create_user("vera", is_staff=True)
    viewer.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="newsletters",
            codename__in=[f"view_{model}" for model in MODELS],
        )
    )
    client.force_login(viewer)
    issue = make_full_update(1, items=2)
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    in_python, by_templates = pages_drawn_both_ways(monkeypatch, lambda: client.get(url))
    assert "Item 1" in in_python
    assert 'name="placements-0-position"' not in in_python
    assert Tags(in_python).seen == Tags(by_templates).seen


def test_refused_update_shows_its_rows_errors_as_drawn_by_django(admin_client, monkeypatch):
    issue = make_issue(349)
    placement = place(issue, make_item(title="Regional news"))
    rows = [(placement.pk, placement.item_id, "headline"), (None, placement.item_id, "reminder")]
    data = issue_form(349, placements=rows, initial_placements=1)
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    in_python, by_templates = pages_drawn_both_ways(
        monkeypatch, lambda: admin_client.post(url, data)
    )
    assert "This item is already placed in this update." in in_python
    assert Tags(in_python).seen == Tags(by_templates).seen
