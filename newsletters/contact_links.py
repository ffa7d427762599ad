"""Contacts' names in an item's text linked to their Contact Details entry."""

import html
import re

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

TAG = re.compile(r"(<[^>]*>)")


def link_contacts(markup: str, contacts, listed_ids) -> SafeString:
    """Link each contact's name in an item's (already sanitised) HTML to their Contact Details entry.

    Names of people listed in the update (`listed_ids`) link to the entry on the page, others to
    the contacts directory. Text inside an existing link is left alone.
    """
    targets, directory = {}, None
    for contact in contacts:
        name = html.escape(contact.name, quote=False)
        if name not in markup:  # most items name few of their contacts in each text
            continue
        if contact.pk not in listed_ids:
            directory = directory or reverse("contact_list")
        targets[name] = f"{'' if contact.pk in listed_ids else directory}#{contact.anchor}"
    if not targets:
        return mark_safe(markup)
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
