"""Every save still writes its history row, and each record's history is its own, though the
history manager's class is built once per model (seslip/lib/history.py)."""

from django.apps import apps

from newsletters.models import NewsItem
from seslip.lib.history import OneClassHistoryDescriptor
from tests.factories import make_issue, make_item


def test_a_save_is_kept_in_the_record_s_own_history(db):
    issue = make_issue(349)
    survey, other = make_item(issue, "Survey"), make_item(issue, "Other")
    survey.title = "Survey, closing Friday"
    survey.save()

    assert [r.title for r in survey.history.order_by("history_id")] == [
        "Survey",
        "Survey, closing Friday",
    ]
    assert [r.title for r in other.history.all()] == ["Other"]
    assert NewsItem.history.count() == 3
    assert survey.history.instance is survey and other.history.instance is other


def test_every_model_with_history_builds_its_manager_class_once():
    with_history = [
        model
        for model in apps.get_models()
        if hasattr(model._meta, "simple_history_manager_attribute")
    ]
    assert len(with_history) >= 7
    for model in with_history:
        descriptor = model.__dict__[model._meta.simple_history_manager_attribute]
        assert isinstance(descriptor, OneClassHistoryDescriptor), model
        assert type(model.history) is type(model.history)
