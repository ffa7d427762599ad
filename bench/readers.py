"""The benchmark's signed-in readers and its publisher (issue 17), used by bench/loadtest.py.

    python bench/readers.py publish SECONDS EVERY   # inside one archive: publish an update
                                                    # every EVERY s for SECONDS s, then remove them

`signed_in_pages` adds to the probe the pages a signed-in DCS and an authority member (a lead of
Kent) read, with their session cookies: accounts made for the benchmark, with no usable
password, signed in by session only. `publish` is the editor of the "after publish" rows: each
publication is a new update with one news item, published as the admin's Publish button does
(a new content generation, seen by every server process through the shared cache); the updates
it made are deleted when it stops, so the archive keeps its size.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READERS = {"DCS": ("bench-dcs", "dcs"), "member": ("bench-member", "lead")}
READER_PAGES = ["update", "dashboard", "search"]
AFTER_PUBLISH_PAGES = ["home", "update"]


def reader_page_names():
    return [f"{page}, {reader}" for reader in READERS for page in READER_PAGES]


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seslip.settings")
    import django

    django.setup()


def reader_client(username, role):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from contacts.models import Membership, Organisation

    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.update_or_create(
        user=user, defaults={"organisation": Organisation.objects.get(name="Kent"), "role": role}
    )
    client = Client(SERVER_NAME="127.0.0.1", raise_request_exception=False)
    client.force_login(user)
    return client


def signed_in_pages(urls, count):
    """{page: {url, status, queries, cookie}} for each signed-in reader's pages; `count(client,
    url)` gives (status, queries) of one request."""
    pages = {}
    for reader, (username, role) in READERS.items():
        client = reader_client(username, role)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        for page in READER_PAGES:
            url, counts, status = urls.get(page), [], None
            if url:
                for _ in range(2):
                    status, queries = count(client, url)
                    counts.append(queries)
            pages[f"{page}, {reader}"] = {
                "url": url,
                "status": status,
                "queries": counts,
                "cookie": cookie,
            }
    return pages


def publish(seconds, every):
    setup_django()
    from django.db.models.deletion import ProtectedError
    from django.utils import timezone

    from newsletters.models import Issue, NewsItem, Placement

    first = (Issue.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    number, deadline = first, time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            started = time.monotonic()
            issue = Issue.objects.create(number=number, date=timezone.localdate())
            item = NewsItem.objects.create(
                title=f"Bench publication {number}", update_text="<p>Published by the bench.</p>"
            )
            Placement.objects.create(issue=issue, item=item, section=Placement.Section.HEADLINE)
            issue.publish()
            print(f"published update {number}", flush=True)
            number += 1
            time.sleep(max(0.0, every - (time.monotonic() - started)))
    finally:
        made = Issue.objects.filter(number__gte=first)
        for _ in range(5):
            try:
                NewsItem.objects.filter(title__startswith="Bench publication").delete()
                made.delete()
                break
            except ProtectedError as error:
                for record in error.protected_objects:
                    record.delete()


def after_publish(bench, probed, worker_class):
    """{size: rows}: home and update pages loaded for BENCH_PUBLISH_SECONDS, then as long
    again while bench/readers.py publishes an update every 10 s (the first at once)."""
    from bench.loadtest import medians

    seconds = int(os.environ.get("BENCH_PUBLISH_SECONDS") or "20")
    rows = {size: [] for size in bench.sizes}
    for page in AFTER_PUBLISH_PAGES:
        for connections in bench.connections:
            for size in bench.sizes:
                info = probed[size]["pages"][page]
                if info["status"] != 200:
                    continue
                port, base = bench.port_for(size), {"url": info["url"], "queries": []}
                print(
                    f"  {page} at {size:,} updates, {connections} connections: publishing",
                    file=sys.stderr,
                )
                quiet = bench.wrk(info["url"], port, connections, seconds)
                env_ = {**bench.server_env(size, worker_class), "PAGE_WARMING": "off"}
                publisher = subprocess.Popen(
                    [sys.executable, "bench/readers.py", "publish", str(seconds), "10"],
                    cwd=ROOT,
                    env=env_,
                    stdout=subprocess.DEVNULL,
                    start_new_session=True,
                )
                try:
                    busy = bench.wrk(info["url"], port, connections, seconds)
                finally:
                    publisher.wait(timeout=seconds + 120)
                for label, run in (("no publishing", quiet), ("publishing every 10 s", busy)):
                    rows[size].append(
                        {
                            **base,
                            "page": f"{page}, {seconds} s, {label}",
                            "connections": connections,
                            **medians([run]),
                        }
                    )
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["publish"]:
        publish(float(sys.argv[2]), float(sys.argv[3]))
    else:
        sys.exit(__doc__)
