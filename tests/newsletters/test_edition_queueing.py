"""Publishing queues the e-mail edition, whichever way the update is published; importing the
archive sends nothing."""

import datetime
import shutil

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsletters.models import Edition, Issue, Subscriber
from tests.admin_pages import issue_form
from tests.factories import make_issue, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann(db):
    return Subscriber.objects.create(email="ann@example.org", status=Subscriber.Status.SUBSCRIBED)


def test_a_scheduled_update_is_sent_when_its_time_comes(ann, mail_server, run_tasks):
    issue = make_issue(612, published=False)
    make_item(issue)
    issue.publish(at=timezone.now() + datetime.timedelta(hours=2))
    run_tasks()
    assert mail_server.inbox.messages == []
    # Two hours later:
    Issue.objects.filter(pk=issue.pk).update(published_at=timezone.now())
    DBTaskResult.objects.update(run_after=timezone.now())
    run_tasks()
    assert len(mail_server.inbox.to("ann@example.org")) == 1


def test_typing_a_publication_time_in_the_compose_screen_queues_the_edition(
    client, editor, ann, mail_server, run_tasks
):
    client.post(
        "/admin/login/",
        {"username": "edith", "password": "correct horse battery", "next": "/admin/"},
    )
    issue = make_issue(612, published=False)
    data = issue_form(612, placements=[(None, make_item().pk, "headline")]) | {
        "published_at_0": timezone.localdate().isoformat(),
        "published_at_1": timezone.localtime().strftime("%H:%M"),
    }
    client.post(reverse("admin:newsletters_issue_change", args=[issue.pk]), data)
    DBTaskResult.objects.update(run_after=timezone.now())
    run_tasks()
    assert Edition.objects.get().issue == issue
    assert len(mail_server.inbox.to("ann@example.org")) == 1


def test_importing_the_archive_sends_nothing(ann, tmp_path, settings):
    shutil.copy(settings.BASE_DIR / "seeds" / "000_1bee71e371f7a24c.txt", tmp_path)
    call_command("import_updates", str(tmp_path))
    assert Issue.objects.published().exists()
    assert not Edition.objects.exists()
    assert not DBTaskResult.objects.exists()
