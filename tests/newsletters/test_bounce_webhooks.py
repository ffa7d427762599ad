"""A provider's bounce and complaint webhooks (django-anymail) mark the reader bouncing."""

import base64
import json

import pytest

from newsletters.models import Subscriber

pytestmark = pytest.mark.django_db

AUTH = "Basic " + base64.b64encode(b"hook:s3cret").decode()

# As Postmark posts them (its documentation's examples, with our reader's address).
POSTMARK_BOUNCE = {
    "RecordType": "Bounce",
    "MessageStream": "outbound",
    "ID": 4323372036854775807,
    "Type": "HardBounce",
    "TypeCode": 1,
    "Name": "Hard bounce",
    "Tag": "update-612",
    "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
    "Metadata": {},
    "ServerID": 23,
    "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
    "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
    "Email": "ann@example.org",
    "From": "updates@seslip.example",
    "BouncedAt": "2026-11-27T16:33:54.9070259Z",
    "DumpAvailable": True,
    "Inactive": True,
    "CanActivate": True,
    "Subject": "SESLIP Update 612",
}
POSTMARK_COMPLAINT = {
    **POSTMARK_BOUNCE,
    "RecordType": "SpamComplaint",
    "Type": "SpamComplaint",
    "TypeCode": 512,
    "Name": "Spam complaint",
    "Description": "",
    "Details": "Marked as spam by the recipient",
}


@pytest.fixture
def ann(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook:s3cret"}
    return Subscriber.objects.create(email="ann@example.org", status=Subscriber.Status.SUBSCRIBED)


def post(client, payload, auth=AUTH):
    return client.post(
        "/anymail/postmark/tracking/",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=auth,
    )


def test_a_bounce_report_marks_the_reader_bouncing_and_says_why(client, ann):
    assert post(client, POSTMARK_BOUNCE).status_code == 200
    ann.refresh_from_db()
    assert ann.status == Subscriber.Status.BOUNCING
    assert ann.status_note.startswith("Bounced (reported by Postmark, 27 Nov 2026)")
    assert "550 5.1.1" in ann.status_note or "unable to deliver" in ann.status_note


def test_a_spam_complaint_marks_the_reader_bouncing_and_deletes_nobody(client, ann):
    post(client, POSTMARK_COMPLAINT)
    ann.refresh_from_db()
    assert ann.status == Subscriber.Status.BOUNCING
    assert ann.status_note.startswith("Marked as spam")
    assert Subscriber.objects.count() == 1


def test_a_report_without_the_webhook_secret_changes_nothing(client, ann):
    response = post(client, POSTMARK_BOUNCE, auth="Basic " + base64.b64encode(b"x:y").decode())
    assert response.status_code == 400
    ann.refresh_from_db()
    assert ann.status == Subscriber.Status.SUBSCRIBED
