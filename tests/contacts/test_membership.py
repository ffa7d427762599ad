"""A reader account belongs to one organisation and has one role, which is also its group."""

import pytest
from django.urls import reverse

from contacts.models import Membership
from seslip.lib import roles
from tests.conftest import member
from tests.factories import make_issue, make_item


def test_a_dcs_pa_reads_dcs_only_material_as_their_dcs_does(django_user_model):
    pa = member(django_user_model, "penny", "Kent", roles.ReaderRole.DCS_PA)
    assert roles.is_dcs(pa)


@pytest.mark.parametrize("role", [roles.ReaderRole.LEAD, roles.ReaderRole.STAFF])
def test_leads_and_staff_do_not_read_dcs_only_material(django_user_model, role):
    assert not roles.is_dcs(member(django_user_model, "lee", "Kent", role))


def test_changing_the_role_moves_the_account_to_that_group_only(kent_dcs):
    membership = Membership.objects.get(user=kent_dcs)
    membership.role = roles.ReaderRole.LEAD
    membership.save()
    assert list(kent_dcs.groups.values_list("name", flat=True)) == [roles.LEADS]


def test_a_signed_in_dcs_pa_sees_a_dcs_only_item_on_its_update(client, django_user_model):
    issue = make_issue(515)
    make_item(issue, "Pay award briefing", dcs_only=True)
    member(django_user_model, "penny", "Kent", roles.ReaderRole.DCS_PA)
    client.post(reverse("login"), {"username": "penny", "password": "correct horse battery"})
    assert "Pay award briefing" in client.get(issue.get_absolute_url()).text


def test_a_dcs_whose_membership_is_deleted_no_longer_reads_dcs_only_material(client, kent_dcs):
    issue = make_issue(515)
    make_item(issue, "Pay award briefing", dcs_only=True)
    Membership.objects.get(user=kent_dcs).delete()
    assert not kent_dcs.groups.exists()
    client.post(
        reverse("login"), {"username": kent_dcs.username, "password": "correct horse battery"}
    )
    assert "Pay award briefing" not in client.get(issue.get_absolute_url()).text


def test_deleting_memberships_from_the_admin_list_takes_their_role_groups_away(
    admin_client, kent_dcs
):
    membership = Membership.objects.get(user=kent_dcs)
    admin_client.post(
        reverse("admin:contacts_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not kent_dcs.groups.exists()
