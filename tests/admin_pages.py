"""What the admin tests share: the registered models of an app, their page URLs, sample records."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from contacts.models import Membership, Organisation
from newsletters.models import Action, Delivery, Edition, Subscriber
from newsletters.responses import address_action
from seslip.lib.roles import ReaderRole
from tests.factories import (
    days,
    list_contact,
    list_meeting,
    make_action,
    make_contact,
    make_issue,
    make_item,
    make_meeting,
    make_network,
    make_resource,
    make_triad,
)

PAGES = ["changelist", "add", "change"]
WITHOUT_ADD_PAGE = {Edition}  # made by publishing an update, never by hand


def make_member(email, organisation, role=ReaderRole.DCS):
    user = get_user_model().objects.create_user(username=email, email=email)
    return Membership.objects.create(user=user, organisation=organisation, role=role)


ISSUE_INLINES = ["placements", "resource_listings", "contact_listings", "meeting_listings"]


def registered_models(app_label):
    """Every model of the app with an admin, read from the admin site so none is forgotten."""
    models = (model for model in admin.site._registry if model._meta.app_label == app_label)
    return sorted(models, key=lambda model: model._meta.model_name)


def model_id(model):
    return model._meta.model_name


def model_pages(models):
    """(model, page) of every page the admin offers for these models."""
    return [
        (model, page)
        for model in models
        for page in PAGES
        if not (page == "add" and model in WITHOUT_ADD_PAGE)
    ]


def admin_url(model, page):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
    if page in ("change", "delete", "history"):
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, (
            f"no {model._meta.verbose_name} to open: add one to one_of_everything"
        )
        return reverse(name, args=[obj.pk])
    return reverse(name)


def one_of_everything():
    """An update holding one of each kind of record, so every change page has something to show."""
    kent = Organisation.objects.get(name="Kent")
    contact = make_contact(organisation=kent, email="isabelle@example.org")
    meeting = make_meeting(make_network(convener=contact), days(7), contact=contact, topic="Data")
    issue = make_issue(349, date=days(-1))
    item = make_item(issue, "Regional news", contacts=[contact], authorities=[kent])
    action = make_action(item, due_date=days(5), contact=contact)
    address_action(action=action, to=Action.Addressees.ALL, by=None)
    make_resource(issue, publisher="DfE")
    list_contact(issue, contact)
    list_meeting(issue, meeting)
    issue.triads.add(make_triad())
    reader = Subscriber.objects.create(email="ann@example.org", status=Subscriber.Status.SUBSCRIBED)
    edition = Edition.objects.create(issue=issue)
    Delivery.objects.create(edition=edition, subscriber=reader, status=Delivery.Status.FAILED)
    make_member("dee@kent.example", kent)
    return issue


def issue_form(number, *, date="2019-11-08", placements=(), initial_placements=0):
    """The POST data of the update's admin form, with `placements` as (id, item id, section)."""
    data = {"number": number, "date": date, "intro": "", "improvement_plan": ""}
    for prefix in ISSUE_INLINES:
        data[f"{prefix}-TOTAL_FORMS"] = 0
        data[f"{prefix}-INITIAL_FORMS"] = 0
    data["placements-TOTAL_FORMS"] = len(placements)
    data["placements-INITIAL_FORMS"] = initial_placements
    for index, (pk, item_id, section) in enumerate(placements):
        data[f"placements-{index}-id"] = pk or ""
        data[f"placements-{index}-item"] = item_id
        data[f"placements-{index}-section"] = section
        data[f"placements-{index}-position"] = index
    return data


def sign_in(page, live_server, user, url):
    """Sign `user` in through the admin's login page in a browser tab, and land on `url`."""
    page.goto(f"{live_server.url}{reverse('admin:login')}?next={url}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_url(f"**{url}")
