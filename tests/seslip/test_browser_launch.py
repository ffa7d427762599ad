"""The test run's Chromium is started as tests/browser.py means it to be.

Chromium keeps only the last --disable-features it is given. tests/browser.py repeats Playwright's
own list before its additions; after a Playwright upgrade that list may have changed, and a
feature Playwright turns off would silently come back on. This reads the running browser's
command line, so it checks what Chromium was really given, whatever Playwright's version.
"""

import os
from pathlib import Path

import pytest

from tests.browser import UNNEEDED_FEATURES

pytestmark = pytest.mark.browser


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:  # a thread that has just ended
            continue
    return found


def chromium_command_lines() -> list[list[str]]:
    """The command lines of the Chromium browser processes started by this test process."""
    lines, todo = [], children(os.getpid())
    while todo:
        pid = todo.pop()
        try:
            args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        args = [arg.decode() for arg in args if arg]
        if "--remote-debugging-pipe" in args:
            lines.append(args)
        else:
            todo += children(pid)
    return lines


def disabled_features(args: list[str]) -> list[list[str]]:
    prefix = "--disable-features="
    return [arg.removeprefix(prefix).split(",") for arg in args if arg.startswith(prefix)]


def test_chromium_keeps_every_feature_playwright_turns_off_and_ours(browser):
    if not Path(f"/proc/self/task/{os.getpid()}/children").exists():
        pytest.skip("this kernel does not list a process's children in /proc")
    [args] = chromium_command_lines()
    *earlier, last = disabled_features(args)
    missing = {feature for features in earlier for feature in features} - set(last)
    assert not missing, f"add to PLAYWRIGHT_DISABLED_FEATURES in tests/browser.py: {missing}"
    assert set(UNNEEDED_FEATURES) <= set(last)
