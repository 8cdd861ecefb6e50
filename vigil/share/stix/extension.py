"""Vigil's STIX extensions: the ``x-vigil-event`` object (a new SDO) and Vigil's property extension.

Both are declared by extension-definition objects created by the Vigil project
identity, whose ids and texts are in the mapping data; a bundle that uses them
carries those definitions. The ``x-vigil-event`` class is registered with stix2 on
first use (registering twice is an error, hence the cache), so that stix2 checks its
properties and parses it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from stix2 import v21
from stix2.properties import (
    DictionaryProperty,
    FloatProperty,
    IntegerProperty,
    ListProperty,
    ReferenceProperty,
    StringProperty,
)

from vigil.share.stix.spec import load_spec

#: The properties of an x-vigil-event (besides the common ones); see the extension's schema text.
EVENT_PROPERTIES = (
    "name", "event_type", "sub_event_type", "date", "date_precision", "date_text", "location_ref", "location",
    "fatalities_min", "fatalities_max", "fatalities_text", "injuries_min", "injuries_max", "injuries_text",
    "responsibility", "perpetrators", "targets", "victims", "weapons", "evidence", "evidence_start",
    "evidence_end", "trigger", "ordinal", "extraction_confidence", "extractor",
)


@lru_cache(maxsize=1)
def event_class() -> type:
    """The stix2 class of ``x-vigil-event`` (registered once per process)."""
    spec = load_spec()
    dicts = ListProperty(DictionaryProperty(spec_version="2.1"))
    properties = [
        ("name", StringProperty()),
        ("event_type", StringProperty(required=True)),
        ("sub_event_type", StringProperty(required=True)),
        ("date", StringProperty()),
        ("date_precision", StringProperty()),
        ("date_text", StringProperty()),
        ("location_ref", ReferenceProperty(valid_types="location", spec_version="2.1")),
        ("location", DictionaryProperty(spec_version="2.1")),
        ("fatalities_min", IntegerProperty(min=0)),
        ("fatalities_max", IntegerProperty(min=0)),
        ("fatalities_text", StringProperty()),
        ("injuries_min", IntegerProperty(min=0)),
        ("injuries_max", IntegerProperty(min=0)),
        ("injuries_text", StringProperty()),
        ("responsibility", StringProperty()),
        ("perpetrators", dicts),
        ("targets", dicts),
        ("victims", dicts),
        ("weapons", dicts),
        ("evidence", StringProperty()),
        ("evidence_start", IntegerProperty(min=0)),
        ("evidence_end", IntegerProperty(min=0)),
        ("trigger", StringProperty()),
        ("ordinal", IntegerProperty(min=0)),
        ("extraction_confidence", FloatProperty(min=0, max=1)),
        ("extractor", StringProperty()),
    ]
    assert tuple(name for name, _ in properties) == EVENT_PROPERTIES

    @v21.CustomObject(spec.event_type, properties, extension_name=spec.event_extension_id)
    class VigilEvent:
        pass

    return VigilEvent


def project_identity() -> v21.Identity:
    """The Vigil project, creator of the extension definitions."""
    data = load_spec().project_identity
    stamp = load_spec().fixed_timestamp
    return v21.Identity(
        id=data["id"], name=data["name"], identity_class=data["identity_class"], description=data["description"],
        created=stamp, modified=stamp,
    )


@lru_cache(maxsize=2)
def extension_definition(name: str) -> v21.ExtensionDefinition:
    """The extension-definition object for ``event`` or ``properties``."""
    spec = load_spec()
    data = spec.extension(name)
    return v21.ExtensionDefinition(
        id=data["id"], created_by_ref=spec.project_identity["id"], name=data["name"],
        description=data["description"], schema=data["schema"], version=data["version"],
        extension_types=data["extension_types"], created=spec.fixed_timestamp, modified=spec.fixed_timestamp,
    )


def vigil_properties(values: Mapping[str, Any]) -> dict[str, Any]:
    """``extensions`` holding Vigil's properties (None values and empty lists left out)."""
    body = {"extension_type": "property-extension", **clean(values)}
    return {load_spec().property_extension_id: body}


def read_vigil_properties(obj: Mapping[str, Any]) -> dict[str, Any] | None:
    """Vigil's properties on an object from a bundle, or None when it has none."""
    extensions = obj.get("extensions") or {}
    found = extensions.get(load_spec().property_extension_id)
    return dict(found) if isinstance(found, Mapping) else None


def clean(values: Mapping[str, Any]) -> dict[str, Any]:
    """Drop None values and empty lists (STIX forbids nulls and empty lists), recursively in dicts."""
    result: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Mapping):
            value = clean(value)
        elif isinstance(value, list):
            value = [clean(item) if isinstance(item, Mapping) else item for item in value]
        if value is None or value == [] or value == {}:
            continue
        result[key] = value
    return result
