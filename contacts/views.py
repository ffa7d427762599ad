from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from seslip.lib.pagecache import public_page

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
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Signing out is a POST; a GET (the header's “Sign out” link) asks to confirm. The header
    holds no form, so a signed-in reader's pages carry no CSRF token and stay cacheable."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("home")
        return render(request, "registration/logout_confirm.html")


class InvitationView(auth_views.PasswordResetConfirmView):
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
