"""The actor gazetteer: canonical actors and the names they go by.

``load_actor_gazetteer()`` reads the shipped ``data/actors.jsonl`` once per
process (built by ``vigil.gazetteers.build_actors``; refreshed from the live UN
list by ``refresh_un_list``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from vigil.errors import DataFileError
from vigil.gazetteers.cache import file_stamps, read_cache, write_cache
from vigil.gazetteers.build_actors import ACTORS_FILE, build_actors
from vigil.gazetteers.text import DATA_DIR, loose_key, normalise, slugify, word_prob
from vigil.model.records import Actor

UN_LIST_URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"

#: Short capitalised aliases that are still safe in ALL-CAPS text although the
#: lowercase form is a common word.
_SAFE_IN_CAPS = frozenset({"UN"})
#: An alias whose lowercase form is at least this likely in English is ambiguous.
_COMMON_PROB = -10.5
_PARTICLE_GAP = re.compile(r"(?<=\w)[ -](e|i|ul|ud|ur|ut|us|al|el)[ -](?=\w)", re.I)


def alias_is_case_sensitive(alias: str) -> bool:
    """Whether an alias must match with its exact capitalisation.

    Acronyms ("TTP", "ISIS", "JUI-F", "LeT") and aliases that are ordinary
    English words when lowercased match case-sensitively; other names match in
    any case, so ALL-CAPS wire text still finds them.
    """
    if " " in alias.strip():
        return False
    letters = [ch for ch in alias if ch.isalpha()]
    if len(letters) <= 5 and sum(ch.isupper() for ch in letters) >= 2:
        return True
    return word_prob(alias) is not None and word_prob(alias) >= -13.0


def alias_is_ambiguous_in_caps(alias: str) -> bool:
    """A case-sensitive alias that ALL-CAPS text cannot tell from a word ("IS", "TIP", "LeT")."""
    if alias in _SAFE_IN_CAPS or " " in alias.strip():
        return False
    bare = re.sub(r"[^A-Za-z]", "", alias)
    if bare in _SAFE_IN_CAPS:
        return False
    prob = word_prob(bare)
    return prob is not None and prob >= _COMMON_PROB


def _variants(alias: str) -> list[str]:
    """Surface forms worth matching: as written, hyphens as spaces, particles hyphenated."""
    alias = " ".join(alias.split())
    if alias.lower().startswith("the ") and len(alias) > 4:
        alias = alias[4:]
    forms = [alias, re.sub(r"\s*-\s*", " ", alias), _PARTICLE_GAP.sub(r"-\1-", alias)]
    return list(dict.fromkeys(f for f in forms if f))


def _rank(actor: Actor) -> int:
    """Which actor keeps a name two actors share: curated first, then listed groups, then people."""
    if actor.source == "curated" or actor.source.startswith("curated+"):
        return 0
    return 1 if actor.kind != "person" else 2


class ActorGazetteer:
    """Canonical actors indexed by id and by normalised name."""

    def __init__(self, actors: list[Actor]) -> None:
        self.actors: dict[str, Actor] = {a.id: a for a in actors}
        self._redirects = {f"un-{slugify(a.un_ref)}": a.id for a in actors if a.un_ref and not a.id.startswith("un-")}
        ordered = sorted(actors, key=_rank)
        self._by_key: dict[str, str] = {}
        self._by_loose: dict[str, str] = {}
        for actor in ordered:
            for text in [actor.name, *actor.aliases]:
                self._by_key.setdefault(normalise(text), actor.id)
                self._by_loose.setdefault(loose_key(text), actor.id)
        self._entries = self._build_entries(ordered)

    def __len__(self) -> int:
        return len(self.actors)

    def get(self, actor_id: str) -> Actor | None:
        """The actor with this id; the ``un-<ref>`` id of a curated UN-listed actor works too."""
        return self.actors.get(actor_id) or self.actors.get(self._redirects.get(actor_id, ""))

    def lookup(self, name: str) -> Actor | None:
        """The actor a name refers to, ignoring case, hyphens, accents and "al-" spellings."""
        key = normalise(name)
        actor_id = self._by_key.get(key)
        if actor_id is None and key.startswith("the "):
            actor_id = self._by_key.get(key[4:])
        if actor_id is None:
            loose = loose_key(name)
            actor_id = self._by_loose.get(loose) or (self._by_loose.get(loose[2:]) if loose.startswith("al") else None)
        return self.actors.get(actor_id) if actor_id else None

    def alias_entries(self) -> Iterator[tuple[str, str, bool]]:
        """(alias text, actor id, case_sensitive) for every name worth matching, each once."""
        return iter(self._entries)

    @property
    def ambiguous_in_caps(self) -> frozenset[str]:
        """Case-sensitive aliases that must not match in ALL-CAPS text."""
        return frozenset(text for text, _, cs in self._entries if cs and alias_is_ambiguous_in_caps(text))

    @staticmethod
    def _build_entries(ordered: list[Actor]) -> list[tuple[str, str, bool]]:
        seen: set[str] = set()
        entries = []
        for actor in ordered:
            for text in [actor.name, *actor.aliases]:
                for form in _variants(text):
                    sensitive = alias_is_case_sensitive(form)
                    key = form if sensitive else form.casefold()
                    if len(form) < 2 or key in seen:
                        continue
                    seen.add(key)
                    entries.append((form, actor.id, sensitive))
        return entries


def read_actors(path: Path) -> list[Actor]:
    """Every actor of a JSON Lines file, validated; an invalid line is a ``DataFileError``."""
    if not path.exists():
        raise DataFileError(f"actor gazetteer not found: {path} (rebuild it with vigil.gazetteers.build.build_all)")
    actors = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    actors.append(Actor.model_validate_json(line))
                except ValueError as exc:
                    raise DataFileError(f"{path}:{number}: not a valid Actor: {exc}") from exc
    return actors


@lru_cache(maxsize=4)
def load_actor_gazetteer(path: Path | None = None) -> ActorGazetteer:
    """The actor gazetteer, read once per process (per path).

    The built gazetteer is kept in the cache folder (``cache_dir``), keyed by the file's
    size and modification time, so later processes load it instead of rebuilding it.
    """
    path = Path(path) if path else DATA_DIR / ACTORS_FILE
    from vigil.gazetteers import text

    key = file_stamps(path, DATA_DIR / "common_words.tsv.gz", Path(__file__), Path(text.__file__))
    cached = read_cache("actors", key)
    if isinstance(cached, ActorGazetteer):
        return cached
    gazetteer = ActorGazetteer(read_actors(path))
    write_cache("actors", key, gazetteer)
    return gazetteer


#: Bump when a cached index's layout or the rules that build it change: old caches are then ignored.
def refresh_un_list(url: str = UN_LIST_URL, data_dir: Path | None = None, timeout: float = 60.0) -> int:
    """Download the live UN consolidated list and rebuild ``actors.jsonl`` from it.

    The new file replaces the old one only when the download and the build both
    succeed; otherwise a ``DataFileError`` says why and the old file is untouched.
    Returns the number of actors written.
    """
    import httpx

    data_dir = Path(data_dir) if data_dir else DATA_DIR
    try:
        response = httpx.get(url, timeout=timeout, follow_redirects=True)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise DataFileError(f"could not download the UN sanctions list from {url}: {exc}") from exc
    count = build_actors(response.content, data_dir)
    load_actor_gazetteer.cache_clear()
    return count
