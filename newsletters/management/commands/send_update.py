"""manage.py send_update N: queue update N's e-mail edition, or send a test of it."""

from anymail.exceptions import AnymailError
from django.core.management.base import BaseCommand, CommandError

from newsletters.mailing import services
from newsletters.models import Issue


class Command(BaseCommand):
    help = (
        "Queue the e-mail edition of update N for its subscribers (a running `manage.py "
        "db_worker` sends it). Nobody is sent an update twice: an edition already sent is only "
        "sent to those who have not had it with --to-those-without-it. --test-to ADDRESS sends "
        "one test copy now instead, and queues nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("number", type=int, metavar="N", help="The update's number.")
        parser.add_argument("--test-to", metavar="ADDRESS", help="Send a test copy to ADDRESS.")
        parser.add_argument(
            "--as-reader",
            action="store_true",
            help="With --test-to: the copy readers who are not DCSs get.",
        )
        parser.add_argument(
            "--to-those-without-it",
            action="store_true",
            help="Send an edition already sent to the subscribers who have not had it.",
        )

    def handle(
        self, *args, number, test_to=None, as_reader=False, to_those_without_it=False, **options
    ):
        issue = Issue.objects.filter(number=number).first()
        if issue is None:
            raise CommandError(f"There is no update {number}.")
        if test_to:
            return self.send_test(issue, test_to, dcs=not as_reader)
        if not issue.is_published:
            raise CommandError(f"Update {number} is not published yet: publish it first.")
        if to_those_without_it:
            edition = services.queue_edition(issue=issue) or issue.edition
            count = services.send_to_those_without(edition=edition)
            self.stdout.write(
                f"Update {number} is queued for {count} subscribers who had not had it."
            )
            return
        edition = services.queue_edition(issue=issue)
        if edition is None:
            self.stdout.write(
                f"Update {number} was sent already; nobody gets it twice. To send it to those "
                "who have not had it, add --to-those-without-it."
            )
        else:
            self.stdout.write(f"Update {number} is queued: a running db_worker sends it.")

    def send_test(self, issue, address, *, dcs):
        if issue.date is None:
            raise CommandError(f"{issue} has no date yet: give it one to send a test.")
        try:
            services.send_test(issue=issue, to=address, dcs=dcs)
        except (OSError, AnymailError) as problem:
            raise CommandError(f"The test was not sent: {problem}") from None
        self.stdout.write(f"A test of {issue} is sent to {address}.")
