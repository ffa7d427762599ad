"""Readers' own pages for the e-mailed update: subscribe, confirm, preferences, unsubscribe."""

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import links, services
from .forms import PreferencesForm, SubscribeForm
from .models import Subscriber

TEMPLATES = "newsletters/subscription/"


@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_subscription(**form.cleaned_data)
        return render(
            request, TEMPLATES + "check_inbox.html", {"email": form.cleaned_data["email"]}
        )
    return render(
        request, TEMPLATES + "subscribe.html", {"form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    if links.confirmed_id_from(token) is None:
        return bad_link(
            request, "This confirmation link is not valid or has expired (links last a week)."
        )
    if request.method == "GET":  # a link scanner following it confirms nothing
        return render(request, TEMPLATES + "confirm.html")
    subscriber = services.confirm_subscription(token=token)
    if subscriber is None:
        return bad_link(request, "This confirmation link is for an address we no longer have.")
    return render(
        request,
        TEMPLATES + "confirmed.html",
        {"subscriber": subscriber, "preferences_url": links.preferences_url(subscriber)},
    )


def reader_from(token):
    pk = links.subscriber_id_from(token)
    return None if pk is None else Subscriber.objects.filter(pk=pk).first()


@csrf_exempt  # RFC 8058: mail providers POST here with no form; the signed link is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscriber = reader_from(token)
    if subscriber is None:
        return bad_link(request, "This unsubscribe link is not valid: it may have been cut short.")
    if request.method == "POST":
        subscriber.unsubscribe()
        return render(
            request,
            TEMPLATES + "unsubscribed.html",
            {"subscriber": subscriber, "preferences_url": links.preferences_url(subscriber)},
        )
    return render(request, TEMPLATES + "unsubscribe.html", {"subscriber": subscriber})


@require_http_methods(["GET", "POST"])
def preferences(request, token):
    subscriber = reader_from(token)
    if subscriber is None:
        return bad_link(request, "This preferences link is not valid: it may have been cut short.")
    form = PreferencesForm(request.POST or None, initial={"name": subscriber.name})
    notice = ""
    if request.method == "POST" and form.is_valid():
        notice = update_preferences(subscriber, form.cleaned_data, request.POST.get("status"))
    return render(
        request,
        TEMPLATES + "preferences.html",
        {
            "subscriber": subscriber,
            "form": form,
            "notice": notice,
            "unsubscribe_url": links.unsubscribe_url(subscriber),
        },
    )


def update_preferences(subscriber, data, status):
    if status == "subscribe" and subscriber.status != Subscriber.Status.SUBSCRIBED:
        subscriber.change_status(
            Subscriber.Status.SUBSCRIBED, "Subscribed again on the preferences page."
        )
        return "You are subscribed again: the next update will reach you."
    if status == "unsubscribe":
        subscriber.unsubscribe("Unsubscribed on the preferences page.")
        return "You are unsubscribed: no more updates will be sent to you."
    if data["name"] != subscriber.name:
        subscriber.name = data["name"]
        subscriber._change_reason = "Name changed on the preferences page."
        subscriber.save(update_fields=["name", "updated_at"])
        return "Your name is saved."
    return "Nothing needed changing."


def bad_link(request, message):
    return render(request, TEMPLATES + "bad_link.html", {"message": message}, status=404)
