from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("contacts/", views.contact_list, name="contact_list"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.NewPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        views.InvitationView.as_view(),
        name="invitation",
    ),
    path("accounts/invitation/done/", views.invitation_complete, name="invitation_complete"),
    # the admin's own “Log out” (its name stays admin:logout): it ends the session everywhere
    path("admin/logout/", views.admin_sign_out),
]
