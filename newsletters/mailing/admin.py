"""The e-mail edition in the admin: subscribers, each edition's live counts, sending a test."""

from anymail.exceptions import AnymailError
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import pluralize
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Delivery, Edition, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(SimpleHistoryAdmin):
    list_display = ["email", "name", "authority", "role", "status", "status_note", "updated_at"]
    list_filter = ["status", "role", "authority"]
    search_fields = ["email", "name"]
    list_select_related = ["authority"]
    autocomplete_fields = ["account"]
    fields = ["email", "name", "authority", "account", "role", "status", "status_note"]
    readonly_fields = ["status_note"]


class DeliveryInline(admin.TabularInline):
    """The copies that need an editor's eye: failed and bounced (the first hundred)."""

    model = Delivery
    fields = readonly_fields = ["subscriber", "status", "attempts", "next_attempt_at", "answer"]
    can_delete = False
    extra = max_num = 0
    verbose_name_plural = "Copies that failed or bounced (first 100)"

    def get_queryset(self, request):
        problems = [Delivery.Status.FAILED, Delivery.Status.BOUNCED]
        queryset = super().get_queryset(request).filter(status__in=problems)
        ids = queryset.order_by("pk").values_list("pk", flat=True)[:100]
        return queryset.filter(pk__in=list(ids)).select_related("subscriber", "edition__issue")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "progress", "started_at", "finished_at", "state"]
    list_select_related = ["issue"]
    fields = readonly_fields = ["issue", "state", "live_counts", "started_at", "finished_at"]
    inlines = [DeliveryInline]
    actions = ["resume", "retry_failed", "send_to_those_without"]

    class Media:
        js = ["newsletters/admin/edition_counts.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        counts = self.admin_site.admin_view(self.counts_view)
        return [
            path("<int:pk>/counts/", counts, name="newsletters_edition_counts"),
            *super().get_urls(),
        ]

    def counts_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        edition = get_object_or_404(Edition, pk=pk)
        return JsonResponse({"counts": edition.counts(), "state": edition_state(edition)})

    @admin.display(description="Sent")
    def progress(self, edition):
        return f"{edition.sent_count} of {edition.delivery_count}"

    @admin.display(description="State")
    def state(self, edition):
        return edition_state(edition)

    @admin.display(description="Copies")
    def live_counts(self, edition):
        url = reverse("admin:newsletters_edition_counts", args=[edition.pk])
        counts = edition.counts()
        rows = format_html_join(
            "",
            '<tr><th scope="row">{}</th><td data-status="{}">{}</td></tr>',
            ((label, status, counts[status]) for status, label in Delivery.Status.choices),
        )
        return format_html(
            '<table class="edition-counts" data-counts-url="{}" aria-describedby="counts-note">'
            "<tbody>{}</tbody></table>"
            '<p id="counts-note" class="help">Updated every five seconds while this page is '
            "open.</p>",
            url,
            rows,
        )

    @admin.action(description="Resume sending now", location=[ActionLocation.CHANGE_FORM])
    def resume(self, request, queryset):
        for edition in queryset:
            services.resume_edition(edition=edition)
            self.message_user(request, f"{edition}: sending resumes now.")

    @admin.action(
        description="Retry the failed copies",
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def retry_failed(self, request, queryset):
        for edition in queryset:
            count = services.retry_failed(edition=edition)
            self.message_user(
                request, f"{edition}: {count} failed cop{pluralize(count, 'y,ies')} queued again."
            )

    @admin.action(
        description="Send to those who have not had it",
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def send_to_those_without(self, request, queryset):
        for edition in queryset:
            count = services.send_to_those_without(edition=edition)
            self.message_user(
                request,
                f"{edition}: queued for {count} subscriber{pluralize(count)} who had not had it.",
            )


def edition_state(edition: Edition) -> str:
    if edition.is_paused():
        return edition.pause_message
    if edition.finished_at:
        return f"Finished at {timezone.localtime(edition.finished_at):%-d %B %Y, %H:%M}."
    if edition.started_at:
        return "Sending."
    if edition.issue.published_at and edition.issue.published_at > timezone.now():
        return f"Queued for {timezone.localtime(edition.issue.published_at):%-d %B %Y, %H:%M}."
    return "Queued."


@admin.action(
    description="Send a test to myself",
    permissions=["change"],
    location=[ActionLocation.CHANGE_LIST],
)
def send_test_to_myself(modeladmin, request, queryset):
    for issue in queryset.order_by("number")[:5]:
        send_test_of(modeladmin, request, issue)


def send_test_of(modeladmin, request, issue) -> None:
    """The update as a DCS gets it, to the editor's own address, marked as a test."""
    if not request.user.email:
        modeladmin.message_user(
            request,
            "Your account has no e-mail address, so no test was sent: add one under your "
            "account's details first.",
            messages.ERROR,
        )
    elif issue.date is None:
        modeladmin.message_user(
            request, f"{issue} has no date yet: give it one to send a test.", messages.ERROR
        )
    else:
        try:
            services.send_test(issue=issue, to=request.user.email)
        except (OSError, AnymailError) as problem:  # smtplib's errors are OSErrors too
            modeladmin.message_user(
                request,
                f"The test of {issue} was not sent: the mail server said “{problem}”.",
                messages.ERROR,
            )
        else:
            modeladmin.message_user(request, f"A test of {issue} is sent to {request.user.email}.")
