from typing import Any

from seslip.backup import make_backup, write_backup
from seslip.management.manifest_command import Manifest, ManifestCommand


class Command(ManifestCommand):
    help = (
        "Save every update, news item, action, meeting, triad, resource, contact and account to "
        "one file (gzipped JSON) that `manage.py restore` can load into an empty database. "
        "For a large PostgreSQL database see pg_dump in seslip/backup.py."
    )
    path_help = "The file to write, e.g. seslip-2026-11-23.json.gz."
    dry_run_help = "Count what would be saved; write nothing."
    database_help = "Which database to back up."

    def run(self, path: str, *, dry_run: bool, database: str, **options: Any) -> Manifest:
        if dry_run:
            return make_backup(using=database)["manifest"]
        return write_backup(path, using=database)

    def done(self, path: str, dry_run: bool, total: int, kinds: int) -> str:
        verb = "Would save" if dry_run else f"Saved to {path}:"
        return f"{verb} {total} records of {kinds} kinds."
