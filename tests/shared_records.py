"""Records made once for a whole test module, as Django's setUpTestData makes them for a class.

`records, _made_once = made_once_per_module(one_of_everything, name="records")` in a test module
(one a module) gives its tests a fixture `records` (which brings `db` with it): `one_of_everything()`
runs once, for the module-scoped `_made_once`, in a transaction that
stays open until the module's last test has run and is then rolled back. Each test runs in a
savepoint of that transaction (pytest-django's `db`), so whatever a test writes is undone after
it and every test starts from the same records. Only for modules whose tests do not need
`transactional_db`; a test must not change the returned Python objects in place.
"""

import sys

import pytest
from django.db import transaction
from django.test.utils import override_settings


def made_once_per_module(make, *, name):
    @pytest.fixture(scope="module", name="_made_once")
    def once(django_db_setup, django_db_blocker, _cache_dir):
        from django.conf import settings

        # The content generations these writes start go to a cache folder and prefix of their own.
        caches = {
            alias: {**config, "KEY_PREFIX": "test-made-once"}
            for alias, config in settings.CACHES.items()
        }
        if caches["shared"]["BACKEND"].endswith("FileBasedCache"):
            caches["shared"]["LOCATION"] = str(_cache_dir)
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                with override_settings(CACHES=caches, PAGE_WARMING="off"):
                    made = make()
            except BaseException:
                atomic.__exit__(*sys.exc_info())
                raise
        try:
            yield made
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    @pytest.fixture(name=name)
    def for_each_test(_made_once, db):  # a module-scoped fixture is set up before `db`
        return _made_once

    return for_each_test, once
