"""The three kinds of signed-in user, as groups. The data migration creates them; code asks here."""

from typing import Any

EDITORS = "Editors"
CONVENERS = "Network conveners"
DCSS = "DCSs"

EDITOR_APPS = ("contacts", "networks", "newsletters")
CONVENER_PERMISSIONS = (
    ("networks", "view_network"),
    ("networks", "view_meeting"),
    ("networks", "add_meeting"),
    ("networks", "change_meeting"),
)


def in_group(user: Any, name: str) -> bool:
    if not user.is_authenticated:
        return False
    return any(group.name == name for group in user.groups.all())


def is_dcs(user: Any) -> bool:
    """DCSs (and editors, who compose the restricted material) may read “DCSs only” content."""
    return user.is_authenticated and (
        user.is_superuser or in_group(user, DCSS) or in_group(user, EDITORS)
    )
