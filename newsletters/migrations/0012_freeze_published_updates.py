"""Published updates keep, from now on, what they list as it stands today: the facts they
printed before this were not kept, so today's are the best record there is (a re-import keeps
the facts the archive's text printed)."""

from django.db import migrations
from django.db.models import Prefetch

from newsletters import printed


def freeze(apps, schema_editor):
    Issue = apps.get_model("newsletters", "Issue")
    IssueMeeting = apps.get_model("newsletters", "IssueMeeting")
    IssueContact = apps.get_model("newsletters", "IssueContact")
    TriadMember = apps.get_model("networks", "TriadMember")
    published = Issue.objects.filter(published_at__isnull=False)
    meetings = IssueMeeting.objects.filter(issue__in=published, printed__isnull=True)
    for listing in meetings.select_related("meeting").iterator(chunk_size=2000):
        listing.printed = printed.facts_of_meeting(listing.meeting)
        listing.save(update_fields=["printed"])
    contacts = IssueContact.objects.filter(issue__in=published, printed__isnull=True)
    for listing in contacts.select_related("contact").iterator(chunk_size=2000):
        listing.printed = printed.facts_of_contact(listing.contact)
        listing.save(update_fields=["printed"])
    memberships = TriadMember.objects.select_related("authority").order_by("position", "id")
    triads = Prefetch("triads__memberships", queryset=memberships)
    for issue in published.filter(triads__isnull=False).distinct().prefetch_related(triads):
        issue.printed_triads = {str(t.pk): printed.facts_of_triad(t) for t in issue.triads.all()}
        issue.save(update_fields=["printed_triads"])


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0011_printed_record"),
        ("networks", "0003_meeting_date"),
    ]

    operations = [migrations.RunPython(freeze, migrations.RunPython.noop)]
