"""Presentation helpers for the reading site's templates."""

from django import template

from ..contact_links import link_contacts

register = template.Library()
register.simple_tag(link_contacts)
