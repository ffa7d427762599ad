"""Authorities' answers to actions on the reading site: an action's page (who has done it), a
member's “My authority” (what their authority owes) and the answer form they post to."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from seslip.lib import pagecache
from seslip.lib.pagecache import public_page
from seslip.lib.roles import is_dcs, is_editor

from .models import Action, ActionResponse, ResponseStatus
from .models.responses import status_names
from .responses import answering_authority, check_may_answer, owed_by, sees_notes_of


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        choices=ResponseStatus.choices,
        error_messages={
            "required": "Choose a status: done, not applicable, in progress or not started.",
            "invalid_choice": f"“%(value)s” is not a status: choose one of {status_names()}.",
        },
    )
    note = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional, up to 500 characters: e.g. “Signed copy sent to Isabelle”.",
    )
    link = forms.URLField(
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="Optional: the signed copy, the nomination … if it is online.",
    )


@public_page(per_authority=True)
def action_detail(request, pk):
    """The action, its update and due date, and who has done it. Readers who are not signed in
    get the count and the names of those done; members see each addressed authority's status
    and their own authority's notes; editors see every note. Cached for each audience and
    authority (and for editors): an answer starts a new content generation, so it shows at once."""
    actions = Action.objects.readable(dcs=is_dcs(request.user)).with_issue_number()
    action = get_object_or_404(actions.select_related("item", "contact"), pk=pk)
    responses = list(action.responses.select_related("authority", "answered_by"))
    done = [r.authority.name for r in responses if r.status == ResponseStatus.DONE]
    editor = is_editor(request.user)
    authority = answering_authority(request.user)
    member = authority is not None
    for response in responses:
        response.shows_notes = sees_notes_of(request.user, response)
        response.answerable = editor or (member and response.authority_id == authority.pk)
    return render(
        request,
        "newsletters/action_detail.html",
        {
            "action": action,
            "responses": responses if (member or editor) else [],
            "addressed": len(responses),
            "done": done,
            "own": next((r for r in responses if member and r.authority_id == authority.pk), None),
            "editor": editor,
            "form": AnswerForm(),
            "section": "dashboard",
        },
    )


@public_page(per_authority=True)
@login_required
def my_authority(request):
    """What the reader's authority owes: overdue first, each with a one-step answer. Cached for
    each authority and audience (a lead does not see the “DCSs only” actions its DCS does)."""
    authority = answering_authority(request.user)
    if authority is None:
        raise PermissionDenied(
            "“My authority” is for the DCS, DCS PA and leads of one of the 19 local authorities, "
            "and your account does not answer for one."
            + (
                " Editors see every authority’s answers in the editor’s responses matrix."
                if is_editor(request.user)
                else ""
            )
        )
    owed = list(owed_by(authority, dcs=is_dcs(request.user)))
    today = timezone.localdate()
    return render(
        request,
        "newsletters/my_authority.html",
        {
            "authority": authority,
            "owed": owed,
            "overdue": sum(1 for r in owed if r.is_overdue(today)),
            "today": today,
            "section": "authority",
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer_response(request, pk):
    """Answer one response: its authority's member, or an editor on the authority's behalf."""
    responses = ActionResponse.objects.select_related("action__item", "authority")
    if not is_editor(request.user):  # nobody learns of an action they may not read
        responses = responses.readable(dcs=is_dcs(request.user))
    response = get_object_or_404(responses, pk=pk)
    check_may_answer(request.user, response)
    back = safe_next(request)
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                response.answer(
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"] if "note" in request.POST else None,
                    link=form.cleaned_data["link"] if "link" in request.POST else None,
                    by=request.user,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    f"{response.authority}: “{response.action}” is now marked "
                    f"{response.get_status_display().lower()}.",
                )
                return redirect(back)
        response.refresh_from_db()  # the page shows what is saved: nothing was
        status = 400
    else:
        form = AnswerForm(
            initial={"status": response.status, "note": response.note, "link": response.link}
        )
        status = 200
    history = response.history.select_related("history_user").order_by("-history_date")[:20]
    return pagecache.uncached_page(
        request,
        render(
            request,
            "newsletters/answer_response.html",
            {"response": response, "form": form, "history": history, "next": back},
            status=status,
        ),
        private=True,
    )


def safe_next(request):
    """Where to go after answering: the page the form came from, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("my_authority") if answering_authority(request.user) else reverse("home")
