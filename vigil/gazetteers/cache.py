"""A disk cache for built gazetteer indexes, so a new process does not rebuild them.

Entries are keyed by the stamps (path, size, modification time) of the files they
are built from, plus a format number and the Python version; a missing, stale or
unreadable entry only costs the rebuild, and an unwritable folder is no error.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
from pathlib import Path

CACHE_FORMAT = 1


def cache_dir() -> Path | None:
    """Where built indexes are kept: ``$VIGIL_CACHE_DIR``, else ``$XDG_CACHE_HOME/vigil`` or ``~/.cache/vigil``.

    ``VIGIL_CACHE_DIR=""`` (empty) turns the cache off.
    """
    chosen = os.environ.get("VIGIL_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "vigil"


def file_stamps(*paths: Path) -> tuple | None:
    """A cache key for what is built from these files: their paths, sizes and times (None if one is missing)."""
    stamps = []
    try:
        for path in paths:
            path = Path(path).resolve()
            stat = path.stat()
            stamps.append((str(path), stat.st_size, stat.st_mtime_ns))
    except OSError:
        return None
    return (CACHE_FORMAT, sys.version_info[:2], tuple(stamps))


def _cache_file(name: str, key: tuple) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"{name}-{hashlib.sha1(repr(key).encode()).hexdigest()[:16]}.pickle"


def read_cache(name: str, key: tuple | None) -> object | None:
    """What ``write_cache`` stored under this name and key, or None (missing, stale or unreadable)."""
    if key is None:
        return None
    try:
        path = _cache_file(name, key)
        if path is None or not path.exists():
            return None
        data = path.read_bytes()
        collecting = gc.isenabled()
        gc.disable()  # loading makes many containers and no garbage: collections would only cost time
        try:
            stored_key, value = pickle.loads(data)
        finally:
            if collecting:
                gc.enable()
        return value if stored_key == key else None
    except Exception:  # an unreadable or stale cache only costs the rebuild
        return None


def write_cache(name: str, key: tuple | None, value: object) -> None:
    """Store ``value`` atomically; a cache folder that cannot be written is no error."""
    if key is None:
        return
    temporary = None
    try:
        path = _cache_file(name, key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump((key, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except Exception:
        if temporary is not None:
            try:
                temporary.unlink(missing_ok=True)
            except OSError:
                pass
