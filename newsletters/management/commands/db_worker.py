"""django-tasks-db's `db_worker`, which first loads what sending an edition needs.

Loading it up front (the mail templates, the CSS inliner, the text exporter) means the worker's
memory does not jump when the first edition arrives, and the first reader's copy is not the slow
one. Everything else is django-tasks-db's worker, unchanged (`manage.py db_worker --help`).
"""

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from newsletters.mailing.message import load_for_sending


class Command(WorkerCommand):
    def handle(self, *args, **options):
        load_for_sending()
        super().handle(*args, **options)
