"""The vendored libraries and map outlines: served, licensed, recorded; and the script that makes them."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
from pathlib import Path

import pytest

import vigil.web

VENDOR = Path(vigil.web.__file__).with_name("static") / "vendor"
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "vendor_assets.py"
LICENCE_NAMES = ("LICENSE", "LICENSE.md", "LICENCE", "MIT-LICENCE.txt", "LICENSE.txt")
MAP_BUDGET_BYTES = 2 * 1024 * 1024


@pytest.fixture(scope="module")
def vendor_script():
    spec = importlib.util.spec_from_file_location("vendor_assets", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def folders() -> list[Path]:
    return sorted(p for p in VENDOR.iterdir() if p.is_dir())


def test_every_vendor_folder_has_a_licence_and_is_recorded():
    readme = (VENDOR / "README.md").read_text("utf-8")
    index = json.loads((VENDOR / "index.json").read_text("utf-8"))
    assert sorted(index.values()) == [folder.name for folder in folders()]
    for folder in folders():
        licences = [folder / name for name in LICENCE_NAMES if (folder / name).is_file()]
        assert licences and licences[0].stat().st_size > 100, folder.name
        name, version = folder.name.rsplit("-", 1)
        assert f"| {name} | {version} |" in readme and "sha512-" in readme


def test_the_manifest_pins_what_is_vendored(vendor_script):
    manifest = json.loads(SCRIPT.with_suffix(".json").read_text("utf-8"))
    assert [vendor_script.folder_name(p) for p in manifest["packages"]] == list(
        json.loads((VENDOR / "index.json").read_text("utf-8")).values()
    )
    for package in manifest["packages"]:
        assert package["integrity"].startswith("sha512-") and package["licence"]
        folder = VENDOR / vendor_script.folder_name(package)
        for target in list(package.get("files", {}).values()) + [g["output"] for g in package.get("geojson", [])]:
            assert (folder / target).is_file(), target


def test_vendored_files_are_served(client):
    for folder in folders():
        for path in folder.rglob("*"):
            if path.is_file():
                url = "/static/vendor/" + path.relative_to(VENDOR).as_posix()
                response = client.get(url)
                assert response.status_code == 200 and response.content == path.read_bytes(), url


def test_map_outlines_are_small_valid_geojson_covering_the_region():
    outlines = [p for p in VENDOR.rglob("*.geojson")]
    assert sum(p.stat().st_size for p in outlines) < MAP_BUDGET_BYTES
    provinces = json.loads(next(p for p in outlines if p.name == "admin1.geojson").read_text("utf-8"))
    countries = {f["properties"].get("country") for f in provinces["features"]}
    assert {"PK", "AF", "IN", "IR"} <= countries
    names = {(f["properties"]["country"], f["properties"]["name"]) for f in provinces["features"]}
    assert ("PK", "Khyber Pakhtunkhwa") in names and ("AF", "Kandahar") in names
    for path in outlines:
        collection = json.loads(path.read_text("utf-8"))
        assert collection["type"] == "FeatureCollection" and collection["features"]
        for feature in collection["features"]:
            geometry = feature["geometry"]
            polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
            for ring in (ring for polygon in polygons for ring in polygon):
                assert len(ring) >= 4 and ring[0] == ring[-1], feature["properties"]["name"]


# A quantised topology: two squares sharing an edge (arc 1), the right one a MultiPolygon with an island.
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.5], "translate": [60, 20]},
    "arcs": [
        [[0, 0], [0, 2], [2, 0]],  # (60,20) (60,21) (61,21)
        [[2, 2], [0, -2]],  # shared edge (61,21) -> (61,20)
        [[2, 0], [-2, 0]],  # (61,20) -> (60,20)
        [[2, 2], [2, 0], [0, -2], [-2, 0]],  # (61,21) (62,21) (62,20) (61,20)
        [[10, 10], [1, 0], [0, 1], [-1, 0], [0, -1]],  # a tiny island, closed on itself
    ],
    "objects": {
        "pak": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "PK.AA", "properties": {"name": "West"}, "arcs": [[0, 1, 2]]},
                {"type": "MultiPolygon", "id": "PK.BB", "properties": {"name": "East"}, "arcs": [[[3, ~1]], [[4]]]},
                {"type": "Polygon", "id": "-99", "properties": {}, "arcs": [[0, 1, 2]]},
            ],
        }
    },
}


def test_topojson_becomes_geojson_with_shared_edges(vendor_script):
    features = vendor_script.topology_to_features(TOPOLOGY, {"country_from_id": True, "names": {"PK.AA": "Renamed"}})
    assert [f["properties"]["name"] for f in features] == ["Renamed", "East"]  # the unnamed sliver is dropped
    assert features[0]["properties"] == {"name": "Renamed", "source_name": "West", "code": "PK.AA", "country": "PK"}
    west = features[0]["geometry"]
    assert west["type"] == "Polygon"
    assert west["coordinates"][0] == [[60, 20], [60, 21], [61, 21], [61, 20], [60, 20]]
    east = features[1]["geometry"]
    assert east["type"] == "MultiPolygon" and len(east["coordinates"]) == 2
    assert east["coordinates"][0][0] == [[61, 21], [62, 21], [62, 20], [61, 20], [61, 21]]
    without_specks = vendor_script.topology_to_features(TOPOLOGY, {"min_ring_area": 0.5})
    assert without_specks[1]["geometry"]["type"] == "Polygon"  # the 0.25-square-degree island is gone


def test_simplify_keeps_ends_and_drops_points_within_tolerance(vendor_script):
    line = [(0.0, 0.0), (1.0, 0.01), (2.0, -0.01), (3.0, 0.0), (4.0, 2.0)]
    assert vendor_script.simplify(line, 0.1) == [(0.0, 0.0), (3.0, 0.0), (4.0, 2.0)]
    assert vendor_script.simplify(line, 0.0) == line
    ring = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.5, 1.001), (0.0, 1.0), (0.0, 0.0)]
    simplified = vendor_script.simplify(ring, 0.01)
    assert simplified[0] == simplified[-1] == (0.0, 0.0) and (0.5, 1.001) not in simplified


def test_rings_across_the_antimeridian_stay_continuous(vendor_script):
    ring = [(179.0, 60.0), (-179.0, 60.0), (-179.0, 61.0), (179.0, 61.0), (179.0, 60.0)]
    assert [x for x, _ in vendor_script.unwrapped(ring)] == [179.0, 181.0, 181.0, 179.0, 179.0]


def test_integrity_is_npm_sri(vendor_script, tmp_path):
    tarball = tmp_path / "package.tgz"
    tarball.write_bytes(b"vigil")
    expected = "sha512-" + base64.b64encode(hashlib.sha512(b"vigil").digest()).decode()
    assert vendor_script.integrity_of(tarball) == expected
    with pytest.raises(vendor_script.VendorError, match="does not match"):
        vendor_script.verify(tarball, {"name": "x", "version": "1", "integrity": "sha512-AAAA"})
