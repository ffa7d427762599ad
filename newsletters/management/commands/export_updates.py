"""manage.py export_updates [NUMBER…] --to DIR: updates as text files the importer reads back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsletters.export import export_filename, update_as_text
from newsletters.models import Issue


class Command(BaseCommand):
    help = (
        "Write updates as plain text in the newsletter's own shape (“UPDATE NO n dd Month yyyy”, "
        "Programme:/Update:/Action Required:, reminders, future meeting dates, Tools & Templates, "
        "Contact Details), one file per update named by its number (515.txt). Without numbers, "
        "every update with a date. Items for DCSs only are included. `import_updates DIR` reads "
        "the files back into the same records."
    )

    def add_arguments(self, parser):
        parser.add_argument("numbers", nargs="*", type=int, metavar="NUMBER")
        parser.add_argument(
            "--to", required=True, metavar="DIR", help="The folder to write (created if need be)."
        )

    def handle(self, *args, numbers, to, **options):
        folder = Path(to)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"cannot make the folder {folder}: {error.strerror}") from None
        issues = Issue.objects.order_by("number")
        if numbers:
            issues = issues.filter(number__in=numbers)
            missing = sorted(set(numbers) - set(issues.values_list("number", flat=True)))
            if missing:
                raise CommandError(
                    "there is no update "
                    + ", ".join(str(n) for n in missing)
                    + "; nothing was written"
                )
        written, undated = 0, []
        for issue in issues.iterator(chunk_size=100):
            if issue.date is None:
                undated.append(issue.number)
                continue
            path = folder / export_filename(issue)
            path.write_text(update_as_text(issue, dcs=True), encoding="utf-8")
            written += 1
        for number in undated:
            self.stderr.write(f"update {number}: warning: it has no date yet; not written")
        self.stdout.write(f"{written} updates written to {folder}")
