import datetime

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tests.factories import make_issue, make_item
from tests.mailserver import MailServer


@pytest.fixture
def mail_server(settings):
    """A real SMTP server on loopback; Django sends to it. `.inbox.messages` holds what arrived."""
    with MailServer() as server:
        settings.MAILERS = {
            "default": {
                "BACKEND": "newsletters.mailing.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
            }
        }
        yield server


@pytest.fixture
def run_tasks(db):
    """Run the queued background tasks that are due, as `manage.py db_worker` would, in this
    process (and so in this test's database). Returns how many ran."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )

    def run(*, limit=100):
        ran = 0
        while ran < limit and (task := DBTaskResult.objects.ready().first()) is not None:
            task.claim(worker.worker_id)
            worker.run_task(task)
            ran += 1
        return ran

    return run


@pytest.fixture
def update_515(db):
    """Update 515 of 22 July 2022, a draft with one news item (“Regional news”)."""
    issue = make_issue(515, date=datetime.date(2022, 7, 22), published=False)
    make_item(issue, "Regional news")
    return issue
