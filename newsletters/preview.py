"""Previews: an update as it will be published, before it is, for editors and for people they
send a signed link to (no account needed, valid for LINK_LIFETIME)."""

import datetime

from django.contrib.auth.decorators import permission_required
from django.core import signing
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from seslip.lib.roles import is_dcs

from .models import Issue
from .views import issue_context

LINK_LIFETIME = datetime.timedelta(days=7)
SALT = "newsletters.preview"


def signed_preview_url(issue):
    token = signing.TimestampSigner(salt=SALT).sign(str(issue.pk))
    return reverse("issue_preview_link", args=[token])


def render_preview(request, issue):
    context = issue_context(issue, dcs=is_dcs(request.user))
    context["draft"] = not issue.is_published
    context["preview"] = True
    response = render(request, "newsletters/issue_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@permission_required("newsletters.view_issue")
def issue_preview(request, number):
    """An editor's preview of any update, draft or not."""
    return render_preview(request, get_object_or_404(Issue, number=number))


@never_cache
def issue_preview_link(request, token):
    """The preview a signed link opens, for anyone holding the link while it is valid."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        pk = signer.unsign(token, max_age=LINK_LIFETIME)
    except signing.SignatureExpired:
        return refused(
            request,
            403,
            "This preview link has expired",
            "Preview links work for 7 days. Ask the editor who sent it for a new one.",
        )
    except signing.BadSignature:
        return refused(
            request,
            404,
            "This preview link is not valid",
            "The link may have been cut short or changed when it was copied. Copy the whole link "
            "again, or ask the editor who sent it for a new one.",
        )
    issue = Issue.objects.filter(pk=pk).first()
    if issue is None:
        return refused(
            request,
            404,
            "This update no longer exists",
            "The update this link previews has been deleted.",
        )
    return render_preview(request, issue)


def refused(request, status, title, explanation):
    return render(
        request,
        "newsletters/preview_refused.html",
        {"title": title, "explanation": explanation},
        status=status,
    )
