"""Admin forms: refusing a save that would overwrite someone else's, and suggesting due dates."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from simple_history.models import to_historic

from seslip.lib.admin import PreloadedChoicesForm

from .deadlines import find_deadlines
from .html import html_to_text
from .models import NewsItem


def last_change(instance):
    """“by edith at 20:14 on 23 November 2026”, from the record's history, or its time alone."""
    record = instance.history.order_by("-history_date", "-history_id").first()
    when = timezone.localtime(record.history_date if record else instance.updated_at)
    who = f" by {record.history_user}" if record and record.history_user else ""
    return f"{who} at {when:%H:%M} on {when:%-d %B %Y}"


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
                f"Someone else changed this {self.noun}{last_change(current)}, "
                "after you opened it, so your changes were not saved (they are still in the form "
                "below). Open it again in a new tab to see their changes, then make yours there.",
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


class PlacementForm(PreloadedChoicesForm):
    """A news item's place in the update, with the item's title and networks edited in place.

    A new row may name an existing item, or only a title: a new item of that title is written.
    `network_choices` is set once per page by the inline, so rows cost no query for them.
    """

    network_choices = ()
    title = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "true", "size": 40}),
        help_text="The item's title; type one in a new row to write a new item.",
    )
    networks = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        help_text="The networks the item is about: their pages and the archive's filter list it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].required = False
        self.fields["networks"].choices = self.network_choices
        self.fields["networks"].widget.attrs["size"] = 3
        if self.instance.pk and self.instance.item_id:
            item = self.instance.item
            self.fields["title"].initial = item.title
            self.fields["networks"].initial = [network.pk for network in item.networks.all()]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("item") and not cleaned.get("title"):
            raise ValidationError("Choose an item, or type the title of a new one.", code="no_item")
        return cleaned

    def save(self, commit=True):
        if self.instance.item_id is None:
            self.instance.item = NewsItem.objects.create(title=self.cleaned_data["title"])
        placement = super().save(commit)
        item, changed = placement.item, set(self.changed_data)
        title = self.cleaned_data.get("title")
        if "title" in changed and title and title != item.title:
            item.title = title
            item.save(update_fields=["title", "updated_at"])
        if "networks" in changed:
            item.networks.set(self.cleaned_data["networks"])
        return placement
