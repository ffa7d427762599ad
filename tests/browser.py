"""One Chromium for the whole test run, a fresh browser context for each test.

Real browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
tests/conftest.py imports these fixtures, so any test may ask for them:

- `browser`: the run's one Chromium (Playwright's `Browser`), started by the first test that asks
  for it and closed when the run ends. A test may open contexts of its own with
  `browser.new_context(...)`, e.g. for a phone or a second reader; every context a test opens is
  closed when that test ends, so no cookie, storage or tab outlives it.
- `page`: a tab in a fresh context of its own (1024 × 800) that records Content Security Policy
  violations in `page.csp_errors`. `watch_for_errors(page)` does the same for a page a test opens
  itself.

Browser tests also need `live_server` and `@pytest.mark.django_db(transaction=True)`, and carry
the `browser` mark. Without Debian's chromium they are skipped (`make browser` installs it).

Playwright's sync API runs its event loop in a greenlet of this thread and, between its calls,
leaves that loop marked as running, which would make Django refuse every later ORM call in this
thread ("you cannot call this from an async context"). So the loop is marked as running, and
DJANGO_ALLOW_ASYNC_UNSAFE set, only while a test that uses the browser runs (`_browser_turn`):
the ORM calls such a test makes are synchronous and safe; every other test sees no loop at all.
"""

import asyncio
import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium")
# Chromium keeps only the last --disable-features it is given, so ours repeats Playwright's own
# list (1.65) before adding what costs a test run CPU and no test needs: the omnibox popup, which
# the new headless mode builds for every browser context as two WebUI pages in renderers of their
# own (about half a second of CPU a context), and the spare renderer kept warm for a next
# navigation. Site isolation goes too: a test's pages are one site, the live server's.
# tests/seslip/test_browser_launch.py reads the running Chromium's command line and names any
# feature a newer Playwright turns off that this list lacks.
PLAYWRIGHT_DISABLED_FEATURES = [
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
]
UNNEEDED_FEATURES = [
    "WebUIOmniboxPopup",
    "WebUIOmniboxAimPopup",
    "WebUIOmniboxFullPopup",
    "SpareRendererForSitePerProcess",
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-site-isolation-trials",
    "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + UNNEEDED_FEATURES),
]


def watch_for_errors(page, *, script_errors=False):
    """Record the page's Content Security Policy violations (and, if asked, its script errors)
    in `page.csp_errors`, so that a test can assert there were none."""
    page.csp_errors = []
    page.on(
        "console",
        lambda msg: (
            page.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    if script_errors:
        page.on("pageerror", lambda error: page.csp_errors.append(f"script error: {error}"))
    return page


class _Chromium:
    """The run's Playwright and Chromium, and the event loop Playwright runs them on."""

    def __init__(self):
        from playwright.sync_api import sync_playwright

        self.playwright = sync_playwright().start()
        self.loop = asyncio.get_running_loop()  # marked running by Playwright's start
        self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.pause()

    def resume(self):
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        asyncio._set_running_loop(self.loop)

    def pause(self):
        asyncio._set_running_loop(None)
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    def stop(self):
        self.resume()
        try:
            self.browser.close()
        finally:
            self.playwright.stop()
            self.pause()


@pytest.fixture(scope="session")
def _chromium():
    if not CHROMIUM:
        pytest.skip("Debian's chromium is not installed (make browser)")
    chromium = _Chromium()
    yield chromium
    chromium.stop()


@pytest.fixture(autouse=True)
def _browser_turn(request):
    """While a test that uses the browser runs, Playwright's loop may run; after it, its contexts
    are closed and the loop is out of the way again (see the module's docstring)."""
    if "browser" not in request.fixturenames:
        yield
        return
    chromium = request.getfixturevalue("_chromium")
    chromium.resume()
    try:
        yield
    finally:
        try:
            for context in chromium.browser.contexts:
                context.close()
        finally:
            chromium.pause()


@pytest.fixture
def browser(_chromium):
    """The run's one Chromium; contexts a test opens on it are closed when the test ends."""
    return _chromium.browser


@pytest.fixture
def page(browser):
    """A tab in a fresh browser context of its own, recording CSP violations in `csp_errors`."""
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    return watch_for_errors(context.new_page())
