"""Re-create vigil/web/static/vendor/ from the pinned manifest (scripts/vendor_assets.json).

The dashboard ships its JavaScript/CSS libraries and map outlines inside the
package so that it works offline, with no CDN. This script fetches each pinned
npm package with ``npm pack`` (the ordinary npm client), checks the tarball
against the integrity recorded in the manifest, copies only the files the
dashboard uses plus the licence files into ``vendor/<name>-<version>/``,
converts map TopoJSON to small GeoJSON files, and writes ``vendor/README.md``
and ``vendor/index.json`` (package name -> folder, so templates name no version).

    python scripts/vendor_assets.py            # rebuild the vendor folder
    python scripts/vendor_assets.py --check    # only verify tarballs against the manifest

To update a library: change its version and integrity in the manifest
(``npm view NAME@VERSION dist.integrity``), run the script, check the pages.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = Path(__file__).with_suffix(".json")
VENDOR = ROOT / "vigil" / "web" / "static" / "vendor"
COORDINATE_DECIMALS = 3  # about 100 m: plenty for outlines behind event points

Point = tuple[float, float]


class VendorError(Exception):
    """A package could not be fetched, verified or converted; the message names it."""


# --- fetching -----------------------------------------------------------------------------------


def fetch_tarball(name: str, version: str, into: Path) -> Path:
    """``npm pack name@version`` into ``into``; returns the tarball path."""
    spec = f"{name}@{version}"
    try:
        done = subprocess.run(
            ["npm", "pack", spec, "--json", "--pack-destination", str(into)],
            check=True,
            capture_output=True,
            text=True,
        )
    except FileNotFoundError as error:
        raise VendorError("npm is not installed; it is needed to fetch the vendored packages") from error
    except subprocess.CalledProcessError as error:
        raise VendorError(f"npm pack {spec} failed: {error.stderr.strip().splitlines()[-1:]}") from error
    filename = json.loads(done.stdout)[0]["filename"]
    return into / filename


def integrity_of(path: Path) -> str:
    """The npm ``dist.integrity`` string (SRI, sha512) of a tarball."""
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def verify(path: Path, package: dict) -> None:
    actual = integrity_of(path)
    if actual != package["integrity"]:
        raise VendorError(
            f"{package['name']}@{package['version']}: tarball integrity {actual} does not match the manifest's "
            f"{package['integrity']}"
        )


def read_member(archive: tarfile.TarFile, name: str, package: dict) -> bytes:
    """A file of the npm tarball (whose members live under ``package/``)."""
    try:
        member = archive.extractfile(f"package/{name}")
    except KeyError as error:
        raise VendorError(f"{package['name']}@{package['version']} has no file {name!r}") from error
    if member is None:
        raise VendorError(f"{package['name']}@{package['version']}: {name!r} is not a regular file")
    return member.read()


# --- TopoJSON -> GeoJSON ------------------------------------------------------------------------


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Absolute coordinates of every arc (undoing quantisation and delta encoding)."""
    transform = topology.get("transform")
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points: list[Point] = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker on one arc, keeping its end points (so shared borders stay shared)."""
    if len(points) < 3 or tolerance <= 0:
        return list(points)
    if points[0] == points[-1]:
        # A closed arc (an island): split at the point farthest from the start and simplify both halves.
        far = max(range(len(points)), key=lambda i: _distance(points[i], points[0]))
        if far in (0, len(points) - 1):
            return list(points)
        return simplify(points[: far + 1], tolerance)[:-1] + simplify(points[far:], tolerance)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, worst_at = 0.0, -1
        for i in range(first + 1, last):
            d = _segment_distance(points[i], points[first], points[last])
            if d > worst:
                worst, worst_at = d, i
        if worst > tolerance:
            keep[worst_at] = True
            stack += [(first, worst_at), (worst_at, last)]
    return [p for p, kept in zip(points, keep) if kept]


def _distance(a: Point, b: Point) -> float:
    return ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return _distance(p, a)
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return _distance(p, (a[0] + t * dx, a[1] + t * dy))


def ring_area(ring: list[Point]) -> float:
    """Unsigned area in square degrees (shoelace); only used to drop specks."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def assemble_ring(indices: list[int], arcs: list[list[Point]]) -> list[Point]:
    """A ring from arc indices (``~i`` is arc ``i`` reversed), without repeated joins."""
    ring: list[Point] = []
    for index in indices:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def unwrapped(ring: list[Point]) -> list[Point]:
    """Keep longitudes continuous across the antimeridian (179 then -179 becomes 179 then 181).

    world-atlas stitches polygons across the antimeridian for spherical
    renderers; a flat map would draw those edges straight across the world.
    """
    out: list[Point] = []
    for x, y in ring:
        if out:
            previous = out[-1][0]
            while x - previous > 180:
                x -= 360
            while previous - x > 180:
                x += 360
        out.append((x, y))
    return out


def rounded(ring: list[Point]) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in unwrapped(ring):
        point = [round(x, COORDINATE_DECIMALS), round(y, COORDINATE_DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def polygon(rings: list[list[int]], arcs: list[list[Point]], min_area: float) -> list[list[list[float]]] | None:
    """A GeoJSON polygon's rings; None when its outer ring is a speck below ``min_area``."""
    out: list[list[list[float]]] = []
    for position, indices in enumerate(rings):
        ring = rounded(assemble_ring(indices, arcs))
        too_small = len(ring) < 4 or ring_area([(x, y) for x, y in ring]) < min_area
        if too_small:
            if position == 0:
                return None
            continue
        out.append(ring)
    return out


def topology_to_features(topology: dict, spec: dict) -> list[dict]:
    """GeoJSON features of every geometry of the topology's first (or named) object."""
    arcs = [simplify(arc, spec.get("tolerance", 0.0)) for arc in decode_arcs(topology)]
    objects = topology["objects"]
    collection = objects[spec["object"]] if "object" in spec else next(iter(objects.values()))
    min_area = spec.get("min_ring_area", 0.0)
    names: dict[str, str] = spec.get("names", {})
    features: list[dict] = []
    for geometry in collection["geometries"]:
        properties = dict(geometry.get("properties") or {})
        code = str(geometry.get("id", ""))
        if not properties.get("name") or properties["name"] in spec.get("exclude", ()):
            continue  # unnamed slivers (disputed areas coded -99) carry no label to show
        polygons = _polygons(geometry, arcs, min_area)
        if not polygons:
            continue
        properties = {"name": names.get(code, properties["name"]), "source_name": properties["name"]}
        if code:
            properties["code"] = code
        if spec.get("country_from_id") and "." in code:
            properties["country"] = code.split(".", 1)[0]
        shape = {"type": "Polygon", "coordinates": polygons[0]} if len(polygons) == 1 else {
            "type": "MultiPolygon",
            "coordinates": polygons,
        }
        features.append({"type": "Feature", "properties": properties, "geometry": shape})
    return features


def _polygons(geometry: dict, arcs: list[list[Point]], min_area: float) -> list:
    if geometry.get("type") == "Polygon":
        shapes = [geometry["arcs"]]
    elif geometry.get("type") == "MultiPolygon":
        shapes = geometry["arcs"]
    else:
        return []
    return [p for p in (polygon(rings, arcs, min_area) for rings in shapes) if p]


# --- the vendor folder --------------------------------------------------------------------------


def folder_name(package: dict) -> str:
    return f"{package['name']}-{package['version']}"


def vendor_package(package: dict, tarball: Path, into: Path) -> list[str]:
    """Copy the package's files, licences and converted maps into ``into``; returns what was written."""
    written: list[str] = []
    with tarfile.open(tarball, "r:gz") as archive:
        for source, target in {**{f: f for f in package["licence_files"]}, **package.get("files", {})}.items():
            path = into / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(read_member(archive, source, package))
            written.append(target)
        for spec in package.get("geojson", []):
            features: list[dict] = []
            for source in spec["sources"]:
                topology = json.loads(read_member(archive, source, package))
                features += topology_to_features(topology, spec)
            collection = {"type": "FeatureCollection", "features": features}
            (into / spec["output"]).write_text(json.dumps(collection, separators=(",", ":"), ensure_ascii=False))
            written.append(spec["output"])
    return written


def readme(manifest: dict, written: dict[str, list[str]]) -> str:
    """vendor/README.md: what is here, at which version, under which licence, checked how."""
    lines = [
        "# Vendored front-end assets",
        "",
        "Written by `scripts/vendor_assets.py` from `scripts/vendor_assets.json`; do not edit by hand.",
        "Every package comes from the npm registry at a pinned version; its tarball was checked against",
        "the integrity below (npm's `dist.integrity`, SHA-512) before anything was copied.",
        "",
        "| package | version | licence | npm integrity | files | used for |",
        "|---|---|---|---|---|---|",
    ]
    for package in manifest["packages"]:
        files = ", ".join(f"`{f}`" for f in written[folder_name(package)])
        lines.append(
            f"| {package['name']} | {package['version']} | {package['licence']} | `{package['integrity']}` "
            f"| {files} | {package['used_for']} |"
        )
    lines += ["", "## Map data provenance", ""]
    for package in manifest["packages"]:
        if package.get("provenance"):
            lines.append(f"- `{folder_name(package)}/`: {package['provenance']}")
    lines += [
        "",
        "No tile server is used by default; set `VIGIL_TILE_URL` (e.g. an OpenStreetMap tile URL template)",
        "to draw an online tile layer under the outlines.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only fetch and verify the tarballs")
    parser.add_argument("--vendor-dir", type=Path, default=VENDOR, help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    manifest = json.loads(MANIFEST.read_text("utf-8"))
    try:
        with tempfile.TemporaryDirectory(prefix="vigil-vendor-") as tmp:
            tarballs = {}
            for package in manifest["packages"]:
                tarball = fetch_tarball(package["name"], package["version"], Path(tmp))
                verify(tarball, package)
                tarballs[folder_name(package)] = tarball
                print(f"verified {folder_name(package)}")
            if args.check:
                return 0
            staging = Path(tmp) / "vendor"
            written = {}
            for package in manifest["packages"]:
                name = folder_name(package)
                written[name] = vendor_package(package, tarballs[name], staging / name)
            (staging / "README.md").write_text(readme(manifest, written), "utf-8")
            folders = {package["name"]: folder_name(package) for package in manifest["packages"]}
            (staging / "index.json").write_text(json.dumps(folders, indent=2) + "\n", "utf-8")
            if args.vendor_dir.exists():
                shutil.rmtree(args.vendor_dir)
            shutil.copytree(staging, args.vendor_dir)
    except VendorError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    total = sum(p.stat().st_size for p in args.vendor_dir.rglob("*") if p.is_file())
    print(f"wrote {args.vendor_dir} ({total / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
