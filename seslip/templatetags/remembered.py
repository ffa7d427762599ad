"""Django's {% url %} tag and |date filter, remembering what they worked out.

Every render of a page reverses the same few dozen URLs (the navigation, footer, each meeting's and
action's links) and formats the same dates: at about 10 µs a call, Django's reverse() and date
formatting were a tenth of an update page's uncached render. Both are pure functions of their
inputs and of the URL configuration, script prefix, language and time zone, which are part of
what is remembered (a bounded LRU per process), so the tag and the filter give exactly what
Django's do. A template builtin (settings.TEMPLATES), it replaces them in every template.
"""

import functools
from typing import Any

from django import template
from django.conf import settings
from django.template import defaultfilters, defaulttags
from django.template.base import Parser, Token
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import conditional_escape

register = template.Library()
REMEMBERED = 4096  # different URLs or dates per process: enough for the pages readers visit


@functools.lru_cache(maxsize=REMEMBERED)
def remembered_reverse(
    where: tuple, view_name: str, args: tuple, kwargs: tuple, current_app: str | None
) -> str:
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


def url_for(view_name: str, args: tuple, kwargs: tuple, current_app: str | None) -> str:
    where = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
    try:
        return remembered_reverse(where, view_name, args, kwargs, current_app)
    except TypeError:  # an argument that cannot be remembered (unhashable)
        return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


class RememberedURLNode(defaulttags.URLNode):
    def render(self, context: template.Context) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple(sorted((k, v.resolve(context)) for k, v in self.kwargs.items()))
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
    node = defaulttags.url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


@functools.lru_cache(maxsize=REMEMBERED)
def remembered_date(value: Any, zone: str, kind: type, arg: str | None, language: str) -> str:
    return defaultfilters.date(value, arg)


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    """Django's |date. An aware time is remembered with its zone: equal instants in two zones
    print differently."""
    zone = str(getattr(value, "tzinfo", None))
    try:
        return remembered_date(value, zone, type(value), arg, translation.get_language())
    except TypeError:  # unhashable
        return defaultfilters.date(value, arg)
