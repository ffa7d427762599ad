"""Exactly once: a worker killed mid-edition (SIGKILL) and another started finish the edition;
every reader gets the update, and no more duplicates than kills."""

import collections

import pytest

from tests.edition_scenario import Scenario, wait_for
from tests.mailserver import MailServer

READERS = 400  # enough that each kill lands mid-edition (asserted below)


def received(server):
    with server.inbox.lock:
        return collections.Counter(rcpt for rcpts, _ in server.inbox.messages for rcpt in rcpts)


@pytest.fixture
def scenario(tmp_path, database_template):
    with MailServer() as server:
        scenario = Scenario(tmp_path, smtp_port=server.port)
        scenario.sink = server
        try:
            scenario.prepare(READERS, template=database_template)
            yield scenario
        finally:
            scenario.close()


def test_workers_killed_mid_edition_lose_no_reader_and_double_at_most_one_each(scenario):
    sink = scenario.sink
    worker = scenario.start_worker()
    scenario.publish()
    kills = 0
    for share in (0.25, 0.6):  # kill the worker at a quarter, then its successor at 60 %
        assert wait_for(lambda s=share: sink.inbox.count >= READERS * s, timeout=120)
        worker.kill()
        worker.wait()
        kills += 1
        assert sink.inbox.count < READERS, "the edition ended before the kill: nothing was proved"
        worker = scenario.start_worker()
    assert wait_for(lambda: len(received(sink)) == READERS, timeout=180)
    assert wait_for(scenario.finished, timeout=60, every=0.1)
    counts = received(sink)
    assert len(counts) == READERS
    duplicates = sum(counts.values()) - READERS
    assert duplicates <= kills
