"""`{% load remembered %}`: Django's {% url %} tag and |date and |time filters, remembering their
answers.

Loaded by name, at the top of the templates of the pages readers load most (base.html, its
navigation and footer, the home page, an update's page, the dashboard, the archive, an item's and
a network's page, and what they include); every other template has Django's own. The tag and the
filters take the same arguments and give exactly what Django's give: what they do differently is
remember the answer (a bounded LRU per process), so a page reverses each link and formats each
date and time once per process, not on every render. Until 1 December 2026 they remembered nothing: the
view names and formats the templates quote reach them as SafeStrings (the same text), which they
took for something else and handed to Django's. Remembering, uncached renders on the 600-update
benchmark archive take 3-12 % less CPU (the home page 7-12 %, the dashboard 12-17 %; medians of
alternating runs with and without, in one process each, time.process_time, a shared machine).

Why an answer cannot be wrong:
- Only plain values are remembered: a link whose every argument is exactly a `str` or an `int`
  (not a bool, a float, a model instance or a lazy string, whose text can differ while they
  compare equal: `True == 1`), a date that is exactly a `datetime.date` or `datetime.datetime`
  (a time: a `datetime.time` or `datetime.datetime`) and a format that is a `str` or none. Anything else goes straight to Django's.
- The answer is keyed by everything else it depends on: for a link, the URL configuration (the
  setting and the request's own), the script prefix, the active language (translated URL
  patterns) and the current app; for a date or a time, its time zone and `fold` (the two 01:30s of the
  night the clocks go back compare equal but print different offsets), its type, the format
  asked for and the active language.
- What settings decide (the default time zone a naive time prints in, DATE_FORMAT, TIME_FORMAT, format
  modules, the URL configuration) is forgotten when a setting changes, as Django forgets its
  own format caches (`setting_changed`); a process that changes none at run time keeps it.
tests/seslip/test_remembered_tags.py compares them with Django's over generated dates, zones,
formats, languages and links.
"""

import datetime
import functools
from collections.abc import Callable
from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters, defaulttags
from django.template.base import Parser, Token
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

register = template.Library()
REMEMBERED = 4096  # different URLs or dates per process: enough for the pages readers visit
# A template's quoted text ('issue_detail', "j F Y") reaches a tag or filter as a SafeString: the
# same characters as the str, so as plain.
PLAIN_TEXT = (str, SafeString)
PLAIN_ARGUMENTS = (*PLAIN_TEXT, int)
PLAIN_DATES = (datetime.date, datetime.datetime)
PLAIN_TIMES = (datetime.time, datetime.datetime)


@functools.lru_cache(maxsize=REMEMBERED)
def remembered_reverse(
    where: tuple, view_name: str, args: tuple, kwargs: tuple, current_app: str | None
) -> str:
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


def url_for(view_name: Any, args: tuple, kwargs: dict, current_app: str | None) -> str:
    """reverse(), remembered when the view name and every argument are plain."""
    for value in (view_name, *args, *kwargs.values()):
        if type(value) not in PLAIN_ARGUMENTS:
            return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    where = (
        settings.ROOT_URLCONF,
        get_urlconf(),
        get_script_prefix(),
        translation.get_language(),
    )
    return remembered_reverse(where, view_name, args, tuple(sorted(kwargs.items())), current_app)


class RememberedURLNode(defaulttags.URLNode):
    """Django's URLNode.render, reversing through url_for."""

    def render(self, context: template.Context) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = url_for(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> RememberedURLNode:
    """Django's {% url %} (same syntax), remembering what it reversed."""
    node = defaulttags.url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


@functools.lru_cache(maxsize=REMEMBERED)
def remembered_date(
    value: datetime.date, kind: type, zone: Any, fold: int, arg: str | None, language: str | None
) -> str:
    return defaultfilters.date(value, arg)


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: Any = None) -> str:
    """Django's |date, remembering what it formatted."""
    return formatted(value, arg, PLAIN_DATES, defaultfilters.date, remembered_date)


@functools.lru_cache(maxsize=REMEMBERED)
def remembered_time(
    value: datetime.time, kind: type, zone: Any, fold: int, arg: str | None, language: str | None
) -> str:
    return defaultfilters.time(value, arg)


@register.filter(expects_localtime=True, is_safe=False)
def time(value: Any, arg: Any = None) -> str:
    """Django's |time, remembering what it formatted (as |date, above)."""
    return formatted(value, arg, PLAIN_TIMES, defaultfilters.time, remembered_time)


def formatted(
    value: Any, arg: Any, plain: Any, format_: Callable[..., str], remembered: Callable[..., str]
) -> str:
    """`format_(value, arg)`, through `remembered` when the value is one of the `plain` kinds and
    the format plain text: keyed by the value, its kind, time zone and fold, and the language."""
    kind = type(value)
    if kind not in plain or not (arg is None or type(arg) in PLAIN_TEXT):
        return format_(value, arg)
    zone, fold = getattr(value, "tzinfo", None), getattr(value, "fold", 0)
    try:
        return remembered(value, kind, zone, fold, arg, translation.get_language())
    except TypeError:  # a time zone that cannot be a key (unhashable)
        return format_(value, arg)


@receiver(setting_changed)
def forget(**kwargs: Any) -> None:
    """A setting changed (tests do, with override_settings): what it decided is forgotten."""
    remembered_reverse.cache_clear()
    remembered_date.cache_clear()
    remembered_time.cache_clear()
