"""Background work of the e-mail edition, run by `manage.py db_worker` (django-tasks-db)."""

from django.tasks import task


@task
def send_edition(edition_id: int) -> str:
    from .sending import run_edition

    return run_edition(edition_id)


@task
def send_subscription_link(subscriber_id: int) -> None:
    from .services import mail_subscription_link

    mail_subscription_link(subscriber_id=subscriber_id)
