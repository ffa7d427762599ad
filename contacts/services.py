"""Writes that span several records, each in one transaction: all of it happens, or none."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from seslip.lib import roles

from .invitations import LINK_LIFETIME, invitation_url
from .models import Membership, Organisation


@dataclass
class Invitation:
    membership: Membership
    link: str
    created: bool  # a new account (else an existing one, updated)


def find_organisation(name: str) -> Organisation:
    """The organisation called `name` (or any of its short forms), or a clear ValidationError."""
    wanted = name.strip().lower()
    for organisation in Organisation.objects.all():
        if wanted in (n.lower() for n in organisation.all_names()):
            return organisation
    known = ", ".join(Organisation.objects.local_authorities().values_list("name", flat=True))
    raise ValidationError(
        f"There is no authority called “{name}”. The local authorities are: {known}; or name the "
        "programme or a partner."
    )


def reader_account(email: str) -> tuple[Any, bool]:
    """The one account for this address: found by e-mail in any case, else made (no password)."""
    User = get_user_model()
    existing = User.objects.filter(email__iexact=email).order_by("pk").first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():  # two invitations at once: the second finds the first's account
            user = User(username=email, email=email)
            user.set_unusable_password()
            user.save()
            return user, True
    except IntegrityError:
        return User.objects.get(username=email), False


@transaction.atomic
def invite_reader(
    *,
    email: str,
    organisation: Organisation,
    role: str,
    base_url: str | None = None,
    send: bool = True,
) -> Invitation:
    """Create (or update) the reader account for `email`, belonging to `organisation` with `role`,
    and make a one-time set-password link valid for 7 days; e-mail it unless `send` is False.

    Inviting an address again updates the same account, and a new link replaces the last one
    (while the account has no password yet).
    """
    email = email.strip().lower()
    validate_email(email)
    if role not in roles.ReaderRole.values:
        raise ValidationError(
            f"“{role}” is not a role. Choose one of: {', '.join(roles.ReaderRole.values)}."
        )
    user, created = reader_account(email)
    if not created and not user.has_usable_password():
        user.set_unusable_password()  # a fresh unusable password: earlier links stop working
        user.save(update_fields=["password"])
    membership, _ = Membership.objects.update_or_create(
        user=user,
        defaults={"organisation": organisation, "role": role, "invited_at": timezone.now()},
    )
    invitation = Invitation(membership, invitation_url(user, base_url), created)
    if send:
        send_invitation(invitation)
    return invitation


def send_invitation(invitation: Invitation) -> None:
    membership = invitation.membership
    context = {
        "membership": membership,
        "link": invitation.link,
        "days": LINK_LIFETIME.days,
    }
    send_mail(
        "Your SESLIP updates account: set your password",
        render_to_string("registration/invitation_email.txt", context),
        None,
        [membership.user.email],
    )
