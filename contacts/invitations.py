"""One-time set-password links for invited readers: they work once, for LINK_LIFETIME.

The token is Django's password-reset token with its own salt and lifetime: it signs the account's
password hash and last sign-in, so setting a password (or a newer invitation) spends it.
"""

import datetime

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

LINK_LIFETIME = datetime.timedelta(days=7)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "contacts.invitations.InvitationTokenGenerator"

    def age(self, token) -> int | None:
        """Seconds since the token was made, or None when it is not a token at all."""
        try:
            made = base36_to_int(token.split("-")[0])
        except (ValueError, AttributeError):
            return None
        return self._num_seconds(self._now()) - made

    def is_expired(self, token) -> bool:
        age = self.age(token)
        return age is not None and age > LINK_LIFETIME.total_seconds()

    def check_token(self, user, token) -> bool:
        age = self.age(token)
        if user is None or age is None or age > LINK_LIFETIME.total_seconds():
            return False
        made = self._num_seconds(self._now()) - age
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, made, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_tokens = InvitationTokenGenerator()


def invitation_path(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("invitation", args=[uid, invitation_tokens.make_token(user)])


def invitation_url(user, base_url: str | None = None) -> str:
    return (base_url or settings.SITE_URL).rstrip("/") + invitation_path(user)
