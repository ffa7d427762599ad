"""Admin forms: refusing a save that would overwrite someone else's, and suggesting due dates."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from simple_history.models import to_historic

from seslip.lib.admin import PreloadedChoicesForm

from .deadlines import find_deadlines
from .html import html_to_text


def saved_by(instance, noun: str) -> str:
    """“olive saved this news item at 10:42 on 1 December 2026”, from the record's history
    (“Someone else …” for a change with no one's name, or none in the history): the one wording
    of a refused save, on the record's own admin page and on the compose screen."""
    record = instance.history.order_by("-history_date", "-history_id").first()
    when = timezone.localtime(record.history_date if record else instance.updated_at)
    who = str(record.history_user) if record and record.history_user else "Someone else"
    return f"{who} saved this {noun} at {when:%H:%M} on {when:%-d %B %Y}"


class ConflictCheckForm(forms.ModelForm):
    """Remembers when the record was last saved as the form was opened; a save is refused if it
    was saved again since, so a second editor never silently overwrites the first one's work."""

    seen_updated_at = forms.CharField(widget=forms.HiddenInput, required=False)
    noun = "record"  # what editors call it

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_updated_at"].initial = self.current_stamp()

    def current_stamp(self):
        if to_historic(self.instance) is None:
            return self.instance.updated_at.isoformat()
        # An earlier version being restored: it is checked against the version saved now.
        model = type(self.instance)
        return (
            model.objects.values_list("updated_at", flat=True).get(pk=self.instance.pk).isoformat()
        )

    def clean(self):
        cleaned = super().clean()
        seen = self.data.get(self.add_prefix("seen_updated_at"))
        if not self.instance.pk or not seen:
            return cleaned
        model = type(self.instance)
        saved = model.objects.filter(pk=self.instance.pk).values_list("updated_at", flat=True)
        saved = saved.first()
        if saved is not None and saved.isoformat() != seen:
            current = model.objects.get(pk=self.instance.pk)
            raise ValidationError(
                f"{saved_by(current, self.noun)}, after you opened it, so your changes were not "
                "saved (they are still in the form below). Open it again in a new tab to see their changes, then make yours there.",
                code="conflict",
            )
        return cleaned


class IssueForm(ConflictCheckForm):
    noun = "update"
    scheduling = False  # set by the admin when the editor pressed "Schedule"

    def clean_published_at(self):
        when = self.cleaned_data.get("published_at")
        if self.scheduling and (when is None or when <= timezone.now()):
            raise ValidationError(
                "To schedule the update, give the date and time in the future when readers "
                "should see it. Nothing was saved yet: your changes are still in the form.",
                code="not_future",
            )
        return when


class NewsItemForm(ConflictCheckForm):
    noun = "news item"


def suggested_due_date(description, reference):
    """The first deadline the action's words state, as the importer reads it, or None."""
    found = find_deadlines(html_to_text(description), reference)
    return found[0][1] if found else None


class ActionForm(PreloadedChoicesForm):
    """An action whose words state a deadline gets that date when no due date is given.

    `reference` (the date of the update the item runs in) is set by the admin.
    """

    reference = None

    class Media:
        js = ["newsletters/admin/due_dates.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            # Read by due_dates.js, which fills an empty due date as the editor types.
            self.fields["description"].widget.attrs.update(
                {
                    "data-suggest-due-date": reverse("admin:newsletters_action_suggest_due_date"),
                    "data-reference": (self.reference or "") and self.reference.isoformat(),
                }
            )

    def clean(self):
        cleaned = super().clean()
        self.suggested = None
        if cleaned.get("due_date") or not cleaned.get("description"):
            return cleaned
        date = suggested_due_date(cleaned["description"], self.reference or timezone.localdate())
        if date:
            cleaned["due_date"] = self.suggested = date
        return cleaned
