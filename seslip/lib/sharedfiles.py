"""A value of the shared cache read on every request, cheaply when the shared cache is files.

Without REDIS_URL the shared cache is Django's FileBasedCache: one file per key, and every write
a whole new file renamed over the old one, so a reader gets the old bytes or the new ones. Its
get() opens the file with Python's buffered I/O, unpickles the expiry, decompresses and unpickles
the value: 15-20 µs here, and the content generation (every page served from the cache) and the
readers epoch (every signed-in reader's) are read on each request. `get` reads the file's bytes
(open, read, close: about 6 µs) and unpickles them only when they differ from those this process
last unpickled for that file: after a write. Equal bytes are the same value, as the cache would
give it; an entry that can expire, a missing file or another cache back-end are asked as before.
"""

import os
import pickle
import zlib
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache

# A file-cache entry written with no expiry (timeout None) starts with it, then the value
# (FileBasedCache._write_content): one pickle of the expiry, zlib of one pickle of the value.
NEVER_EXPIRES = pickle.dumps(None, FileBasedCache.pickle_protocol)
MAX_BYTES = 64 * 1024  # a bigger entry is read by the cache itself
MAX_SEEN = 64  # files whose last value this process keeps (two keys for each cache and prefix)
FILES_ATTRIBUTE = "seslip_files"  # on a cache instance: key -> its file

# file -> (its bytes when this process last unpickled them, the value they hold)
seen: dict[str, tuple[bytes, Any]] = {}


def get(cache: Any, key: str) -> Any:
    """cache.get(key): the same value, not unpickled again while its file is unchanged. The
    value may be the one returned before: not to be changed by the caller."""
    if not isinstance(cache, FileBasedCache):
        return cache.get(key)
    path = file_of(cache, key)
    stored = read(path)
    if stored is None or not stored.startswith(NEVER_EXPIRES):
        return cache.get(key)  # missing, too big, or able to expire: the cache decides
    kept = seen.get(path)
    if kept is not None and kept[0] == stored:
        return kept[1]
    try:
        value = pickle.loads(zlib.decompress(stored[len(NEVER_EXPIRES) :]))
    except (zlib.error, pickle.UnpicklingError, EOFError):  # not the cache's format
        return cache.get(key)
    if len(seen) >= MAX_SEEN:
        seen.clear()
    seen[path] = (stored, value)
    return value


def file_of(cache: FileBasedCache, key: str) -> str:
    """The file of `key`: it depends on the cache's folder, prefix and version, so it is kept
    with the cache instance (Django makes new ones when the CACHES setting changes)."""
    files = cache.__dict__.setdefault(FILES_ATTRIBUTE, {})
    path = files.get(key)
    if path is None:
        path = files[key] = cache._key_to_file(key)  # type: ignore[attr-defined]
    return path


def read(path: str) -> bytes | None:
    """The file's bytes, or None when there is no such file or it is too big to be read here."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        stored = os.read(descriptor, MAX_BYTES)
    finally:
        os.close(descriptor)
    return stored if len(stored) < MAX_BYTES else None
