"""Readers' roles, as an import file or the admin gives them: who gets the DCS-only items.

One place, to be replaced by the reader accounts' own roles (issue "Authorities as members").
"""

from django.db import models


class ReaderRole(models.TextChoices):
    DCS = "dcs", "DCS"
    DCS_PA = "dcs_pa", "DCS PA"
    LEAD = "lead", "Lead"
    STAFF = "staff", "Staff"


DCS_ROLES = frozenset({ReaderRole.DCS, ReaderRole.DCS_PA})


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
