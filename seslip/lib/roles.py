"""The kinds of signed-in user, as groups. The data migrations create them; code asks here.

Editors and conveners work in the admin. Reader accounts (contacts.Membership) belong to one
organisation and have one ReaderRole, which is also their group: DCSs and DCS PAs read “DCSs only”
material; DCSs, DCS PAs and leads answer actions for their own authority.
"""

from typing import Any

from django.db import models

EDITORS = "Editors"
CONVENERS = "Network conveners"
DCSS = "DCSs"
DCS_PAS = "DCS PAs"
LEADS = "Leads"
STAFF = "Programme staff"

EDITOR_APPS = ("contacts", "networks", "newsletters")
CONVENER_PERMISSIONS = (
    ("networks", "view_network"),
    ("networks", "view_meeting"),
    ("networks", "add_meeting"),
    ("networks", "change_meeting"),
)


class ReaderRole(models.TextChoices):
    """A reader account's role (contacts.Membership.role)."""

    DCS = "dcs", "DCS"
    DCS_PA = "dcs_pa", "DCS PA"
    LEAD = "lead", "Lead (an AD or network member)"
    STAFF = "staff", "Programme staff"


READER_ROLE_GROUPS = {
    ReaderRole.DCS: DCSS,
    ReaderRole.DCS_PA: DCS_PAS,
    ReaderRole.LEAD: LEADS,
    ReaderRole.STAFF: STAFF,
}
ANSWERING_ROLES = frozenset({ReaderRole.DCS, ReaderRole.DCS_PA, ReaderRole.LEAD})
# Who reads “DCSs only” material: by reader role (a subscriber's, an account's) and by group.
DCS_ROLES = frozenset({ReaderRole.DCS, ReaderRole.DCS_PA})
DCS_READER_GROUPS = frozenset({DCSS, DCS_PAS, EDITORS})


def role_from_text(text: str) -> str:
    """The role a spreadsheet cell names ("DCS", "dcs pa", "Lead"), or "" for none; ValueError."""
    wanted = " ".join(text.replace("_", " ").split()).casefold()
    if not wanted:
        return ""
    for role in ReaderRole:
        if wanted in {role.label.casefold(), role.value.replace("_", " ")}:
            return role.value
    names = ", ".join(role.label for role in ReaderRole)
    raise ValueError(f"the role “{text.strip()}” is not one of {names}")


# The audiences a public page is cached for: what it shows depends on these, not on the reader.
PUBLIC = "public"
DCS_AUDIENCE = "dcs"
MEMBER = "member"
AUDIENCES = (PUBLIC, DCS_AUDIENCE, MEMBER)


def group_names(user: Any) -> frozenset[str]:
    """The names of the user's groups, asked once per request (kept on the user, like perms)."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_group_names"):
        user._group_names = frozenset(user.groups.values_list("name", flat=True))
    return user._group_names


def in_group(user: Any, name: str) -> bool:
    return name in group_names(user)


def is_editor(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or in_group(user, EDITORS)))


def is_dcs(user: Any) -> bool:
    """DCSs and DCS PAs (and editors, who compose the restricted material) may read “DCSs only”
    content."""
    return bool(
        user.is_authenticated and (user.is_superuser or bool(group_names(user) & DCS_READER_GROUPS))
    )


def membership_of(user: Any) -> Any:
    """The reader account's contacts.Membership with its organisation, or None (editors and
    conveners have none): one query, kept on the user, so `user.membership` asks no more."""
    if not user.is_authenticated:
        return None
    field = user._meta.get_field("membership")
    cached = field.get_cached_value(user, default=False)
    if cached is not False:
        return cached
    membership = (
        field.related_model._default_manager.select_related("organisation")
        .filter(user=user)
        .first()
    )
    field.set_cached_value(user, membership)
    return membership


def audience_of(user: Any) -> str:
    """Whom a public page is cached for (seslip/lib/pagecache.py): "public" for readers who are
    not signed in, "dcs" for readers of “DCSs only” material, "member" for other accounts."""
    if not user.is_authenticated:
        return PUBLIC
    return DCS_AUDIENCE if is_dcs(user) else MEMBER


def authority_of(user: Any) -> int | None:
    """The id of the local authority the account answers for (as its DCS, DCS PA or lead), for
    pages showing that authority's own data (“My authority”, its notes on an action's page)."""
    membership = membership_of(user)
    if membership is None or not membership.answers_for_authority:
        return None
    return membership.organisation_id
