"""Refreshing the UN list from a (local) server: atomic replace, clean errors."""

from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path

import pytest

from vigil.errors import DataFileError
from vigil.gazetteers.actors import load_actor_gazetteer, refresh_un_list

SMALL_LIST = b"""<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2024-01-02T10:00:00.000-05:00">
  <INDIVIDUALS>
    <INDIVIDUAL><FIRST_NAME>NOOR WALI</FIRST_NAME><SECOND_NAME>MEHSUD</SECOND_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
      <REFERENCE_NUMBER>QDi.427</REFERENCE_NUMBER><NATIONALITY><VALUE>Pakistan</VALUE></NATIONALITY>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Abu Mansoor Asim</ALIAS_NAME></INDIVIDUAL_ALIAS></INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY><FIRST_NAME>TEHRIK-E TALIBAN PAKISTAN (TTP)</FIRST_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
      <REFERENCE_NUMBER>QDe.132</REFERENCE_NUMBER><COMMENTS1>Based in the tribal areas.</COMMENTS1>
      <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Pakistani Taliban</ALIAS_NAME></ENTITY_ALIAS></ENTITY>
    <ENTITY><FIRST_NAME>EXAMPLE RELIEF FOUNDATION</FIRST_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
      <REFERENCE_NUMBER>QDe.999</REFERENCE_NUMBER></ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
"""


@pytest.fixture()
def server():
    routes = {"/list.xml": (200, SMALL_LIST), "/broken.xml": (200, b"<not xml"), "/missing.xml": (404, b"gone")}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            status, body = routes.get(self.path, (404, b""))
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.network
def test_refresh_rebuilds_actors(server, tmp_path: Path):
    count = refresh_un_list(f"{server}/list.xml", data_dir=tmp_path)
    lines = [json.loads(line) for line in (tmp_path / "actors.jsonl").read_text().splitlines()]
    assert count == len(lines)
    by_id = {line["id"]: line for line in lines}
    ttp = by_id["tehrik-e-taliban-pakistan"]
    assert ttp["un_ref"] == "QDe.132" and ttp["source"] == "curated+un-sc-consolidated-2024-01-02"
    assert by_id["un-qde-999"]["kind"] == "organisation"
    person = by_id["un-qdi-427"]
    assert person["kind"] == "person" and person["name"] == "Noor Wali Mehsud" and "Abu Mansoor Asim" in person["aliases"]
    gazetteer = load_actor_gazetteer(tmp_path / "actors.jsonl")
    assert gazetteer.lookup("Pakistani Taliban").id == "tehrik-e-taliban-pakistan"


@pytest.mark.network
@pytest.mark.parametrize("path", ["/missing.xml", "/broken.xml"])
def test_refresh_failure_leaves_old_file(server, tmp_path: Path, path):
    old = tmp_path / "actors.jsonl"
    old.write_text("old\n")
    with pytest.raises(DataFileError):
        refresh_un_list(f"{server}{path}", data_dir=tmp_path)
    assert old.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["actors.jsonl"]


def test_refresh_unreachable(tmp_path: Path):
    with pytest.raises(DataFileError, match="could not download"):
        refresh_un_list("http://127.0.0.1:9/none.xml", data_dir=tmp_path, timeout=2)
