"""Presentation helpers for the reading site's templates."""

import html
import re

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

register = template.Library()

TAG = re.compile(r"(<[^>]*>)")


@register.simple_tag
def link_contacts(markup, contacts, listed_ids):
    """Link each contact's name in an item's (already sanitised) HTML to their Contact Details entry.

    Names of people listed in the update (`listed_ids`) link to the entry on the page, others to
    the contacts directory. Text inside an existing link is left alone.
    """
    if not contacts:
        return mark_safe(markup)
    targets = {}
    for contact in contacts:
        page = "" if contact.pk in listed_ids else reverse("contact_list")
        targets[html.escape(contact.name, quote=False)] = f"{page}#{contact.anchor}"
    names = re.compile(
        r"\b(" + "|".join(re.escape(n) for n in sorted(targets, key=len, reverse=True)) + r")\b"
    )
    out, in_link, linked = [], False, set()
    for part in TAG.split(markup):
        if TAG.fullmatch(part):
            lowered = part.lower()
            if lowered.startswith("<a"):
                in_link = True
            elif lowered.startswith("</a"):
                in_link = False
            out.append(part)
        elif in_link:
            out.append(part)
        else:
            out.append(names.sub(lambda m: link(m, targets, linked), part))
    return mark_safe("".join(out))


def link(match, targets, linked):
    name = match.group(1)
    if name in linked:
        return name
    linked.add(name)
    return f'<a href="{html.escape(targets[name])}">{name}</a>'
