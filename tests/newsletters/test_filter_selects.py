"""The filters' selects of networks and authorities (newsletters/filters.py, RememberedSelect)
give exactly Django's select, remember it, and follow a new network, the value chosen and the
attributes an error adds."""

import pytest
from django import forms

from newsletters.filters import REMEMBERED_SELECTS, ActionFilter, RememberedSelect
from tests.factories import make_network

pytestmark = pytest.mark.django_db


def django_s(widget, name, value, attrs=None):
    plain = forms.Select(attrs=widget.attrs)
    plain.choices = widget.choices
    plain.is_required = widget.is_required
    return plain.render(name, value, attrs)


def test_the_same_html_as_django_s_select_and_remembered():
    make_network("AD Safeguarding")
    REMEMBERED_SELECTS.clear()
    field = ActionFilter({}).form.fields["network"]
    widget = field.widget
    assert isinstance(widget, RememberedSelect)
    for value in ("", "ad-safeguarding", "no-such-network"):
        for _ in range(2):
            assert widget.render("network", value, {"id": "id_network"}) == django_s(
                widget, "network", value, {"id": "id_network"}
            )
    assert len(REMEMBERED_SELECTS) == 3
    widget.attrs.update({"aria-invalid": "true"})
    html = widget.render("network", "x", {"id": "id_network"})
    assert 'aria-invalid="true"' in html
    assert html == django_s(widget, "network", "x", {"id": "id_network"})


def test_a_new_network_is_listed_at_once():
    make_network("AD Safeguarding")
    first = ActionFilter({}).form["network"]
    assert "Education" not in str(first)
    make_network("Education")
    assert 'value="education"' in str(ActionFilter({}).form["network"])
