"""The compose screen's news items: each one edited in place on the update's page.

Each item is a card (templates/admin/newsletters/issue/item.html) holding its title, section and
order. Its text, Action Required, actions, contacts and networks open in place in the card, the
editor (item_editor.html): a new item's is open from the start; an item already in the update
opens its own when the editor asks for it (IssueAdmin.item_editor_view, fetched by
newsletters/admin/placements.js), so the page does not carry thirty editors nobody opened. What
an opened editor holds is saved with the update, by the same Save, Publish and Schedule buttons;
an item whose editor was not opened keeps its text as it is.
"""

import datetime

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet, inlineformset_factory

from contacts.models import Contact
from networks.models import Network

from ..admin_forms import saved_by
from ..models import Action, NewsItem, Placement
from ..widgets import RichTextWidget
from .responses import AddressedActionForm

# What an editor sets on each action in place: item_editor.html draws every visible field of an
# action, so a field added here needs nothing else. A chosen set of authorities is ticked on the
# action's own page (AddressedActionForm says so).
ACTION_FIELDS = ["description", "due_date", "addressed_to", "closed"]
EDITOR_FIELDS = ["update_text", "action_text", "networks", "contacts"]
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def item_version(item: NewsItem) -> str:
    """The version of the item a card was drawn from: when it was last saved, in microseconds."""
    return str((item.updated_at - EPOCH) // datetime.timedelta(microseconds=1))


class ChosenAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    """Django's autocomplete (search as you type) over an item's networks or contacts, given the
    labels of those already chosen (prefetched with the item), so drawing it costs no query."""

    chosen = None  # {str(pk): label}

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        # Each choice has its own ×; Select2's "remove all" × sits in its list, where a screen
        # reader finds a list item that is not one (axe-core: list).
        attrs["data-allow-clear"] = "false"
        return attrs

    def optgroups(self, name, value, attr=None):
        if self.chosen is None:
            return super().optgroups(name, value, attr)
        options = [
            self.create_option(name, key, self.chosen.get(key, key), True, index)
            for index, key in enumerate(str(v) for v in value if v not in ("", None))
        ]
        return [(None, options, 0)]


def item_text(name, label):
    """The item's rich text, multi-line, with the browser's spellcheck (prose_editor.js)."""
    widget = RichTextWidget(attrs={"spellcheck": "true", "rows": 5, "cols": 80})
    field = NewsItem._meta.get_field(name)
    return field.formfield(widget=widget, required=False, label=label, help_text="")


def item_relation(name, model):
    widget = ChosenAutocompleteSelectMultiple(NewsItem._meta.get_field(name), admin.site)
    return forms.ModelMultipleChoiceField(model.objects.all(), required=False, widget=widget)


class ItemActionForm(AddressedActionForm):
    """One action of an item: its due date suggested from its words (ActionForm), and whom it
    is addressed to (AddressedActionForm; IssueAdmin.save_formset applies it)."""

    def __init__(self, *args, reference=None, **kwargs):
        self.reference = reference
        super().__init__(*args, **kwargs)

    class Meta:
        model = Action
        fields = ACTION_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2, "cols": 60, "spellcheck": "true"}),
            "due_date": AdminDateWidget,
        }


class ItemActionFormSet(BaseInlineFormSet):
    """The actions of one item, read from what the update's page prefetched (no query each)."""

    def __init__(self, *args, actions=(), **kwargs):
        self.prefetched = list(actions)
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        return self.prefetched


ItemActions = inlineformset_factory(
    NewsItem,
    Action,
    form=ItemActionForm,
    formset=ItemActionFormSet,
    fields=ACTION_FIELDS,
    extra=0,
    can_delete=True,
)


class ItemInPlaceForm(forms.ModelForm):
    """A news item's place in the update, and the item itself edited in place.

    A new card may name an existing item, or only a title: a new item of that title is written.
    `editing`: whether the card's editor is open (see the module's docstring).
    """

    title = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "true", "aria-label": "Title"}),
    )
    update_text = item_text("update_text", "Update")
    action_text = item_text("action_text", "Action required")
    networks = item_relation("networks", Network)
    contacts = item_relation("contacts", Contact)

    class Meta:
        model = Placement
        fields = ["section", "position", "item", "progress"]
        widgets = {"position": forms.HiddenInput, "progress": forms.Textarea(attrs={"rows": 1})}

    def __init__(self, *args, editing=None, **kwargs):
        if editing is None:  # as the formset makes its forms: by keyword
            data, instance = kwargs.get("data"), kwargs.get("instance")
            if data is not None:
                editing = bool(data.get(f"{kwargs.get('prefix')}-editing"))
            else:
                editing = instance is None or instance.pk is None
        if not editing:  # a closed card: its editor's fields are not even copied for it
            self.base_fields = {
                name: field for name, field in self.base_fields.items() if name not in EDITOR_FIELDS
            }
        self.editing = editing
        super().__init__(*args, **kwargs)
        self.fields["section"].widget.attrs["aria-label"] = "Section"
        item = self.instance.item if self.instance.item_id else None
        if item is not None:
            del self.fields["item"]  # the card is this item's; another is a new card
            # A published update's card shows what it printed (newsletters/printed.py).
            self.fields["title"].initial = self.printed_text(item, "title")
        else:
            self.fields["item"].required = False
            self.fields["item"].label = "or choose an item from earlier updates"
        # A reminder's "Done so far" line is on its card while it has one, else in the editor.
        self.progress_on_card = bool(self.instance.progress)
        self.fields["progress"].label = "Done so far (printed under the reminder)"
        if not (editing or self.progress_on_card):
            del self.fields["progress"]
        if not editing:
            return
        item = item or NewsItem()
        if item.pk:
            for name in ("update_text", "action_text"):
                self.fields[name].initial = self.printed_text(item, name)
            for name in ("networks", "contacts"):
                chosen = getattr(item, name).all()  # prefetched
                self.fields[name].initial = [related.pk for related in chosen]
                self.fields[name].widget.chosen = {str(r.pk): str(r) for r in chosen}
        self.actions = ItemActions(
            self.data if self.is_bound else None,
            instance=item,
            actions=item.actions.all() if item.pk else (),
            prefix=self.add_prefix("actions"),
            form_kwargs={"reference": self.instance.issue.date if self.instance.issue_id else None},
        )

    def printed_text(self, item, name):
        return (self.instance.printed or {}).get(name, getattr(item, name))

    @property
    def media(self):
        media = super().media
        return media + self.actions.empty_form.media if self.editing else media

    def has_changed(self):
        return super().has_changed() or (self.editing and self.actions.has_changed())

    def clean(self):
        cleaned = super().clean()
        if self.instance.item_id is None and not cleaned.get("item") and not cleaned.get("title"):
            raise ValidationError("Choose an item, or type the title of a new one.", code="no_item")
        self.check_not_saved_since()
        return cleaned

    @property
    def seen_version(self):
        """The item's version the card holds: as it was drawn, kept while the form comes back
        with errors, so what it shows is still checked against later saves; after a refusal
        for a save since, the version saved then (the editor has seen both, and saves again)."""
        if self.is_bound and not self.conflict:
            return self.data.get(self.add_prefix("seen"), "")
        return item_version(self.instance.item) if self.instance.item_id else ""

    conflict = None  # the item as someone else saved it after this card was drawn

    def check_not_saved_since(self):
        """Refuse to write over the item if it was saved since the card was drawn (by another
        editor, on its own page or another update's): the card keeps what was typed, and shows
        what they saved beside it."""
        seen = self.data.get(self.add_prefix("seen"))
        if not (seen and self.instance.item_id) or not self.changes_item():
            return
        item = self.instance.item  # read with this request's placements: as saved now
        if item_version(item) == seen:
            return
        self.conflict = item
        raise ValidationError(
            f"{saved_by(item, 'item')}, while you were editing it: nothing was saved. What you typed is "
            "still in the form; what they saved is below it. Copy what you need from theirs "
            "into the form, then save again to keep what the form holds.",
            code="conflict",
        )

    def changes_item(self):
        changed = set(self.changed_data) & {"title", "update_text", "action_text"}
        return bool(changed & set(self.fields)) or self.changes_relations()

    def changes_relations(self):
        """Whether the card changes the item's networks, contacts or actions."""
        changed = set(self.changed_data) & {"networks", "contacts"} & set(self.fields)
        return bool(changed) or (self.editing and self.actions.has_changed())

    def full_clean(self):
        super().full_clean()
        cleaned = hasattr(self, "cleaned_data")
        if self.is_bound and self.editing and cleaned and not self.actions.is_valid():
            self.add_error(None, "An action of this item needs correcting: see below.")

    def save(self, commit=True):
        item = self.instance.item if self.instance.item_id else self.cleaned_data.get("item")
        item = item or NewsItem(title=self.cleaned_data["title"])
        changed, item_changed = set(self.changed_data), item.pk is None
        kept = dict(self.instance.printed) if self.instance.printed else None
        for name in ("title", "update_text", "action_text"):
            value = self.cleaned_data.get(name)
            if name in changed and name in self.fields and (value or name != "title"):
                # A published update's own text is corrected here (its history keeps what it
                # printed before); the item follows unless it has been edited since.
                follows = kept is None or getattr(item, name) == kept.get(name)
                if kept is not None:
                    kept[name] = value
                if follows:
                    item_changed = item_changed or getattr(item, name) != value
                    setattr(item, name, value)
        self.instance.printed = kept
        if item_changed or self.changes_relations():  # a new version, which other cards check
            item.save()
        self.instance.item = item
        placement = super().save(commit)
        for name in ("networks", "contacts"):
            if name in changed and name in self.fields:
                getattr(item, name).set(self.cleaned_data[name])
        if self.editing:
            self.actions.instance = item
            self.actions.save()
        return placement
