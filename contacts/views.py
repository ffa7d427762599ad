from django.contrib import admin
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from seslip.lib.pagecache import public_page
from seslip.lib.personal import forget_reader, readers_changed

from .invitations import invitation_tokens
from .models import Contact, Organisation


@public_page
def contact_list(request):
    contacts = list(Contact.objects.select_related("organisation").order_by("name"))
    in_programme = [
        c for c in contacts if c.organisation and c.organisation.kind == Organisation.Kind.PROGRAMME
    ]
    programme = sorted(in_programme, key=lambda c: (c.role == "", c.role.lower(), c.name))
    others = sorted(
        (c for c in contacts if c not in in_programme),
        key=lambda c: (
            c.organisation is None,
            c.organisation.name if c.organisation else "",
            c.name,
        ),
    )
    return render(
        request,
        "contacts/contact_list.html",
        {"programme": programme, "others": others, "section": "contacts"},
    )


class SignInForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "E-mail address (or user name)"
        self.fields["username"].widget.attrs["autocomplete"] = "username"


class SignInView(auth_views.LoginView):
    """Signing in starts a new session (the one the browser had is ended): every server process
    asks the session again (`readers_changed`), so none keeps the ended one."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        readers_changed()
        return response


class SignOutView(auth_views.LogoutView):
    """Signing out is a POST; a GET (the header's “Sign out” link) asks to confirm. The header
    holds no form, so a signed-in reader's pages carry no CSRF token and stay cacheable."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("home")
        return render(request, "registration/logout_confirm.html")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        readers_changed()  # the session is over in every server process, at once
        return response


def admin_sign_out(request):
    """The admin's “Log out”, which ends the session in every server process as signing out
    does (its address is the admin's own: contacts' addresses come first)."""
    response = admin.site.admin_view(admin.site.logout)(request)
    if request.method == "POST":
        readers_changed()
    return response


class SignsOutOtherSessions:
    """A form that sets an account's password: the account's other sessions are over at once, in
    every server process (their password hash no longer matches the account's)."""

    def save(self, commit=True):
        user = super().save(commit)  # type: ignore[misc]
        if commit:
            forget_reader(user.pk)
        return user


class NewPasswordForm(SignsOutOtherSessions, SetPasswordForm):
    """A forgotten password reset, or an invited reader's first password."""


class OwnPasswordForm(SignsOutOtherSessions, AdminPasswordChangeForm):
    """An editor changing their own password in the admin (admin.site.password_change_form)."""


class NewPasswordView(auth_views.PasswordResetConfirmView):
    """The page a password reset's one-time link opens: the reader chooses a new password; any
    session still signed in with the old one is signed out, at once, in every server process."""

    form_class = NewPasswordForm


class InvitationView(NewPasswordView):
    """The page an invitation's one-time link opens: the invited reader chooses a password."""

    token_generator = invitation_tokens
    success_url = reverse_lazy("invitation_complete")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs, invitation=True)
        if not context["validlink"]:
            context.update(self.problem())
        return context

    def problem(self):
        token = self.kwargs.get("token", "")
        if token == self.reset_url_token:
            token = self.request.session.get(auth_views.INTERNAL_RESET_SESSION_TOKEN, "")
        if invitation_tokens.is_expired(token):
            return {
                "problem_title": "This invitation has expired",
                "problem": "Invitation links work for 7 days. Nothing has been changed.",
            }
        if self.user is not None and self.user.has_usable_password():
            return {
                "problem_title": "This invitation has been used",
                "problem": "Each invitation link works once, and a password has been set with "
                "this one. Sign in with it, or reset it if you have forgotten it.",
            }
        return {
            "problem_title": "This invitation link does not work",
            "problem": "It may be an older invitation that a newer one replaced, or it was cut "
            "short when it was copied. Nothing has been changed.",
        }

    def form_valid(self, form):
        self.request.session["invited_account"] = form.user.get_username()
        return super().form_valid(form)


def invitation_complete(request):
    return render(
        request,
        "registration/password_reset_complete.html",
        {"account": request.session.pop("invited_account", "")},
    )
