"""What `manage.py backup` and `manage.py restore` share: the backup file and the database they
name, a dry run, a failure told in the backup's own words (seslip/backup.py), and the manifest
they report: the kinds of records with their counts (every kind at -v2, those with records at
-v1, nothing at -v0), then one line of totals."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from seslip.backup import BackupError

Manifest = list[dict[str, Any]]


class ManifestCommand(BaseCommand):
    path_help = ""
    dry_run_help = ""
    database_help = ""
    failed = ""  # said before the backup's own words when it fails

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help=self.path_help)
        self.add_own_arguments(parser)
        parser.add_argument("--dry-run", action="store_true", help=self.dry_run_help)
        parser.add_argument("--database", default="default", help=self.database_help)

    def add_own_arguments(self, parser: CommandParser) -> None:
        """The command's own options, listed between the path and --dry-run."""

    def handle(self, *args: Any, path: str, dry_run: bool, database: str, **options: Any) -> None:
        try:
            manifest = self.run(path, dry_run=dry_run, database=database, **options)
        except BackupError as error:
            raise CommandError(f"{self.failed}{error}") from error
        if options["verbosity"] == 0:
            return
        for entry in manifest:
            if options["verbosity"] > 1 or entry["count"]:
                self.stdout.write(f"{entry['model']}: {entry['count']}")
        total = sum(entry["count"] for entry in manifest)
        self.stdout.write(self.style.SUCCESS(self.done(path, dry_run, total, len(manifest))))

    def run(self, path: str, *, dry_run: bool, database: str, **options: Any) -> Manifest:
        """Back up or restore; the manifest of what was (or would be) saved or loaded."""
        raise NotImplementedError

    def done(self, path: str, dry_run: bool, total: int, kinds: int) -> str:
        """The closing line, after the counts."""
        raise NotImplementedError
