"""The admin's side of the authorities' responses to actions: editors address an action (its
inline row and its own page), answer on an authority's behalf, and see who has not answered."""

import csv
from typing import NamedTuple

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from contacts.models import Organisation
from seslip.lib.roles import is_editor

from ..admin_forms import ActionForm
from ..models import Action, ActionResponse, ResponseStatus
from ..responses import address_action, plan_addressing


class Cell(NamedTuple):
    status: str
    label: str
    short: str


SHORT_STATUS = {
    ResponseStatus.NOT_STARTED: "–",
    ResponseStatus.IN_PROGRESS: "…",
    ResponseStatus.DONE: "✓",
    ResponseStatus.NOT_APPLICABLE: "n/a",
}
CELLS = {status: Cell(status, status.label, short) for status, short in SHORT_STATUS.items()}


class AddressedActionForm(ActionForm):
    """An action's row on its news item's page: whom it is addressed to. A chosen set is ticked
    on the action's own page."""

    def chosen_authorities(self):
        return None  # keep the chosen set as it is

    def clean(self):
        cleaned = super().clean()
        to = cleaned.get("addressed_to")
        if to is None:
            return cleaned
        chosen = self.chosen_authorities()
        try:
            if self.instance.pk:
                plan_addressing(self.instance, to, chosen)
            elif to == Action.Addressees.CHOSEN and not chosen:
                raise ValidationError(
                    "Tick the local authorities it is addressed to on the action's own page "
                    "(save it, then “Change”), or address it to all 19 or to no one."
                )
        except ValidationError as error:
            self.add_error("addressed_to", error)
        return cleaned


class ActionAddresseesForm(AddressedActionForm):
    """The action's own page: the chosen authorities are ticked here."""

    authorities = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.local_authorities().order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Chosen local authorities",
        help_text="Used when the action is addressed to “the local authorities chosen”: a triad, "
        "the MoU signatories … An authority that has answered stays addressed.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["authorities"].initial = list(
                self.instance.responses.values_list("authority_id", flat=True)
            )

    def chosen_authorities(self):
        if self.cleaned_data.get("addressed_to") != Action.Addressees.CHOSEN:
            return None
        return list(self.cleaned_data.get("authorities") or [])


def apply_addressees(request, form):
    """After the action is saved: its responses follow whom it is addressed to."""
    action = form.instance
    chooser = getattr(form, "chosen_authorities", None)
    address_action(
        action=action,
        to=action.addressed_to,
        authorities=chooser() if chooser else None,
        by=request.user,
    )


def apply_formset_addressees(request, formset):
    for form in formset.forms:
        if form.instance.pk and form not in formset.deleted_forms and form.has_changed():
            apply_addressees(request, form)


class AnsweringFormSet(BaseInlineFormSet):
    """An editor's change to a response is an answer on the authority's behalf: when and who."""

    user = None

    def save_existing(self, form, obj, commit=True):
        obj.answer(status=obj.status, note=obj.note, link=obj.link, by=self.user)
        return obj


class ActionResponseInline(admin.TabularInline):
    model = ActionResponse
    formset = AnsweringFormSet
    fields = ["authority", "status", "note", "link", "answered_at", "answered_by"]
    readonly_fields = ["authority", "answered_at", "answered_by"]
    extra = 0
    max_num = 0  # authorities are addressed above, not added here
    can_delete = False
    verbose_name = "authority's response"
    verbose_name_plural = "Responses (change one to answer on an authority's behalf)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("authority", "answered_by")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        return formset


def open_addressed_actions():
    """Open actions addressed to someone, oldest first (by when their item was first published)."""
    return (
        Action.objects.open()
        .filter(addressed_to__in=[Action.Addressees.ALL, Action.Addressees.CHOSEN])
        .select_related("item")
        .with_issue_number()
        .order_by(F("item__published_from").asc(nulls_last=True), "due_date", "pk")
    )


def matrix(actions):
    """The rows of the matrix, with each authority's status (None: not addressed), in 3 queries
    whatever the number of actions."""
    authorities = list(Organisation.objects.local_authorities().order_by("name"))
    actions = list(actions)
    statuses = {
        (action_id, authority_id): status
        for action_id, authority_id, status in ActionResponse.objects.filter(
            action__in=actions
        ).values_list("action_id", "authority_id", "status")
    }
    rows = []
    for action in actions:
        cells = [CELLS.get(statuses.get((action.pk, a.pk))) for a in authorities]
        addressed = [c for c in cells if c is not None]
        waiting = sum(c.status == ResponseStatus.NOT_STARTED for c in addressed)
        rows.append({"action": action, "cells": cells, "waiting": waiting, "of": len(addressed)})
    return authorities, rows


def response_matrix(request):
    """Open addressed actions × the 19 authorities: who has not answered, oldest first."""
    if not is_editor(request.user):
        raise PermissionDenied(
            "The responses matrix is for editors. Ask the programme team if you need it."
        )
    authorities, rows = matrix(open_addressed_actions())
    if request.GET.get("format") == "csv":
        return matrix_csv(authorities, rows)
    context = {
        **admin.site.each_context(request),
        "title": "Who has answered the open actions",
        "authorities": authorities,
        "rows": rows,
    }
    return TemplateResponse(request, "admin/newsletters/response_matrix.html", context)


def spreadsheet_safe(value):
    """Text a spreadsheet would read as a formula (“=HYPERLINK(…)”) is kept as text."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def matrix_csv(authorities, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="responses-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["Action", "Update", "Item", "Due", "Not started", "Addressed", *map(str, authorities)]
    )
    for row in rows:
        action = row["action"]
        writer.writerow(
            [
                spreadsheet_safe(action.description),
                action.issue_number or "",
                spreadsheet_safe(action.item.title),
                action.due_date.isoformat() if action.due_date else "",
                row["waiting"],
                row["of"],
                *(c.label if c else "" for c in row["cells"]),
            ]
        )
    return response
