"""A provider's bounce and complaint reports (django-anymail's webhooks): the reader is marked
bouncing, with what the provider said, so editors see it; nobody is deleted."""

from django.db import transaction

from .models import Subscriber

MARKS_BOUNCING = {"bounced": "Bounced", "complained": "Marked as spam", "rejected": "Rejected"}


def record_tracking_event(sender, event, esp_name, **kwargs) -> None:
    """anymail's `tracking` signal: its webhooks offer no other way to be told."""
    what = MARKS_BOUNCING.get(event.event_type)
    if what is None or not event.recipient:
        return
    said = event.mta_response or event.description or event.reject_reason or ""
    note = f"{what} (reported by {esp_name}{', ' + event.timestamp.strftime('%-d %b %Y') if event.timestamp else ''}): {said}".strip(
        ": "
    )
    with transaction.atomic():
        for subscriber in Subscriber.objects.by_email(event.recipient).select_for_update():
            subscriber.mark_bouncing(note)
