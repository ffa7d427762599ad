"""The admin home as each role sees it: a heading for the role, and the editor's weekly button."""

from django import template

from newsletters.models import Issue
from seslip.lib import roles

register = template.Library()

HEADINGS = {
    roles.EDITORS: "Compose and keep the weekly update",
    roles.CONVENERS: "Keep your network's meeting dates",
}


@register.simple_tag
def home_heading(user) -> str:
    if user.is_superuser:
        return HEADINGS[roles.EDITORS]
    for group, heading in HEADINGS.items():
        if roles.in_group(user, group):
            return heading
    return "Your records"


@register.simple_tag
def latest_update() -> Issue | None:
    return Issue.objects.order_by("-number").only("number", "date").first()
