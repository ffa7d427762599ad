import smtplib

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from contacts.services import find_organisation, invite_reader
from seslip.lib import roles


class Command(BaseCommand):
    help = (
        "Invite a reader: create (or update) their account, belonging to an authority with a role, "
        "and e-mail them a one-time link to set their password (valid 7 days)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The reader's e-mail address: their account name.")
        parser.add_argument(
            "--authority",
            required=True,
            help='The organisation they belong to, e.g. "Kent" (short forms work too).',
        )
        parser.add_argument("--role", required=True, choices=roles.ReaderRole.values)
        parser.add_argument(
            "--print",
            action="store_true",
            dest="print_link",
            help="Print the link instead of e-mailing it (send it yourself).",
        )
        parser.add_argument(
            "--site-url", help="Where the site is, for the link (default: SITE_URL)."
        )

    def handle(self, email, authority, role, print_link, site_url=None, **options):
        try:
            invitation = invite_reader(
                email=email,
                organisation=find_organisation(authority),
                role=role,
                base_url=site_url,
                send=not print_link,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except (OSError, smtplib.SMTPException) as error:
            raise CommandError(
                f"The invitation could not be e-mailed ({error}), so nothing was changed. Check "
                "the EMAIL_* settings, or use --print and send the link yourself."
            ) from error
        membership = invitation.membership
        verb = "Invited" if invitation.created else "Invited again (the same account)"
        self.stdout.write(
            f"{verb}: {membership.user.email}, {membership.get_role_display()} for "
            f"{membership.organisation}."
        )
        if print_link:
            self.stdout.write(f"Their one-time link, valid for 7 days:\n{invitation.link}")
        else:
            self.stdout.write("The link to set their password has been e-mailed to them.")
