import smtplib

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from seslip.lib.personal import forget_reader

from .models import Contact, Membership, Organisation
from .services import invite_reader, send_invitation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "short_forms", "website"]
    list_filter = ["kind"]
    search_fields = ["name", "short_forms"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organisation", "email", "phone", "details_as_of"]
    list_filter = ["organisation__kind", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "role", "email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    date_hierarchy = "details_as_of"


class ForgetsReaderOnDelete(admin.ModelAdmin):
    """Deleting here, one record or a selection, makes its reader an anonymous one at once, in
    every server process: who the reader was is forgotten. `reader_field` names the account."""

    reader_field = "user_id"

    def delete_model(self, request, obj):
        user_id = getattr(obj, self.reader_field)
        super().delete_model(request, obj)
        forget_reader(user_id)

    def delete_queryset(self, request, queryset):
        users = list(queryset.values_list(self.reader_field, flat=True))
        super().delete_queryset(request, queryset)
        for user_id in users:
            forget_reader(user_id)


class InviteReaderForm(forms.ModelForm):
    email = forms.EmailField(
        label="E-mail address",
        help_text="Their account name. Inviting an address again updates the same account and "
        "sends a new link.",
    )

    class Meta:
        model = Membership
        fields = ["email", "organisation", "role"]


@admin.register(Membership)
class MembershipAdmin(ForgetsReaderOnDelete):
    """Reader accounts. Adding one invites the reader: it e-mails a one-time set-password link."""

    list_display = ["account", "organisation", "role", "invited_at", "signed_in"]
    list_filter = ["role", "organisation__kind", "organisation"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "user__username", "organisation__name"]
    actions = ["send_invitations", "new_feed_addresses"]
    readonly_fields = ["user", "invited_at"]

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user"):  # each leaves its role's group
            membership.delete()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = InviteReaderForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "organisation", "role"]
        return ["user", "organisation", "role", "invited_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    @admin.display(description="Account", ordering="user__email")
    def account(self, membership):
        return membership.user.email or membership.user.username

    @admin.display(description="Has signed in", boolean=True)
    def signed_in(self, membership):
        return membership.user.last_login is not None

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        membership = self.invite(request, form.cleaned_data["email"], obj.organisation, obj.role)
        obj.pk, obj.user = membership.pk, membership.user
        obj._state.adding = False

    def invite(self, request, email, organisation, role):
        """Make or update the account, then e-mail the link; a mail server that fails is
        reported (the account stays, to be invited again)."""
        invitation = invite_reader(
            email=email,
            organisation=organisation,
            role=role,
            base_url=request.build_absolute_uri("/"),
            send=False,
        )
        try:
            send_invitation(invitation)
        except (OSError, smtplib.SMTPException) as error:
            self.message_user(
                request,
                f"The account of {email} is ready, but the invitation could not be e-mailed "
                f"({error}). Try “Invite again” later, or run manage.py invite_reader {email} "
                "… --print and send the link yourself.",
                messages.ERROR,
            )
        else:
            self.message_user(request, f"An invitation was e-mailed to {email}.")
        return invitation.membership

    @admin.action(description="Invite again: e-mail each a new one-time link")
    def send_invitations(self, request, queryset):
        for membership in queryset.select_related("user", "organisation"):
            self.invite(request, membership.user.email, membership.organisation, membership.role)

    @admin.action(description="Revoke their calendar and feed addresses (give new ones)")
    def new_feed_addresses(self, request, queryset):
        for membership in queryset:
            membership.new_feed_address()
        self.message_user(
            request, "Their old calendar and feed addresses no longer work.", messages.SUCCESS
        )


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AccountAdmin(ForgetsReaderOnDelete, UserAdmin):
    """Django's accounts admin. Whatever an editor changes here that decides which pages the
    reader is served (deactivating the account, its groups, a new password, deleting it)
    reaches those pages at once, in every server process: who the reader is is forgotten."""

    reader_field = "pk"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # the groups are saved here
        forget_reader(form.instance.pk)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            forget_reader(unquote(id))
        return response
