"""Pages that load the site's {% url %} and |date (`{% load remembered %}`,
seslip/templatetags/remembered.py) link and date exactly as Django's own would, though they
remember what they worked out; templates that do not load them have Django's own."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template, defaulttags, engines
from django.template.defaultfilters import date as django_date
from django.template.defaultfilters import time as django_time
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from seslip.templatetags.remembered import (
    RememberedURLNode,
    remembered_date,
    remembered_reverse,
)
from tests.examples import examples

LONDON = zoneinfo.ZoneInfo("Europe/London")
ZONES = [LONDON, zoneinfo.ZoneInfo("Asia/Tokyo"), datetime.UTC, None]
# Every format character Django's |date knows, and the site's own formats.
FORMATS = [None, "DATE_FORMAT", "SHORT_DATE_FORMAT", "c", "l j F Y", "j F Y, H:i", "Y-m-d"] + list(
    "aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTuUwWyYzZ"
)


def render(source, **context):
    return engines["django"].from_string("{% load remembered %}" + source).render(context)


def test_a_template_that_does_not_load_them_has_django_s_own():
    template = engines["django"].from_string("{% url 'issue_list' %}").template
    node = template.nodelist[0]
    assert type(node) is defaulttags.URLNode
    remembered = engines["django"].from_string("{% load remembered %}{% url 'issue_list' %}")
    assert isinstance(remembered.template.nodelist[-1], RememberedURLNode)


def test_links_are_the_ones_django_reverses():
    for _ in range(2):  # worked out, then remembered
        assert render("{% url 'meeting_ics' 5 %}") == reverse("meeting_ics", args=[5])
        assert render("{% url 'issue_detail' number %}", number=349) == "/updates/349/"
        assert render("{% url 'issue_detail' number=349 %}") == "/updates/349/"


def test_arguments_that_compare_equal_but_print_differently_are_not_confused():
    """True == 1 and hash(True) == hash(1), but reverse() prints “True”: never a remembered
    “/updates/1/” for it (nor the other way round)."""
    assert render("{% url 'issue_detail' n %}", n=1) == "/updates/1/"
    with pytest.raises(NoReverseMatch):  # the pattern takes digits: Django's answer
        render("{% url 'issue_detail' n %}", n=True)
    assert render("{% url 'issue_detail' n %}", n="1") == "/updates/1/"


def test_a_model_instance_as_an_argument_is_reversed_afresh_each_time():
    """Equal instances (the same primary key) can print differently once edited."""

    class Slugged:
        def __init__(self, text):
            self.text = text

        def __eq__(self, other):
            return True

        def __hash__(self):
            return 1

        def __str__(self):
            return self.text

    assert render("{% url 'issue_detail' n %}", n=Slugged("515")) == "/updates/515/"
    assert render("{% url 'issue_detail' n %}", n=Slugged("516")) == "/updates/516/"


def test_a_link_follows_the_script_prefix_the_site_is_served_under():
    assert render("{% url 'issue_list' %}") == reverse("issue_list")
    set_script_prefix("/seslip/")
    try:
        assert render("{% url 'issue_list' %}") == "/seslip/updates/"
    finally:
        set_script_prefix("/")
    assert render("{% url 'issue_list' %}") == "/updates/"


def test_a_link_follows_the_url_configuration(settings):
    assert render("{% url 'issue_list' %}") == "/updates/"
    settings.ROOT_URLCONF = "tests.seslip.urls_elsewhere"
    assert render("{% url 'issue_list' %}") == "/elsewhere/updates/"


def test_a_link_kept_in_a_variable_and_a_missing_one():
    assert render("{% url 'no-such-page' as missing %}[{{ missing }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        Template("{% load remembered %}{% url 'no-such-page' %}").render(Context())


def test_a_quoted_view_name_and_format_are_remembered():
    """A template's quoted text is a SafeString, not a str: the pages' links and dates, all
    quoted, are worked out once, then remembered (they were worked out on every render)."""
    remembered_reverse.cache_clear()
    remembered_date.cache_clear()
    page = "{% url 'issue_detail' 349 %} {% url 'issue_list' %} {{ day|date:'j F Y' }}"
    day = datetime.date(2026, 1, 2)
    for _ in range(3):
        assert render(page, day=day) == "/updates/349/ /updates/ 2 January 2026"
    assert remembered_reverse.cache_info().misses == 2
    assert remembered_reverse.cache_info().hits == 4
    assert remembered_date.cache_info().misses == 1
    assert remembered_date.cache_info().hits == 2


def test_times_read_as_django_formats_them():
    start = datetime.time(9, 30)
    for _ in range(2):
        assert render('{{ t|time:"H:i" }}', t=start) == "09:30"
    assert render("{{ t|time }}", t=start) == django_time(start)
    assert render('{{ nothing|time:"H:i" }}', nothing=None) == ""
    instant = datetime.datetime(2026, 7, 1, 9, 30, tzinfo=datetime.UTC)
    assert render('{{ t|time:"H:i" }}', t=instant) == "10:30"  # London, summer time
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert render('{{ t|time:"H:i" }}', t=instant) == "18:30"
    first = datetime.datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
    with timezone.override(LONDON):
        for moment in (first, first.replace(fold=1)):
            assert render('{{ t|time:"H:i T" }}', t=moment) == django_time(moment, "H:i T")


def test_dates_read_as_django_formats_them():
    day = datetime.date(2026, 1, 2)
    for _ in range(2):
        assert render('{{ day|date:"l j F Y" }}', day=day) == "Friday 2 January 2026"
    assert render("{{ day|date }}", day=day) == django_date(day)
    assert render('{{ nothing|date:"j F Y" }}', nothing=None) == ""
    assert render('{{ text|date:"j F Y" }}', text="2026-01-02") == ""


def test_the_same_instant_reads_in_the_time_zone_of_the_page():
    instant = datetime.datetime(2026, 7, 1, 9, 30, tzinfo=datetime.UTC)
    assert render('{{ t|date:"H:i" }}', t=instant) == "10:30"  # London, summer time
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert render('{{ t|date:"H:i" }}', t=instant) == "18:30"


def test_the_hour_repeated_when_the_clocks_go_back_is_told_apart():
    """01:30 on 25 October 2026 happens twice in London, an hour apart; the two compare equal."""
    first = datetime.datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
    second = first.replace(fold=1)
    assert first == second and hash(first) == hash(second)
    with timezone.override(LONDON):
        assert render('{{ t|date:"U" }}', t=first) == django_date(first, "U")
        assert render('{{ t|date:"U" }}', t=second) == django_date(second, "U")
    assert django_date(first, "U") != django_date(second, "U")


def test_a_changed_time_zone_setting_is_followed(settings):
    """A naive time prints the default time zone's name."""
    naive = datetime.datetime(2026, 1, 2, 9, 30)
    assert render('{{ t|date:"T" }}', t=naive) == "GMT"
    settings.TIME_ZONE = "Asia/Tokyo"
    assert render('{{ t|date:"T" }}', t=naive) == django_date(naive, "T") == "JST"


def test_dates_read_in_the_language_of_the_page():
    day = datetime.date(2026, 1, 2)
    with translation.override("fr"):
        assert render('{{ day|date:"F" }}', day=day) == django_date(day, "F")


@settings(max_examples=examples(300), deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime.datetime(1990, 1, 1), max_value=datetime.datetime(2040, 1, 1)
    ),
    fold=st.sampled_from([0, 1]),
    zone=st.sampled_from(ZONES),
    page_zone=st.sampled_from(ZONES[:3]),
    as_date=st.booleans(),
    arg=st.sampled_from(FORMATS),
)
def test_any_date_reads_as_django_s_date_filter_reads_it(
    moment, fold, zone, page_zone, as_date, arg
):
    value = moment.date() if as_date else moment.replace(tzinfo=zone, fold=fold)
    source = "{{ value|date }}" if arg is None else "{{ value|date:arg }}"
    plain = engines["django"].from_string(source)
    with timezone.override(page_zone):
        for _ in range(2):  # worked out, then remembered
            assert outcome(render, source, value=value, arg=arg) == outcome(
                lambda _, **context: plain.render(context), source, value=value, arg=arg
            )


def outcome(render, source, **context):
    """What the page shows, or the error Django raises (a time format for a date)."""
    try:
        return render(source, **context)
    except (TypeError, ValueError) as error:
        return type(error), str(error)
