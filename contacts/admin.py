from django import forms
from django.contrib import admin, messages
from django.template.defaultfilters import pluralize

from .models import Contact, Membership, Organisation
from .services import invite_reader


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
class MembershipAdmin(admin.ModelAdmin):
    """Reader accounts. Adding one invites the reader: it e-mails a one-time set-password link."""

    list_display = ["account", "organisation", "role", "invited_at", "signed_in"]
    list_filter = ["role", "organisation__kind", "organisation"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "user__username", "organisation__name"]
    actions = ["send_invitations", "new_feed_addresses"]
    readonly_fields = ["user", "invited_at"]

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
        invitation = invite_reader(
            email=form.cleaned_data["email"],
            organisation=obj.organisation,
            role=obj.role,
            base_url=request.build_absolute_uri("/"),
        )
        obj.pk, obj.user = invitation.membership.pk, invitation.membership.user
        obj._state.adding = False
        self.message_user(request, f"An invitation was e-mailed to {obj.user.email}.")

    @admin.action(description="Invite again: e-mail each a new one-time link")
    def send_invitations(self, request, queryset):
        for membership in queryset.select_related("user"):
            invite_reader(
                email=membership.user.email,
                organisation=membership.organisation,
                role=membership.role,
                base_url=request.build_absolute_uri("/"),
            )
        count = queryset.count()
        self.message_user(
            request, f"Invitation{pluralize(count)} e-mailed to {count} reader{pluralize(count)}."
        )

    @admin.action(description="Revoke their calendar and feed addresses (give new ones)")
    def new_feed_addresses(self, request, queryset):
        for membership in queryset:
            membership.new_feed_address()
        self.message_user(
            request, "Their old calendar and feed addresses no longer work.", messages.SUCCESS
        )
