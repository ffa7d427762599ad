"""A Tools & Templates resource is found by readers from the moment the first update listing it is
published.

Search filters on the time stored on the resource (Resource.published_from), so each way an
editor changes the updates' listings or publication times must keep it current.
"""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from newsletters.models import Issue, IssueResource, Resource
from tests.factories import make_issue, make_item, make_resource

pytestmark = pytest.mark.django_db

TOOLKIT, GUIDE = "Leaving care toolkit", "Fostering allowances guide"


def resource(issue, title=TOOLKIT, **fields):
    return make_resource(issue, title, description="A checklist for councils.", **fields)


def publishable_draft():
    draft = make_issue(published=False)
    make_item(draft, "Regional news")  # an update is published with a headline
    return draft


def found(client, *, words="checklist"):
    """The resources a reader finds on the search page (searching their description)."""
    response = client.get(reverse("search"), {"q": words})
    assert response.status_code == 200
    return {title for title in (TOOLKIT, GUIDE) if title in response.text}


def test_a_resource_in_a_draft_is_not_found_until_the_update_is_published(client):
    draft = publishable_draft()
    resource(draft)
    assert found(client) == set()

    draft.publish()

    assert found(client) == {TOOLKIT}


def test_a_resource_in_a_scheduled_update_is_found_once_its_time_comes_without_another_write(
    client, monkeypatch
):
    soon = timezone.now() + datetime.timedelta(hours=1)
    resource(make_issue(published=soon))
    assert found(client) == set()

    later = soon + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert found(client) == {TOOLKIT}


def test_a_dcs_only_resource_is_found_by_a_dcs_and_not_by_other_readers(client, reader, dcs):
    resource(make_issue(), dcs_only=True)
    client.force_login(reader)
    assert found(client) == set()

    client.force_login(dcs)

    assert found(client) == {TOOLKIT}


def test_unpublishing_the_only_update_listing_a_resource_hides_it(client):
    issue = make_issue()
    resource(issue)

    issue.unpublish()

    assert found(client) == set()


def test_a_resource_stays_found_while_any_published_update_lists_it(client):
    first, second = make_issue(), make_issue()
    IssueResource.objects.create(issue=second, resource=resource(first))

    first.unpublish()

    assert found(client) == {TOOLKIT}


def test_taking_a_resource_out_of_its_update_hides_it(client):
    listing = resource(make_issue()).listings.get()

    listing.delete()

    assert found(client) == set()


def test_moving_a_listing_to_another_resource_updates_both_resources(client):
    listing = resource(make_issue()).listings.get()
    other = resource(None, GUIDE)

    listing.resource = other
    listing.save()

    assert found(client) == {GUIDE}


def test_moving_a_listing_to_a_draft_hides_its_resource(client):
    listing = resource(make_issue()).listings.get()

    listing.issue = make_issue(published=False)
    listing.save()

    assert found(client) == set()


def test_listings_created_in_bulk_show_their_resources(client):
    issue = make_issue()
    toolkit = resource(None)

    IssueResource.objects.bulk_create([IssueResource(issue=issue, resource=toolkit)])

    assert found(client) == {TOOLKIT}


def test_listings_moved_in_bulk_to_another_resource_update_both_resources(client):
    resource(make_issue())
    other = resource(None, GUIDE)

    IssueResource.objects.update(resource=other)

    assert found(client) == {GUIDE}


def test_listings_removed_in_bulk_hide_their_resources(client):
    issue = make_issue()
    resource(issue)

    issue.resource_listings.all().delete()

    assert found(client) == set()


def test_updates_unpublished_in_bulk_hide_their_resources(client):
    resource(make_issue())

    Issue.objects.update(published_at=None)

    assert found(client) == set()


def test_deleting_an_update_hides_the_resources_only_it_listed(client):
    keep, gone = make_issue(), make_issue()
    resource(keep, GUIDE)
    resource(gone)

    gone.delete()

    assert found(client) == {GUIDE}


def test_updates_deleted_in_bulk_hide_their_resources(client):
    resource(make_issue())

    Issue.objects.all().delete()

    assert found(client) == set()


def test_saving_a_resource_loaded_before_it_was_published_keeps_it_found(client):
    draft = publishable_draft()
    toolkit = resource(draft)
    draft.publish()

    toolkit.publisher = "DfE"
    toolkit.save()

    assert found(client) == {TOOLKIT}


def test_a_restored_backup_without_publication_times_shows_the_resources_its_updates_list(
    client, tmp_path
):
    resource(make_issue())
    Resource._base_manager.update(published_from=None)  # as a backup from before the field
    assert found(client) == set()
    path = tmp_path / "seslip.json.gz"
    call_command("backup", str(path), verbosity=0)

    call_command("restore", str(path), "--replace", verbosity=0)

    assert found(client) == {TOOLKIT}
