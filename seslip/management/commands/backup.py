from django.core.management.base import BaseCommand, CommandError

from seslip.backup import BackupError, make_backup, write_backup


class Command(BaseCommand):
    help = (
        "Save every update, news item, action, meeting, triad, resource, contact and account to "
        "one file (gzipped JSON) that `manage.py restore` can load into an empty database. "
        "For a large PostgreSQL database see pg_dump in seslip/backup.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to write, e.g. seslip-2026-11-23.json.gz.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be saved; write nothing."
        )
        parser.add_argument("--database", default="default", help="Which database to back up.")

    def handle(self, *args, path, dry_run, database, **options):
        try:
            if dry_run:
                manifest = make_backup(using=database)["manifest"]
            else:
                manifest = write_backup(path, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] == 0:
            return
        for entry in manifest:
            if options["verbosity"] > 1 or entry["count"]:
                self.stdout.write(f"{entry['model']}: {entry['count']}")
        total = sum(entry["count"] for entry in manifest)
        verb = "Would save" if dry_run else f"Saved to {path}:"
        self.stdout.write(self.style.SUCCESS(f"{verb} {total} records of {len(manifest)} kinds."))
