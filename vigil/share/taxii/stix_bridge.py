"""Where TAXII meets the STIX mapping (``vigil.share.stix``): one document out, an envelope in.

The TAXII server and the sync speak in STIX objects; this module turns one stored document into
its objects (``export_document``), stores received objects (``import_objects``) and leaves the
audit trail of TAXII reads of ``TLP:AMBER`` and above (``audit_read``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from fastapi import Request

from vigil.model.access import Tlp
from vigil.settings import Settings
from vigil.share.stix import ExportOptions, ImportOptions, StixImportError, export_bundle, import_bundle
from vigil.share.taxii.service import Importer, Reply
from vigil.store.database import Store

AUDITED = (Tlp.AMBER.value, Tlp.AMBER_STRICT.value, Tlp.RED.value)


@dataclass
class PageImport:
    """What importing one page did: documents created or replaced, and the objects refused (with why)."""

    documents: int = 0
    failures: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)


def export_document(store: Store, document_id: str, ceiling: Tlp, *, foreign_ceiling: Tlp | None = None) -> list[dict]:
    """The STIX objects of one document as ``store``'s viewer may see them, none above ``ceiling``."""
    options = ExportOptions(max_tlp=ceiling, foreign_max_tlp=foreign_ceiling)
    bundle = export_bundle(store, document_ids=[document_id], options=options)
    if not bundle.documents:
        return []
    return list(bundle.as_dict().get("objects", []))


def export_for_push(store: Store, document_id: str, ceiling: Tlp) -> list[dict]:
    """As ``export_document``, and nothing another instance sent above TLP:GREEN (never passed on)."""
    return export_document(store, document_id, ceiling, foreign_ceiling=Tlp.GREEN)


def import_objects(
    store: Store, settings: Settings, objects: list[dict], *, org_id: str | None, origin_instance: str,
) -> PageImport:
    """Store ``objects`` (one transaction) as records owned by ``org_id``, keeping their marking and origin.

    ``origin_instance`` names where they came from when their creator identity does not say.
    A bundle the mapping refuses fails whole: every object of it is reported refused.
    """
    result = PageImport()
    if not objects:
        return result
    bundle = {"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000000", "objects": objects}
    options = ImportOptions(org_id=org_id, origin_instance=origin_instance, source=origin_instance)
    try:
        imported = import_bundle(store, bundle, settings=settings, options=options, viewer=store.viewer)
    except StixImportError as error:
        result.refused = {obj["id"]: str(error) for obj in objects}
        result.failures = [f"{obj['id']}: {error}" for obj in objects]
        return result
    result.documents = len(imported.created) + len(imported.replaced)
    return result


def importer_for(request: Request) -> Importer:
    """The importer of a TAXII POST: records owned by the sender's organisation, origin the sender."""
    settings: Settings = request.app.state.settings

    def run(store: Store, objects: list[dict]) -> Mapping[str, str | None]:
        viewer = store.viewer
        org_id = viewer.org_id if viewer is not None else None
        origin = f"taxii:{org_id or 'local'}"
        outcome = import_objects(store, settings, objects, org_id=org_id, origin_instance=origin)
        return {obj["id"]: outcome.refused.get(obj["id"]) for obj in objects}

    return run


def audit_read(request: Request, store: Store, reply: Reply) -> None:
    """Leave a trace when a TAXII read handed out TLP:AMBER (or stricter) documents."""
    restricted = sorted(document for document, tlp in reply.documents.items() if tlp in AUDITED)
    if not restricted:
        return
    from vigil.share.audit import record

    record(
        store, store.viewer, "taxii_read", "documents", ",".join(restricted)[:300],
        {"path": request.url.path, "documents": restricted, "objects": len(reply.body.get("objects", []))},
        request.client.host if request.client else None,
    )
