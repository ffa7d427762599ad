"""Named users shared by every test: an editor, a convener, a DCS and a reader."""

import gc
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from hypothesis import settings as hypothesis_settings

from networks.models import Network
from seslip.lib import roles
from tests import databases
from tests.browser import _browser_turn, _chromium, browser, page  # noqa: F401 (shared fixtures)
from tests.examples import PROFILE

hypothesis_settings.register_profile("ci", max_examples=100)
hypothesis_settings.register_profile("quick", max_examples=10)
hypothesis_settings.load_profile(PROFILE)


def make_user(django_user_model, username, *, group=None, staff=False):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@example.org", password="correct horse battery"
    )
    user.is_staff = staff
    user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(django_user_model):
    """Edith composes the weekly update."""
    return make_user(django_user_model, "edith", group=roles.EDITORS, staff=True)


@pytest.fixture
def safeguarding_network(db):
    return Network.objects.get_or_create(name="AD Safeguarding")[0]


@pytest.fixture
def data_network(db):
    return Network.objects.get_or_create(name="Data Benchmarking")[0]


@pytest.fixture
def convener(django_user_model, safeguarding_network):
    """Connor convenes the AD Safeguarding network, and no other."""
    user = make_user(django_user_model, "connor", group=roles.CONVENERS, staff=True)
    safeguarding_network.convener_accounts.add(user)
    return user


@pytest.fixture
def dcs(django_user_model):
    """Diana is a Director of Children's Services: she reads DCS-only material, edits nothing."""
    return make_user(django_user_model, "diana", group=roles.DCSS)


@pytest.fixture
def reader(django_user_model):
    """Reggie has an account but no role: he sees what the public sees."""
    return make_user(django_user_model, "reggie")


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
    tmp_path_factory,
    worker_id,
):
    """pytest-django's, except that the run migrates one test database and each test process
    copies it (tests/databases.py). With --reuse-db or --no-migrations, pytest-django's own."""
    from django.test.utils import setup_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    keepdb = django_db_keepdb and not django_db_createdb
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    shared = django_db_use_migrations and not keepdb and aliases == {databases.ALIAS}
    with django_db_blocker.unblock():
        if shared:
            folder = databases.shared_folder(tmp_path_factory, worker_id)
            old_config, template = databases.set_up(
                folder, verbosity=verbosity, serialized_aliases=serialized_aliases
            )
        else:
            if not django_db_use_migrations:
                _disable_migrations()
            template = None
            old_config = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
                keepdb=keepdb,
            )
    request.config.stash[TEMPLATE] = template
    yield
    if not keepdb:
        with django_db_blocker.unblock():
            try:
                databases.tear_down(old_config, verbosity=verbosity)
            except Exception as exc:  # as pytest-django: a warning, not an error
                request.node.warn(
                    pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}")
                )


TEMPLATE = pytest.StashKey["databases.Template | None"]()


@pytest.fixture(scope="session")
def database_template(request, django_db_setup):
    """The run's migrated database to copy (tests/databases.py), or None (--reuse-db, ...)."""
    return request.config.stash[TEMPLATE]


def pytest_sessionfinish(session):
    """The controller (or the only process) drops the run's PostgreSQL template at the end."""
    from pytest_django.plugin import blocking_manager_key

    if not hasattr(session.config, "workerinput"):
        with session.config.stash[blocking_manager_key].unblock():
            databases.drop_template(
                databases.shared_folder(session.config._tmp_path_factory, "master")
            )


@pytest.fixture(autouse=True, scope="session")
def _test_speedups():
    """Real hashing costs ~0.3 s a user and tests make hundreds of users; WhiteNoise need not
    index STATIC_ROOT (which a fresh clone lacks) every time a test client starts."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def _no_pages_rendered_ahead(settings):
    """Tests see the pages their own requests render; tests of warming turn it on."""
    settings.PAGE_WARMING = "off"


@pytest.fixture(scope="session")
def _cache_dir(tmp_path_factory):
    """The file cache's folder (the content generation lives there without Redis): in memory
    (/dev/shm) where the machine has it. Every write a test makes starts a generation, and on disk
    each is a file replaced and flushed (~1 ms, more when the disk is busy), in memory ~0.05 ms."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path_factory.mktemp("cache")
        return
    folder = Path(tempfile.mkdtemp(prefix="seslip-test-cache-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_caches(settings, _cache_dir):
    """Each test starts with empty caches of its own: a key prefix of its own (parallel runs on one
    Redis never collide) and, without Redis, files of this run's own; only that prefix is flushed."""
    from django.core.cache import caches

    prefix = f"test-{uuid.uuid4().hex[:12]}"
    configs = {alias: {**config, "KEY_PREFIX": prefix} for alias, config in settings.CACHES.items()}
    if configs["shared"]["BACKEND"].endswith("FileBasedCache"):
        configs["shared"]["LOCATION"] = str(_cache_dir)
    settings.CACHES = configs
    yield prefix
    for alias in configs:
        cache = caches[alias]
        if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):  # Redis
            client = cache._cache.get_client(write=True)
            for key in client.scan_iter(match=f"{prefix}:*"):
                client.delete(key)
        else:
            cache.clear()


@pytest.fixture
def mailbox(settings):
    """A real SMTP server on loopback; the site sends through it, and the test reads what came."""
    from tests.mail_server import smtp_mailers, start_server

    controller, mailbox = start_server()
    settings.MAILERS = smtp_mailers(controller.port)
    yield mailbox
    controller.stop()


def member(django_user_model, username, organisation, role):
    """A reader account of `organisation` with `role`, signed up and with a password."""
    from contacts.models import Membership, Organisation

    user = make_user(django_user_model, username)
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(name=organisation), role=role
    )
    return user


@pytest.fixture
def kent_lead(django_user_model):
    """Lena leads on safeguarding for Kent: a reader of Kent, who answers for Kent."""
    return member(django_user_model, "lena", "Kent", roles.ReaderRole.LEAD)


@pytest.fixture
def kent_dcs(django_user_model):
    """Kofi is Kent's DCS."""
    return member(django_user_model, "kofi", "Kent", roles.ReaderRole.DCS)


@pytest.fixture
def medway_dcs(django_user_model):
    """Mara is Medway's DCS."""
    return member(django_user_model, "mara", "Medway", roles.ReaderRole.DCS)


# The longest tests, longest first (seconds on a quiet two-core machine, roughly): each process
# starts its share with them, so that none is left running a long one alone at the end of the run.
LONG_TESTS = [
    "test_worker_killed.py::",  # ~20: real worker processes killed mid-edition
    "test_browser_compose_update.py::",  # ~15
    "test_browser_week.py::test_the_editors_week",  # ~7
    "test_browser_item_conflict.py::",  # ~5
    "test_export_round_trip.py::",  # ~4
    "test_browser_no_typed_text_lost.py::",  # ~3 each
    "test_warming.py::",
    "test_browser_compose_screen.py::",
    "test_browser_answering.py::",
    "test_settings.py::",  # subprocesses
    "test_serving.py::",  # subprocesses
]


def expected_rank(item):
    for rank, name in enumerate(LONG_TESTS):
        if name in item.nodeid:
            return rank
    return len(LONG_TESTS)


def pytest_collection_finish(session):
    """Python's cyclic garbage collector took 8 % of a test process's CPU, mostly scanning again
    and again what start-up made (modules, the collected tests): that is set aside (gc.freeze),
    and a collection starts after 20,000 new objects rather than 2,000 (4 % then)."""
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """pytest-django runs the tests that use the database in a transaction first, then those
    that empty it after them (transactional, the browser tests among them), then those without a
    database; the last need no particular database, so they run first here. In each group the
    longest run first (LONG_TESTS); the rest keep their order."""
    transactional = {id(item) for item in items if _transactional(item)}

    def group(item):
        if id(item) in transactional:
            return 2
        return 1 if "db" in item.fixturenames or item.get_closest_marker("django_db") else 0

    items.sort(key=lambda item: (group(item), expected_rank(item)))


def _transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return "transactional_db" in item.fixturenames or "live_server" in item.fixturenames
