import re
import secrets
from typing import Any, ClassVar, Self

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils.text import slugify

from seslip.lib import roles
from seslip.lib.generations import PublicContent, PublicContentQuerySet
from seslip.lib.personal import forget_reader
from seslip.lib.slugs import SlugFromName


def normalise_name(text: str) -> str:
    """One spelling for matching names: case, spacing and '&'/'and' ignored."""
    text = text.replace("&", " and ").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


class OrganisationQuerySet(PublicContentQuerySet["Organisation"]):
    def local_authorities(self) -> Self:
        return self.filter(kind=Organisation.Kind.LOCAL_AUTHORITY)

    def by_any_name(self) -> dict[str, "Organisation"]:
        """A dict of every name and short form (normalised) to its organisation."""
        names: dict[str, Organisation] = {}
        for org in self:
            for name in org.all_names():
                names[normalise_name(name)] = org
        return names


class Organisation(SlugFromName, PublicContent):
    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "la", "Local authority"
        PROGRAMME = "programme", "The programme"
        PARTNER = "partner", "Partner"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.PARTNER)
    short_forms = models.CharField(
        max_length=300,
        blank=True,
        help_text="Other names the newsletter uses for it, separated by commas, e.g. “IoW, Isle of "
        "Wight Council”. The importer recognises all of them.",
    )
    website = models.URLField(blank=True)

    objects: ClassVar = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def all_names(self) -> list[str]:
        return [self.name, *(s.strip() for s in self.short_forms.split(",") if s.strip())]

    @property
    def is_local_authority(self) -> bool:
        return self.kind == self.Kind.LOCAL_AUTHORITY


class Contact(PublicContent):
    name = models.CharField(max_length=200, help_text="As the newsletter prints it.")
    role = models.CharField(
        max_length=300,
        blank=True,
        help_text="Their role in the programme, as listed under Contact Details.",
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    details_as_of = models.DateField(
        null=True,
        blank=True,
        help_text="Date of the update these details were last taken from. Older updates never "
        "overwrite newer details.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="contact_name_unique_ci",
                violation_error_message="A contact with this name already exists.",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name

    @property
    def anchor(self) -> str:
        return f"contact-{slugify(self.name)}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def of(self, organisation: Organisation) -> Self:
        return self.filter(organisation=organisation)


class Membership(models.Model):
    """A reader account's place in the programme: the one organisation it belongs to, and its role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        help_text="One of the 19 local authorities, or the programme or a partner.",
    )
    role = models.CharField(
        max_length=20,
        choices=roles.ReaderRole,
        help_text="DCSs and their PAs read “DCSs only” material; DCSs, PAs and leads answer "
        "actions for their authority.",
    )
    feed_token = models.CharField(
        max_length=64,
        default=new_feed_token,
        unique=True,
        editable=False,
        help_text="The secret in this reader's own calendar and feed addresses.",
    )
    invited_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "user__email"]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.organisation})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self.give_role_group()
        forget_reader(self.user_id)  # their pages' audience and header change now

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """The account stays, but with no place in the programme it has no reader role: it
        leaves its role's group, so a former DCS no longer reads “DCSs only” material."""
        with transaction.atomic():
            self.user.groups.remove(
                *Group.objects.filter(name__in=roles.READER_ROLE_GROUPS.values())
            )
            deleted = super().delete(*args, **kwargs)
        forget_reader(self.user_id)
        return deleted

    def give_role_group(self) -> None:
        """The role is a group: put the account in its role's group and in no other role's."""
        groups = Group.objects.filter(name__in=roles.READER_ROLE_GROUPS.values())
        own = roles.READER_ROLE_GROUPS[roles.ReaderRole(self.role)]
        self.user.groups.remove(*groups.exclude(name=own))
        self.user.groups.add(*groups.filter(name=own))

    def new_feed_address(self) -> None:
        """Revoke this reader's calendar and feed addresses: the old ones stop working at once."""
        self.feed_token = new_feed_token()
        self.save(update_fields=["feed_token"])

    @property
    def answers_for_authority(self) -> bool:
        return self.role in roles.ANSWERING_ROLES and self.organisation.is_local_authority
