"""What the admin tests share: the registered models of an app, their page URLs, sample records."""

from django.contrib import admin
from django.urls import reverse

from contacts.models import Organisation
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


def registered_models(app_label):
    """Every model of the app with an admin, read from the admin site so none is forgotten."""
    models = (model for model in admin.site._registry if model._meta.app_label == app_label)
    return sorted(models, key=lambda model: model._meta.model_name)


def model_id(model):
    return model._meta.model_name


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
    make_action(item, due_date=days(5), contact=contact)
    make_resource(issue, publisher="DfE")
    list_contact(issue, contact)
    list_meeting(issue, meeting)
    issue.triads.add(make_triad())
    return issue
