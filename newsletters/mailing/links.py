"""Signed links in readers' e-mails: no account, no password, and nobody can guess another's."""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM_LIFETIME = datetime.timedelta(days=7)
_CONFIRM = "newsletters.mailing.confirm"
_READER = "newsletters.mailing.reader"  # the preferences and unsubscribe links, which never expire


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def reader_token(subscriber) -> str:
    return signing.Signer(salt=_READER).sign(str(subscriber.pk))


def subscriber_id_from(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=_READER).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def confirm_token(subscriber) -> str:
    """Good for CONFIRM_LIFETIME, and only while the address is the one it was sent to."""
    value = f"{subscriber.pk}:{subscriber.email.lower()}"
    return signing.TimestampSigner(salt=_CONFIRM).sign(value)


def confirmed_id_from(token: str) -> tuple[int, str] | None:
    """(subscriber id, address) of a good confirmation token; None if bad or expired."""
    try:
        value = signing.TimestampSigner(salt=_CONFIRM).unsign(token, max_age=CONFIRM_LIFETIME)
        pk, email = value.split(":", 1)
        return int(pk), email
    except (signing.BadSignature, ValueError):
        return None


def unsubscribe_url(subscriber) -> str:
    return absolute(reverse("unsubscribe", args=[reader_token(subscriber)]))


def preferences_url(subscriber) -> str:
    return absolute(reverse("subscription_preferences", args=[reader_token(subscriber)]))


def confirm_url(subscriber) -> str:
    return absolute(reverse("subscription_confirm", args=[confirm_token(subscriber)]))
