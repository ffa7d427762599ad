"""Every admin page of every app opens for editors and superusers, and is closed to everyone else."""

import pytest
from django.contrib.auth.views import redirect_to_login

from tests.admin_pages import admin_url, model_pages, one_of_everything, registered_models
from tests.shared_records import made_once_per_module

MODELS = [
    model for app in ("contacts", "networks", "newsletters") for model in registered_models(app)
]


PAGES_OF_MODELS = model_pages(MODELS)


def page_id(pair):
    model, page = pair
    return f"{model._meta.label_lower}-{page}"


# Made once for the module's 200-odd tests, which only read them (each runs in a savepoint).
records, _made_once = made_once_per_module(one_of_everything, name="records")


@pytest.mark.parametrize(
    ("model", "page"), PAGES_OF_MODELS, ids=[page_id(p) for p in PAGES_OF_MODELS]
)
def test_superuser_can_open_every_page(admin_client, records, model, page):
    assert admin_client.get(admin_url(model, page)).status_code == 200


@pytest.mark.parametrize(
    ("model", "page"), PAGES_OF_MODELS, ids=[page_id(p) for p in PAGES_OF_MODELS]
)
def test_editor_can_open_every_page(client, editor, records, model, page):
    client.force_login(editor)
    assert client.get(admin_url(model, page)).status_code == 200


@pytest.mark.parametrize("user", ["reader", "dcs"])
@pytest.mark.parametrize(
    ("model", "page"), PAGES_OF_MODELS, ids=[page_id(p) for p in PAGES_OF_MODELS]
)
def test_users_without_staff_status_are_sent_to_log_in(client, request, records, user, model, page):
    client.force_login(request.getfixturevalue(user))
    url = admin_url(model, page)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == redirect_to_login(url, "/admin/login/").url
