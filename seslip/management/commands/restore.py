from typing import Any

from django.core.management.base import CommandParser

from seslip.backup import restore_backup
from seslip.management.manifest_command import Manifest, ManifestCommand


class Command(ManifestCommand):
    help = (
        "Load a file made by `manage.py backup` into an empty database, all or nothing: the file "
        "is checked first, and the records are counted and checksummed after loading. "
        "Use --replace to replace everything in a database that already has content."
    )
    path_help = "The backup file to load."
    dry_run_help = "Load and check everything, then undo it: nothing changes."
    database_help = "Which database to restore into."
    failed = "Nothing was restored. "

    def add_own_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete everything in the database and load the backup instead (in one "
            "transaction: if loading fails, nothing is deleted).",
        )

    def run(self, path: str, *, dry_run: bool, database: str, **options: Any) -> Manifest:
        return restore_backup(path, replace=options["replace"], dry_run=dry_run, using=database)

    def done(self, path: str, dry_run: bool, total: int, kinds: int) -> str:
        done = "Checked (dry run, nothing changed)" if dry_run else "Restored"
        return f"{done}: {total} records of {kinds} kinds; counts and checksums match."
