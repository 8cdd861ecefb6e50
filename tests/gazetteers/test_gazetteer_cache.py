"""The cache of built gazetteers: used when fresh, ignored when stale or broken, optional."""

from __future__ import annotations

from vigil.gazetteers import actors as actor_module
from vigil.gazetteers import cache as cache_module
from vigil.gazetteers import places as place_module


def _fresh_load(monkeypatch, folder):
    monkeypatch.setenv("VIGIL_CACHE_DIR", str(folder))
    place_module.load_place_gazetteer.cache_clear()
    actor_module.load_actor_gazetteer.cache_clear()
    try:
        return place_module.load_place_gazetteer(), actor_module.load_actor_gazetteer()
    finally:
        place_module.load_place_gazetteer.cache_clear()
        actor_module.load_actor_gazetteer.cache_clear()


def test_cached_gazetteers_equal_built_ones(monkeypatch, tmp_path):
    built_places, built_actors = _fresh_load(monkeypatch, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) and all(p.suffix == ".pickle" for p in tmp_path.iterdir())
    cached_places, cached_actors = _fresh_load(monkeypatch, tmp_path)
    assert cached_places.rows == built_places.rows
    assert cached_places._index == built_places._index
    assert cached_places.leading() == built_places.leading()
    assert cached_places.resolve("Peshawar", {}) == built_places.resolve("Peshawar", {})
    assert list(cached_actors.alias_entries()) == list(built_actors.alias_entries())
    assert cached_actors.lookup("TTP") == built_actors.lookup("TTP")


def test_broken_cache_is_rebuilt(monkeypatch, tmp_path):
    _fresh_load(monkeypatch, tmp_path)
    for path in tmp_path.iterdir():
        path.write_bytes(b"not a pickle")
    places, actors = _fresh_load(monkeypatch, tmp_path)
    assert places.resolve("Peshawar", {}) is not None
    assert actors.lookup("TTP") is not None


def test_unwritable_or_disabled_cache(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    places, _ = _fresh_load(monkeypatch, blocker / "vigil")
    assert places.resolve("Peshawar", {}) is not None
    places, _ = _fresh_load(monkeypatch, "")
    assert places.resolve("Peshawar", {}) is not None


def test_key_follows_the_files(tmp_path):
    data = tmp_path / "data.txt"
    data.write_text("one")
    first = cache_module.file_stamps(data)
    data.write_text("two!")
    assert cache_module.file_stamps(data) != first
    assert cache_module.file_stamps(tmp_path / "missing") is None
