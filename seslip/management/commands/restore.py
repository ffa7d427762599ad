from django.core.management.base import BaseCommand, CommandError

from seslip.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Load a file made by `manage.py backup` into an empty database, all or nothing: the file "
        "is checked first, and the records are counted and checksummed after loading. "
        "Use --replace to replace everything in a database that already has content."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file to load.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete everything in the database and load the backup instead (in one "
            "transaction: if loading fails, nothing is deleted).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Load and check everything, then undo it: nothing changes.",
        )
        parser.add_argument("--database", default="default", help="Which database to restore into.")

    def handle(self, *args, path, replace, dry_run, database, **options):
        try:
            manifest = restore_backup(path, replace=replace, dry_run=dry_run, using=database)
        except BackupError as error:
            raise CommandError(f"Nothing was restored. {error}") from error
        if options["verbosity"] == 0:
            return
        for entry in manifest:
            if options["verbosity"] > 1 or entry["count"]:
                self.stdout.write(f"{entry['model']}: {entry['count']}")
        total = sum(entry["count"] for entry in manifest)
        done = "Checked (dry run, nothing changed)" if dry_run else "Restored"
        self.stdout.write(
            self.style.SUCCESS(
                f"{done}: {total} records of {len(manifest)} kinds; counts and checksums match."
            )
        )
