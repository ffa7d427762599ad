"""Pages link and date exactly as Django's own {% url %} and |date would, though the site's
versions remember what they worked out (seslip/templatetags/remembered.py)."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template, engines
from django.template.defaultfilters import date as django_date
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import timezone, translation


def render(source, **context):
    return engines["django"].from_string(source).render(context)


def test_links_are_the_ones_django_reverses():
    for _ in range(2):  # worked out, then remembered
        assert render("{% url 'meeting_ics' 5 %}") == reverse("meeting_ics", args=[5])
        assert render("{% url 'issue_detail' number %}", number=349) == "/updates/349/"


def test_a_link_follows_the_script_prefix_the_site_is_served_under():
    assert render("{% url 'issue_list' %}") == reverse("issue_list")
    set_script_prefix("/seslip/")
    try:
        assert render("{% url 'issue_list' %}") == "/seslip/updates/"
    finally:
        set_script_prefix("/")


def test_a_link_kept_in_a_variable_and_a_missing_one():
    assert render("{% url 'no-such-page' as missing %}[{{ missing }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        Template("{% url 'no-such-page' %}").render(Context())


def test_dates_read_as_django_formats_them():
    day = datetime.date(2026, 1, 2)
    for _ in range(2):
        assert render('{{ day|date:"l j F Y" }}', day=day) == "Friday 2 January 2026"
    assert render("{{ day|date }}", day=day) == django_date(day)
    assert render('{{ nothing|date:"j F Y" }}', nothing=None) == ""


def test_the_same_instant_reads_in_the_time_zone_of_the_page():
    instant = datetime.datetime(2026, 7, 1, 9, 30, tzinfo=datetime.UTC)
    assert render('{{ t|date:"H:i" }}', t=instant) == "10:30"  # London, summer time
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert render('{{ t|date:"H:i" }}', t=instant) == "18:30"


def test_dates_read_in_the_language_of_the_page():
    day = datetime.date(2026, 1, 2)
    with translation.override("fr"):
        assert render('{{ day|date:"F" }}', day=day) == django_date(day, "F")
