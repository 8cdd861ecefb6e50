"""STIX 2.1: any selection of stored records as a bundle, and bundles back into records.

    bundle = export_bundle(store, EventFilter(country="PK"), options=ExportOptions(max_tlp=Tlp.AMBER))
    result = import_bundle(store, bundle.text, settings=settings)

How records map to objects is data (``data/stix_mapping.json``, loaded by ``spec``):
actors as threat-actor or identity, places as location, events as ``x-vigil-event``
objects declared by an extension-definition, relations as relationship, claims as
opinion (or note), documents as report, TLP 2.0 markings as the OASIS marking
definitions. Ids are deterministic (``ids``), so a partner can deduplicate; an import
keeps what Vigil does not model verbatim (``vigil.store.stix``).
"""

from vigil.share.stix.export import ExportOptions, StixBundle, export_bundle
from vigil.share.stix.importer import ImportOptions, ImportResult, StixImportError, import_bundle

__all__ = [
    "ExportOptions",
    "ImportOptions",
    "ImportResult",
    "StixBundle",
    "StixImportError",
    "export_bundle",
    "import_bundle",
]
