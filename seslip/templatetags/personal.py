"""{% personal "account" %}: a reader's own part of a page (seslip/lib/personal.py). Rendered for
the page cache, it is a marker the cache fills for each reader; otherwise the part itself."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from seslip.lib.personal import marker, render_part, rendering_for_cache

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, name: str) -> SafeString:
    request = context.get("request")
    if request is None:  # a template rendered without a request (an e-mail): nobody's part
        return mark_safe("")
    if rendering_for_cache(request):
        return mark_safe(marker(name))
    return mark_safe(render_part(name, request))
