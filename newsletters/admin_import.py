"""Importing one update in the admin: upload a file or paste its text, see the structure the
importer proposes with every warning beside its line, move item boundaries, then save.

The same parser and the same atomic load as `manage.py import_updates`. Nothing is written
before the editor saves: the text and the editor's corrections travel in the form itself.
"""

import hashlib
from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from .deadlines import find_deadlines
from .importer.load import load_update
from .importer.parse import parse_update
from .importer.text import READABLE_SUFFIXES, ImportFailure, decode_update

MAX_UPLOAD = 5 * 1024 * 1024


class UpdateSourceForm(forms.Form):
    file = forms.FileField(
        required=False,
        help_text="An archived update: a text file (.txt, UTF-8), an e-mail (.eml) or a web page "
        "(.html).",
    )
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80, "spellcheck": "false"}),
        help_text="Or paste the update's text, from its “UPDATE NO n dd Month yyyy” line on.",
    )

    def clean(self):
        upload, text = self.cleaned_data.get("file"), self.cleaned_data.get("text", "")
        if not upload and not text.strip():
            raise forms.ValidationError("Choose a file or paste the update's text.")
        if upload and upload.size > MAX_UPLOAD:
            raise forms.ValidationError("The file is larger than 5 MB: is it really one update?")
        if upload and not upload.name.lower().endswith(READABLE_SUFFIXES):
            raise forms.ValidationError("The file must be a .txt, .eml or .html file.")
        return self.cleaned_data

    def source(self):
        """(text, file name, sha256) of what was uploaded or pasted; ImportFailure if unreadable."""
        upload = self.cleaned_data.get("file")
        if upload:
            data = upload.read()
            read = decode_update(data, name=upload.name)
            return "\n".join(read.lines), upload.name, read.sha256
        text = self.cleaned_data["text"]
        return text, "pasted text", hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Proposal:
    """What the screen shows: the parsed update, and each warning beside its line."""

    update: object
    warnings_by_line: dict = field(default_factory=dict)
    placed_lines: set = field(default_factory=set)

    @property
    def other_warnings(self):
        return [
            (line, message)
            for line, messages_ in sorted(self.warnings_by_line.items())
            if line not in self.placed_lines
            for message in messages_
        ]


def propose(text: str, **corrections: frozenset) -> Proposal:
    """The structure proposed for `text`, with the editor's `corrections` (parse_update's)."""
    update = parse_update(text.split("\n"), **corrections)
    proposal = Proposal(update=update)
    for line, message in update.warnings:
        proposal.warnings_by_line.setdefault(line, []).append(message)
    for item in update.items:
        item.warnings = proposal.warnings_by_line.get(item.line, [])
        proposal.placed_lines.add(item.line)
        for para in item.paragraphs:
            para.warnings = proposal.warnings_by_line.get(para.line, [])
            para.deadlines = [due for _, due in find_deadlines(para.text, update.date)]
            proposal.placed_lines.add(para.line)
    return proposal


def _lines(value):
    return frozenset(int(n) for n in value.split(",") if n.strip().isdigit())


def _joined(lines):
    return ",".join(str(n) for n in sorted(lines))


def import_update(request: HttpRequest) -> HttpResponse:
    """The admin's import screen (Updates › Import an update)."""
    if not request.user.has_perm("newsletters.add_issue"):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": "Import an update",
        "form": UpdateSourceForm(),
    }
    if request.method != "POST":
        return render(request, "admin/newsletters/import_update.html", context)
    if "text_source" not in request.POST:
        form = UpdateSourceForm(request.POST, request.FILES)
        context["form"] = form
        if not form.is_valid():
            return render(request, "admin/newsletters/import_update.html", context)
        try:
            text, name, sha256 = form.source()
        except ImportFailure as failure:
            form.add_error(None, _failure_message(failure))
            return render(request, "admin/newsletters/import_update.html", context)
        return _review(request, context, text, name, sha256, corrected({}))
    text, name, sha256 = (
        request.POST["text_source"],
        request.POST.get("source_name", "pasted text"),
        request.POST.get("sha256", ""),
    )
    corrections = corrected(request.POST)
    if "save" in request.POST:
        return _save(request, context, text, name, sha256, corrections)
    return _review(request, context, text, name, sha256, corrections)


CORRECTIONS = ["titles", "not_titles", "reminders", "headlines"]  # sets of line numbers
# Each button: the set of lines it adds its line to, and the set it takes it from.
ADJUSTMENTS = {
    "merge": ("not_titles", "titles"),  # merge with the item above
    "title": ("titles", "not_titles"),  # this is a title: split here
    "to_reminder": ("reminders", "headlines"),  # move the item to the reminders
    "to_headline": ("headlines", "reminders"),  # … or back to the headlines
}


def corrected(post) -> dict[str, frozenset]:
    """The editor's corrections so far (hidden fields), with the button just pressed."""
    corrections = {name: _lines(post.get(name, "")) for name in CORRECTIONS}
    for button, (into, out_of) in ADJUSTMENTS.items():
        if (line := post.get(button, "")).isdigit():
            corrections[into] |= {int(line)}
            corrections[out_of] -= {int(line)}
    return corrections


def _review(request, context, text, name, sha256, corrections, error=None):
    context.update(
        text_source=text,
        source_name=name,
        sha256=sha256,
        corrections={name: _joined(lines) for name, lines in corrections.items()},
        error=error,
    )
    context.update(context["corrections"])
    try:
        context["proposal"] = propose(text, **corrections)
    except ImportFailure as failure:
        context["error"] = _failure_message(failure)
    return render(request, "admin/newsletters/import_update_review.html", context)


def _save(request, context, text, name, sha256, corrections):
    try:
        update = parse_update(text.split("\n"), **corrections)
        outcome = load_update(update, source_name=name, sha256=sha256)
    except ImportFailure as failure:
        return _review(request, context, text, name, sha256, corrections, _failure_message(failure))
    from .models import Issue

    issue = Issue.objects.get(number=outcome.number)
    if outcome.status == "unchanged":
        messages.info(request, f"{issue} was already imported from this text: nothing changed.")
    else:
        messages.success(
            request,
            f"{issue} ({outcome.date:%-d %B %Y}) was imported: {outcome.counts['items']} items, "
            f"{outcome.counts['reminders']} reminders, {outcome.counts['actions']} actions, "
            f"{outcome.counts['meetings']} meetings.",
        )
    return redirect(reverse("admin:newsletters_issue_change", args=[issue.pk]))


def _failure_message(failure):
    where = f"Line {failure.line}: " if failure.line else ""
    return f"{where}{failure.message[:1].upper()}{failure.message[1:]}."
