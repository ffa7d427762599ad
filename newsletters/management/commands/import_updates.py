"""manage.py import_updates PATH…: the plain-text archive into updates, items and the rest."""

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsletters.importer.load import load_update
from newsletters.importer.parse import parse_update
from newsletters.importer.text import READABLE_SUFFIXES, ImportFailure, read_update

SUMMARY_COUNTS = ["items", "reminders", "actions", "meetings", "triads", "resources", "contacts"]


class Command(BaseCommand):
    help = (
        "Import archived updates (plain-text files like those in seeds/) as published updates with "
        "their news items, reminders, actions, network meetings, peer-challenge triads, Tools & "
        "Templates and Contact Details. Give files or folders (every .txt file inside is read). "
        "Importing a file again changes nothing; a file that has changed updates its update. "
        "Doubtful lines are reported as warnings and the rest is imported; a file that cannot be "
        "read as an update, that yields no news items, or that repeats an update number already "
        "read in this run is skipped whole and named in an error (and the command fails). "
        "Files may be plain text (.txt, UTF-8), e-mails (.eml) or web pages (.html). Run with "
        "--dry-run first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="Update files, or folders of .txt files."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and check everything and report what would be imported, but save nothing.",
        )

    def handle(self, *args, paths, dry_run=False, traceback=False, **options):
        self.counts = Counter()
        self.traceback = traceback
        # First every file is read and checked, keeping only its number and date (so memory stays
        # flat over a whole archive); then each is read again and loaded, oldest first, so that
        # reminders find the update that first ran them.
        found, first_with = [], {}
        for path in self._files(paths):
            update = self._attempt(path, lambda p=path: self._parse(p, first_with))
            if update:
                found.append((update.date, update.number, path))
                first_with[update.number] = path
        for _, _, path in sorted(found):
            self._attempt(path, lambda p=path: self._load(p, dry_run))
        self._summary(dry_run)
        if self.counts["failed"]:
            raise CommandError(
                f"{self.counts['failed']} of {self.counts['files']} files could not be imported "
                "(see the errors above)"
            )

    def _files(self, paths):
        for name in paths:
            path = Path(name)
            if path.is_dir():
                files = sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES
                )
                if not files:
                    self.stderr.write(
                        f"{path}: warning: no update files (.txt, .eml, .html) in this folder"
                    )
                    self.counts["warnings"] += 1
                yield from files
            else:
                yield path

    def _attempt(self, path, step):
        try:
            return step()
        except ImportFailure as failure:
            where = f"{path}:{failure.line}" if failure.line else str(path)
            self.stderr.write(
                f"{where}: error: {failure.message}; nothing from this file was imported"
            )
        except Exception as error:
            if self.traceback:
                raise
            self.stderr.write(
                f"{path}: error: unexpected problem ({type(error).__name__}: {error}); nothing "
                "from this file was imported (run with --traceback for details)"
            )
        self.counts["failed"] += 1
        return None

    def _parse(self, path, first_with):
        self.counts["files"] += 1
        source = read_update(path)
        update = parse_update(source.lines)
        if update.number in first_with:
            raise ImportFailure(
                f"update {update.number} is also in {first_with[update.number]}, read before "
                "this file; an update is imported from one file per run, so this one was refused",
                update.line,
            )
        return update

    def _load(self, path, dry_run):
        source = read_update(path)
        update = parse_update(source.lines)
        outcome = load_update(
            update, source_name=source.name, sha256=source.sha256, dry_run=dry_run
        )
        for line, message in outcome.warnings:
            self.stderr.write(f"{path}:{line}: warning: {message}")
        self.counts["warnings"] += len(outcome.warnings)
        self.counts[outcome.status] += 1
        self.counts.update(outcome.counts)
        details = ", ".join(f"{outcome.counts[c]} {c}" for c in SUMMARY_COUNTS)
        label = f"update {outcome.number} ({outcome.date:%-d %B %Y})"
        if outcome.status == "unchanged":
            self.stdout.write(f"{path}: {label}: unchanged")
        else:
            self.stdout.write(f"{path}: {label}: {outcome.status} — {details}")
        return outcome

    def _summary(self, dry_run):
        c = self.counts
        line = (
            f"{'Dry run, nothing saved: ' if dry_run else ''}"
            f"{c['files']} files: {c['new']} new, {c['changed']} changed, {c['unchanged']} unchanged, "
            f"{c['failed']} failed; "
            + ", ".join(f"{c[name]} {name}" for name in SUMMARY_COUNTS)
            + f"; {c['warnings']} warnings"
        )
        self.stdout.write(line)
