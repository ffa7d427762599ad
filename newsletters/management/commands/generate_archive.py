import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction


def positive(text):
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


positive.__name__ = "positive whole number"


class DryRun(Exception):
    pass


def analyze():
    """Tidy up after a bulk load at once, as PostgreSQL's autovacuum would only later: planner
    statistics (without them it plans the new rows with a guess: seconds, not milliseconds) and,
    outside a transaction, the old row versions the load's updates left (twice the live rows)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


class Command(BaseCommand):
    help = (
        "Write a made-up archive of published updates shaped like the real ones (news items, "
        "reminders, actions, network meetings, peer-challenge triads, Tools & Templates, Contact "
        "Details), for trying the site and the benchmarks at any archive size. The updates are "
        "dated weekly up to last Friday. Never run it on the live site's database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--updates", type=positive, required=True, help="How many updates to write."
        )
        parser.add_argument(
            "--items-per-update",
            type=positive,
            default=8,
            help="News items in each update, reminders included (default 8: six new, two "
            "reminders; a quarter are reminders).",
        )
        parser.add_argument(
            "--big-update",
            type=positive,
            metavar="ITEMS",
            help="Give the update in the middle of the run exactly this many items (e.g. 30, "
            "for the admin benchmark).",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Same seed, same day: the same archive."
        )
        parser.add_argument(
            "--start-number",
            type=positive,
            default=1000,
            help="Number of the first (oldest) update (default 1000). Refuses if any number "
            "it would use is taken.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Build everything, then write nothing."
        )

    def handle(self, *args, **options):
        # A development tool kept with the benchmarks: the site itself never imports it.
        from bench.archive_generator import ArchiveError, generate_archive

        started = time.monotonic()
        try:
            with transaction.atomic():
                counts = generate_archive(
                    updates=options["updates"],
                    items_per_update=options["items_per_update"],
                    big_update=options["big_update"] or 0,
                    seed=options["seed"],
                    start_number=options["start_number"],
                )
                if options["dry_run"]:
                    raise DryRun
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        except DryRun:
            self.stdout.write("Dry run: nothing was written.")
        else:
            analyze()
        self.report(counts, time.monotonic() - started, dry_run=options["dry_run"])

    def report(self, counts, seconds, *, dry_run):
        verb = "Would write" if dry_run else "Wrote"
        numbers = counts.numbers
        self.stdout.write(
            f"{verb} {counts.updates:,} updates ({numbers.start}–{numbers.stop - 1}) in "
            f"{seconds:.1f} s: {counts.items:,} news items, {counts.reminders:,} reminders, "
            f"{counts.actions:,} actions, {counts.meetings:,} meetings, {counts.triads:,} triads "
            f"in {counts.rounds:,} peer-challenge rounds, {counts.resources:,} Tools & Templates "
            f"entries, {counts.contacts:,} new contacts, {counts.networks:,} new networks."
        )
        if counts.big_update is not None:
            self.stdout.write(
                f"Update {counts.big_update} has {counts.big_update_items} items "
                "(for the admin benchmark)."
            )
