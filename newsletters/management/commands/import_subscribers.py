"""manage.py import_subscribers FILE.csv: add the readers a spreadsheet lists."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from newsletters.mailing.services import import_subscribers, read_subscriber_rows


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Add subscribers from a CSV file whose first line names the columns email, name, "
        "authority, role (authority: one of the authorities' names or short forms; role: DCS, "
        "DCS PA, Lead or Staff, or empty). They are subscribed without a confirmation e-mail. A bad "
        "line is reported with its number and the rest import; importing a file again changes "
        "nothing; an unsubscribed address is left unsubscribed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.csv")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, but save nothing."
        )

    def handle(self, *args, file, dry_run=False, **options):
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as problem:
            raise CommandError(f"{path}: cannot be read as a UTF-8 CSV file ({problem})") from None
        try:
            with transaction.atomic():
                report = import_subscribers(
                    rows=read_subscriber_rows(text.splitlines()), source=path.name
                )
                if dry_run:
                    raise DryRun
        except DryRun:
            pass
        except ValidationError as problem:
            raise CommandError(f"{path}: {' '.join(problem.messages)}") from None
        for line, message in report.errors:
            self.stderr.write(f"{path}, line {line}: {message}; this line was not imported")
        self.stdout.write(
            f"{'Would import' if dry_run else 'Imported'}: {report.added} added, "
            f"{report.changed} changed, {report.unchanged} unchanged, "
            f"{report.left_unsubscribed} left unsubscribed, {len(report.errors)} bad lines."
        )
        if report.errors:
            raise CommandError(f"{len(report.errors)} lines could not be imported (see above)")
