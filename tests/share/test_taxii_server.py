"""The TAXII 2.1 server, driven by the real ``taxii2-client`` against a Vigil served by uvicorn on loopback.

One server in multi-user mode on a fresh SQLite store holds reports of every marking, owned by
the instance's organisation (``local``); a partner organisation has an analyst and a viewer.
"""

from __future__ import annotations

import json

import pytest
import requests
from sqlalchemy import select
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages

from vigil.model.access import Tlp
from vigil.settings import Settings
from vigil.share.stix import export_bundle
from vigil.store.database import open_store
from vigil.store.markings import share_document
from vigil.store.tables import AuditRow, DocumentRow
from tests.share import taxii_support as support


pytestmark = pytest.mark.network
MEDIA = "application/taxii+json;version=2.1"
CLEAR_REPORTS = 6


class Bearer(requests.auth.AuthBase):
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request):  # noqa: ANN001, ANN204
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("taxii")
    server = support.start_server(f"sqlite:///{folder / 'vigil.sqlite'}", folder)
    store = server.store
    support.seed(store)
    ids = support.store_reports(
        store,
        *[support.report(f"clear-{i}") for i in range(CLEAR_REPORTS)],
        support.report("green", Tlp.GREEN),
        support.report("amber", Tlp.AMBER),
        support.report("amber-shared", Tlp.AMBER),
        support.report("strict", Tlp.AMBER_STRICT),
        support.report("red", Tlp.RED),
    )
    tokens = {
        "partner": support.account(store, "partner-b", "b-analyst", "analyst")[1],
        "partner-viewer": support.account(store, "partner-b", "b-viewer", "viewer")[1],
        "local": support.account(store, "local", "l-analyst", "analyst")[1],
    }
    share_document(store, ids[CLEAR_REPORTS + 2], "partner-b")
    yield server, tokens, folder
    server.stop()
    store.close()


def _root(site, who: str = "partner") -> ApiRoot:
    server, tokens, _ = site
    return Server(f"{server.url}/taxii2/", auth=Bearer(tokens[who])).api_roots[0]


def _collection(site, alias: str = "all", who: str = "partner") -> Collection:
    return next(c for c in _root(site, who).collections if c.alias == alias)


def _titles(objects: list[dict]) -> list[str]:
    return sorted(obj["name"] for obj in objects if obj["type"] == "report")


def _everything(collection: Collection, **filters) -> list[dict]:
    return [obj for page in as_pages(collection.get_objects, per_request=1000, **filters) for obj in page.get("objects", [])]


def test_discovery_api_root_and_collections(site):
    server, tokens, _ = site
    discovery = Server(f"{server.url}/taxii2/", auth=Bearer(tokens["partner"]))
    assert discovery.title == "Vigil TAXII 2.1 server"
    assert [root.url for root in discovery.api_roots] == [server.api_root]
    assert discovery.default.url == server.api_root
    root = discovery.api_roots[0]
    assert root.versions == [MEDIA]
    assert root.max_content_length > 0
    by_alias = {c.alias: c for c in root.collections}
    assert set(by_alias) == {"all", "tlp-clear", "tlp-green", "tlp-amber"}
    assert all(c.can_read and c.can_write for c in by_alias.values())  # an analyst
    one = Collection(f"{server.api_root}collections/{by_alias['all'].id}/", auth=Bearer(tokens["partner"]))
    assert one.title == by_alias["all"].title and one.media_types == ["application/stix+json;version=2.1"]


def test_a_viewer_reads_but_may_not_write(site):
    collection = _collection(site, who="partner-viewer")
    assert collection.can_read and not collection.can_write
    server, tokens, _ = site
    response = requests.post(
        f"{server.api_root}collections/all/objects/", data=json.dumps({"objects": []}),
        headers={"Authorization": f"Bearer {tokens['partner-viewer']}", "Content-Type": MEDIA, "Accept": MEDIA},
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == MEDIA and response.json()["http_status"] == "403"


def test_objects_are_what_the_policy_allows_and_red_never(site):
    partner = _titles(_everything(_collection(site)))
    assert partner == sorted([f"Attack clear-{i}" for i in range(CLEAR_REPORTS)] + ["Attack green", "Attack amber-shared"])
    local = _titles(_everything(_collection(site, who="local")))
    assert "Attack amber" in local and "Attack strict" in local and "Attack red" not in local
    assert "Attack strict" not in _titles(_everything(_collection(site, "tlp-amber", who="local")))
    assert _titles(_everything(_collection(site, "tlp-clear", who="local"))) == sorted(
        f"Attack clear-{i}" for i in range(CLEAR_REPORTS))


def test_every_object_carries_its_marking(site):
    objects = _everything(_collection(site, who="local"))
    by_title = {obj["name"]: obj for obj in objects if obj["type"] == "report"}
    amber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
    assert by_title["Attack amber"]["object_marking_refs"] == [amber]
    for ref in by_title["Attack amber"]["object_refs"]:
        obj = next(o for o in objects if o["id"] == ref)
        assert amber in obj.get("object_marking_refs", []), obj["type"]


def test_pages_follow_next_and_lose_or_repeat_no_document(site):
    collection = _collection(site)
    whole = _everything(collection)
    pages = list(as_pages(collection.get_objects, per_request=15))
    assert len(pages) > 3
    assert all(len(page.get("objects", [])) <= 15 for page in pages)
    assert [page["more"] for page in pages] == [True] * (len(pages) - 1) + [False]
    paged = [obj for page in pages for obj in page.get("objects", [])]
    assert _titles(paged) == _titles(whole)  # each report exactly once
    assert {obj["id"] for obj in paged} == {obj["id"] for obj in whole}
    for page in pages:  # pages hold whole documents: every report's parts are in its page
        ids = {obj["id"] for obj in page.get("objects", [])}
        for report in (obj for obj in page.get("objects", []) if obj["type"] == "report"):
            assert set(report["object_refs"]) <= ids


def test_a_document_larger_than_a_page_comes_in_parts_ending_with_its_report(site):
    collection = _collection(site, "tlp-clear")
    pages = list(as_pages(collection.get_objects, per_request=4))
    assert all(len(page.get("objects", [])) <= 4 for page in pages)
    paged = [obj for page in pages for obj in page.get("objects", [])]
    assert _titles(paged) == sorted(f"Attack clear-{i}" for i in range(CLEAR_REPORTS))
    for page in pages[:-1]:
        assert page["more"] and page["next"]


def test_added_after_returns_only_what_was_added_later(site):
    collection = _collection(site)
    manifest = collection.get_manifest(type="report")["objects"]
    assert len(manifest) == CLEAR_REPORTS + 2
    dates = [entry["date_added"] for entry in manifest]
    assert dates == sorted(dates)
    cut = dates[2]
    later = _titles(_everything(collection, added_after=cut))
    expected = [entry["id"] for entry in manifest if entry["date_added"] > cut]
    assert len(later) == len(expected) == len(manifest) - 3
    assert _everything(collection, added_after=dates[-1]) == []


def test_manifests_match_the_objects(site):
    collection = _collection(site)
    objects = collection.get_objects(limit=1000)["objects"]
    manifest = collection.get_manifest(limit=1000)["objects"]
    assert [entry["id"] for entry in manifest] == [obj["id"] for obj in objects]
    for entry, obj in zip(manifest, objects):
        assert entry["media_type"] == "application/stix+json;version=2.1"
        assert entry["version"].startswith((obj.get("modified") or obj.get("created") or "1970")[:19])


def test_match_filters_and_one_object_with_its_versions(site):
    collection = _collection(site)
    reports = collection.get_objects(type="report")["objects"]
    assert reports and all(obj["type"] == "report" for obj in reports)
    chosen = reports[0]
    one = collection.get_object(chosen["id"])
    assert [obj["id"] for obj in one["objects"]] == [chosen["id"]]
    versions = collection.object_versions(chosen["id"])
    assert versions["versions"] and not versions["more"]
    missing = "report--00000000-0000-4000-8000-000000000000"
    with pytest.raises(requests.HTTPError) as caught:
        collection.get_object(missing)
    assert caught.value.response.status_code == 404
    assert caught.value.response.json()["http_status"] == "404"


def test_a_partner_cannot_fetch_an_object_it_may_not_read(site):
    local = _collection(site, who="local")
    hidden = next(obj for obj in local.get_objects(type="report")["objects"] if obj["name"] == "Attack amber")
    with pytest.raises(requests.HTTPError) as caught:
        _collection(site).get_object(hidden["id"])
    assert caught.value.response.status_code == 404


def test_add_objects_stores_them_for_the_sender_and_reports_a_status(site, tmp_path):
    server, tokens, _ = site
    elsewhere = open_store(Settings(database_url=f"sqlite:///{tmp_path / 'elsewhere.sqlite'}"))
    support.seed(elsewhere)
    support.store_reports(elsewhere, support.report("posted"), support.report("posted-red", Tlp.RED))
    objects = json.loads(export_bundle(elsewhere).text)["objects"]
    elsewhere.close()
    collection = _collection(site)
    status = collection.add_objects({"objects": objects})
    assert status.status == "complete"
    red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
    refused = [obj for obj in objects if red in obj.get("object_marking_refs", [])]
    assert refused and status.failure_count == len(refused)
    assert {f["id"] for f in status.failures} == {obj["id"] for obj in refused}
    assert status.success_count == len(objects) - len(refused) and status.total_count == len(objects)
    again = _root(site).get_status(status.id)
    assert again.id == status.id and again.success_count == status.success_count
    with server.store.engine.connect() as connection:
        stored = connection.execute(
            select(DocumentRow.org_id, DocumentRow.tlp, DocumentRow.origin_instance).where(DocumentRow.title == "Attack posted")
        ).all()
    assert len(stored) == 1 and stored[0][0] == "partner-b" and stored[0][2]
    assert "Attack posted-red" not in support.document_titles(server.store)
    assert "Attack posted" in _titles(_everything(_collection(site)))
    with pytest.raises(requests.HTTPError) as caught:  # a status belongs to the organisation that made it
        _root(site, "local").get_status(status.id)
    assert caught.value.response.status_code == 404


def test_a_bad_envelope_is_a_taxii_error(site):
    server, tokens, _ = site
    headers = {"Authorization": f"Bearer {tokens['partner']}", "Content-Type": MEDIA, "Accept": MEDIA}
    url = f"{server.api_root}collections/all/objects/"
    for body, status in (("{not json", 400), (json.dumps({"objects": [{"id": 3}]}), 400), (json.dumps([1]), 400)):
        response = requests.post(url, data=body, headers=headers)
        assert response.status_code == status and response.json()["http_status"] == str(status)
    response = requests.post(url, data="{}", headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 415


def test_no_token_or_a_bad_one_is_401_and_the_wrong_media_type_406(site):
    server, tokens, _ = site
    with pytest.raises(requests.HTTPError) as caught:
        Server(f"{server.url}/taxii2/").refresh()
    assert caught.value.response.status_code == 401
    assert caught.value.response.headers["WWW-Authenticate"].startswith("Bearer")
    assert caught.value.response.headers["content-type"] == MEDIA
    assert caught.value.response.json()["http_status"] == "401"
    plain = requests.get(f"{server.api_root}collections/", headers={"Accept": "*/*"}, allow_redirects=False)
    assert plain.status_code == 401  # not a redirect to the login page
    with pytest.raises(requests.HTTPError) as caught:
        Server(f"{server.url}/taxii2/", auth=Bearer("vgl_" + "x" * 43)).refresh()
    assert caught.value.response.status_code == 401
    response = requests.get(f"{server.api_root}collections/", headers={"Authorization": f"Bearer {tokens['partner']}",
                                                                        "Accept": "application/taxii+json;version=2.0"})
    assert response.status_code == 406
    response = requests.get(f"{server.api_root}collections/all/objects/?next=forged",
                            headers={"Authorization": f"Bearer {tokens['partner']}", "Accept": MEDIA})
    assert response.status_code == 400 and "next" in response.json()["description"]


def test_reads_of_amber_through_taxii_are_audited(site):
    server, _, _ = site
    _everything(_collection(site))
    with server.store.engine.connect() as connection:
        entries = connection.execute(select(AuditRow.action, AuditRow.org_id, AuditRow.detail).where(AuditRow.action == "taxii_read")).all()
    partner = [entry for entry in entries if entry[1] == "partner-b"]
    assert partner and all(len(entry[2]["documents"]) == 1 for entry in partner)  # the one AMBER shared with them
    assert {entry[1] for entry in entries} <= {"partner-b", "local"}
