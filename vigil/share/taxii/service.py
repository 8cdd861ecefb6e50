"""The TAXII 2.1 endpoints as library functions: each takes what the route parsed and returns a resource.

The routes in ``vigil.api.routers.taxii`` are thin: they hand over the store as the viewer sees it
(``get_store``), the query parameters and the body, and send back what these return with the TAXII
media type. STIX comes from and goes to ``vigil.share.stix`` through ``exporter`` and ``importer``
(``vigil.share.taxii.stix_bridge``), so this module knows the protocol and nothing of the mapping.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from vigil.model.access import Tlp, Viewer
from vigil.share.taxii.collections import Collection, all_collections, api_root_info, find_collection, may_write
from vigil.share.taxii.objects import Exporter, Page, read_page
from vigil.share.taxii.protocol import (
    MAX_CONTENT_LENGTH,
    STIX_MEDIA_TYPE,
    VERSION,
    Match,
    Position,
    TaxiiError,
    bad_request,
    envelope,
    forbidden,
    format_timestamp,
    not_found,
    parse_limit,
    parse_match,
    parse_timestamp,
)
from vigil.share.stix.markings import known_markings, tlp_of
from vigil.store.database import Store
from vigil.store.taxii_status import AddStatus, get_status, save_status

ERR_ENVELOPE = "The body is not a TAXII envelope: a JSON object with an 'objects' list of STIX objects."
ERR_OBJECT = "objects[{index}]: not a STIX object (a JSON object with 'type' and 'id')."
ERR_ABOVE_CEILING = "Marked {tlp}, above this collection's ceiling ({ceiling}); TLP:RED is never accepted."
ERR_NO_WRITE = "Adding objects needs the analyst or admin role."
ERR_TOO_LARGE = f"The envelope is larger than this API root accepts ({MAX_CONTENT_LENGTH} bytes)."

#: Stores the objects of an envelope as the viewer's organisation (``vigil.share.stix`` import):
#: returns, per object id, None when stored or the reason it was not.
Importer = Callable[[Store, list[dict]], Mapping[str, str | None]]



@dataclass(frozen=True)
class Reply:
    """A TAXII resource and the headers that go with it (X-TAXII-Date-Added-First/Last)."""

    body: dict
    headers: dict[str, str]
    status: int = 200
    documents: dict[str, str] = field(default_factory=dict)  # document id -> marking, of what was served


def discovery(base_url: str) -> dict:
    """The discovery resource (section 4.1.1): one API root, ``vigil``."""
    root = f"{base_url.rstrip('/')}/{api_root_info().path}/"
    return {
        "title": "Vigil TAXII 2.1 server",
        "description": "Sourced event data on armed groups, shared under TLP 2.0 markings and the instance's access policy.",
        "default": root,
        "api_roots": [root],
    }


def api_root() -> dict:
    info = api_root_info()
    return {"title": info.title, "description": info.description, "versions": [VERSION],
            "max_content_length": MAX_CONTENT_LENGTH}


def collections(viewer: Viewer | None) -> dict:
    return {"collections": [collection.resource(viewer) for collection in all_collections()]}


def collection(viewer: Viewer | None, collection_id: str) -> dict:
    return find_collection(collection_id).resource(viewer)


def get_objects(store: Store, exporter: Exporter, collection_id: str, params: Mapping[str, str]) -> Reply:
    """Get Objects (section 5.3): an envelope of what the viewer may read, paged by ``limit``/``next``."""
    page = _page(store, exporter, collection_id, params, parse_match(params))
    return _envelope_reply(page)


def get_object(store: Store, exporter: Exporter, collection_id: str, object_id: str, params: Mapping[str, str]) -> Reply:
    """Get an Object (section 5.5): its versions the viewer may read; 404 when there are none.

    Found by exporting the viewer's documents in order until one carries it: the cost grows with
    the store (the sync never needs this endpoint; it reads pages of objects).
    """
    match = parse_match({**params, "match[id]": object_id})
    page = _page(store, exporter, collection_id, params, match, first_hit=True)
    if not page.entries:
        raise not_found("object", object_id)
    return _envelope_reply(page)


def object_versions(store: Store, exporter: Exporter, collection_id: str, object_id: str, params: Mapping[str, str]) -> Reply:
    """Get Object Versions (section 5.7)."""
    match = parse_match({"match[id]": object_id, "match[version]": "all",
                         **{k: v for k, v in params.items() if k == "match[spec_version]"}})
    page = _page(store, exporter, collection_id, params, match, first_hit=True)
    if not page.entries:
        raise not_found("object", object_id)
    versions = sorted({entry.version for entry in page.entries})
    return Reply({"more": page.more, "versions": versions, **({"next": page.next.encode()} if page.more and page.next else {})},
                 _added_headers(page), documents=_documents(page))


def manifest(store: Store, exporter: Exporter, collection_id: str, params: Mapping[str, str]) -> Reply:
    """Get Object Manifests (section 5.6): id, date_added, version and media type of each object."""
    page = _page(store, exporter, collection_id, params, parse_match(params))
    body: dict = {"more": page.more}
    if page.more and page.next:
        body["next"] = page.next.encode()
    if page.entries:
        body["objects"] = [
            {"id": entry.object["id"], "date_added": format_timestamp(entry.added), "version": entry.version,
             "media_type": STIX_MEDIA_TYPE}
            for entry in page.entries
        ]
    return Reply(body, _added_headers(page), documents=_documents(page))


def add_objects(store: Store, importer: Importer, collection_id: str, body: object) -> Reply:
    """Add Objects (section 5.4): store what the collection accepts; a status resource (202) says what was kept.

    An object marked above the collection's ceiling (or RED) fails; the rest go to the importer
    in one call (one transaction), which says per object whether it was stored.
    """
    viewer = store.viewer
    target = find_collection(collection_id)
    if not may_write(viewer):
        raise forbidden(ERR_NO_WRITE)
    objects = _envelope_objects(body)
    status = AddStatus(id=str(uuid.uuid4()), collection=target.id, request_timestamp=dt.datetime.now(dt.timezone.utc),
                       org_id=viewer.org_id if viewer else None, user_id=viewer.user_id if viewer else None)
    accepted: list[dict] = []
    for obj in objects:
        marking = marking_of(obj)
        if marking.rank > target.max_tlp.rank:
            status.failures.append(_status_detail(obj, ERR_ABOVE_CEILING.format(tlp=marking.value, ceiling=target.max_tlp.value)))
        else:
            accepted.append(obj)
    outcome = importer(store, accepted) if accepted else {}
    for obj in accepted:
        problem = outcome.get(obj["id"], "not stored")
        if problem is None:
            status.successes.append(_status_detail(obj))
        else:
            status.failures.append(_status_detail(obj, problem))
    save_status(store, status)
    return Reply(status_resource(status), {}, 202)


def status(store: Store, status_id: str) -> dict:
    """Get Status (section 4.3): only to the organisation that made the request."""
    found = get_status(store, status_id)
    viewer = store.viewer
    if found is None or (viewer is not None and found.org_id != viewer.org_id):
        raise not_found("status", status_id)
    return status_resource(found)


def status_resource(status: AddStatus) -> dict:
    return {
        "id": status.id,
        "status": "complete",
        "request_timestamp": format_timestamp(status.request_timestamp),
        "total_count": status.total_count,
        "success_count": len(status.successes),
        "successes": status.successes,
        "failure_count": len(status.failures),
        "failures": status.failures,
        "pending_count": 0,
        "pendings": [],
    }


def marking_of(obj: dict) -> Tlp:
    """The TLP 2.0 marking an object carries (``object_marking_refs``); CLEAR when it carries none."""
    if obj.get("type") == "marking-definition":
        return Tlp.CLEAR
    return tlp_of(obj.get("object_marking_refs"), known_markings()) or Tlp.CLEAR


# -- helpers -----------------------------------------------------------------------------------
def _page(
    store: Store, exporter: Exporter, collection_id: str, params: Mapping[str, str], match: Match, *, first_hit: bool = False
) -> Page:
    target: Collection = find_collection(collection_id)
    added_after = parse_timestamp(params["added_after"]) if params.get("added_after") else None
    position = Position.decode(params["next"]) if params.get("next") else None
    limit = parse_limit(params.get("limit"))
    return read_page(store, exporter, target.max_tlp, limit=limit, match=match, added_after=added_after, position=position,
                     first_hit=first_hit)


def _envelope_reply(page: Page) -> Reply:
    body = envelope([entry.object for entry in page.entries], more=page.more,
                    next_token=page.next.encode() if page.next else None)
    return Reply(body, _added_headers(page), documents=_documents(page))


def _documents(page: Page) -> dict[str, str]:
    return {entry.document_id: entry.tlp for entry in page.entries if entry.document_id}


def _added_headers(page: Page) -> dict[str, str]:
    if not page.entries:
        return {}
    return {"X-TAXII-Date-Added-First": format_timestamp(page.first_added),  # type: ignore[arg-type]
            "X-TAXII-Date-Added-Last": format_timestamp(page.last_added)}  # type: ignore[arg-type]


def _envelope_objects(body: object) -> list[dict]:
    if not isinstance(body, dict) or not isinstance(body.get("objects", []), list):
        raise bad_request(ERR_ENVELOPE)
    objects = body.get("objects", [])
    for index, obj in enumerate(objects):
        if not isinstance(obj, dict) or not isinstance(obj.get("type"), str) or not isinstance(obj.get("id"), str):
            raise bad_request(ERR_OBJECT.format(index=index))
    return objects


def _status_detail(obj: dict, message: str | None = None) -> dict:
    detail = {"id": obj["id"]}
    if obj.get("modified") or obj.get("created"):
        detail["version"] = obj.get("modified") or obj.get("created")
    if message:
        detail["message"] = message
    return detail


__all__ = ["Reply", "TaxiiError", "discovery", "api_root", "collections", "collection", "get_objects", "get_object",
           "object_versions", "manifest", "add_objects", "status", "status_resource", "marking_of", "Importer"]
