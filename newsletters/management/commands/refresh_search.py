"""manage.py refresh_search: recompute the stored search vectors of every item, action and resource."""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from newsletters.models import Action, NewsItem, Resource


class Command(BaseCommand):
    help = (
        "Rebuild what the site search looks words up in, for every news item, action and Tools & "
        "Templates entry. Saving in the editor keeps it current, so this is only needed after "
        "text was changed outside the site (restoring a backup, a database fix by hand). "
        "PostgreSQL only: on SQLite, search reads the text itself and there is nothing to do."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say how many records would be refreshed, but change nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Nothing to do: on SQLite, search reads the text itself.")
            return
        models = [(NewsItem, "news items"), (Action, "actions"), (Resource, "Tools & Templates")]
        with transaction.atomic():
            counts = [
                (model.objects.count() if dry_run else model.objects.all().refresh_search(), name)
                for model, name in models
            ]
        done = "Would refresh" if dry_run else "Refreshed"
        self.stdout.write(
            f"{done} the search of " + ", ".join(f"{n} {name}" for n, name in counts) + "."
        )
