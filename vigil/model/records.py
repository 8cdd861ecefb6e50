"""Vigil's domain records, declared once.

Every stage speaks in these records: ingest produces ``Document``; the NLP
pipeline produces an ``Extraction`` (entities, events, relations, claims) whose
facts all carry character offsets into the document text; the store maps them
to tables in one place (``vigil.store.mapping``); the CLI and the API render
them. The JSON produced by ``Extraction.to_contract()`` is the stable
``vigil extract`` contract described in the README.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from vigil.model.access import Tlp


def parse_tlp(value: object) -> object:
    """Accept ``amber``, ``TLP:AMBER``... as well as a ``Tlp`` (the validator of every ``tlp`` field)."""
    return Tlp.parse(value) if isinstance(value, str) and not isinstance(value, Tlp) else value

EntityType = Literal[
    "Organisation",
    "Person",
    "Location",
    "Nationality",
    "Temporal",
    "Quantity",
    "Money",
    "Weapon",
    "MilitaryPlatform",
    "Vehicle",
    "DocumentReference",
]
ENTITY_TYPES: tuple[str, ...] = EntityType.__args__  # type: ignore[attr-defined]

ActorKind = Literal[
    "armed_group",
    "state_force",
    "government",
    "political_party",
    "intergovernmental",
    "person",
    "organisation",
]
DatePrecision = Literal["day", "week", "month", "year"]
Stance = Literal["asserts", "denies"]
Responsibility = Literal["claimed", "attributed", "suspected"]
RelationType = Literal[
    "supplies_weapons_to",
    "allied_with",
    "member_of",
    "faction_of",
    "fights_against",
    "claims_responsibility_for",
]
LocationPrecision = Literal["place", "admin2", "admin1", "country"]


class Record(BaseModel):
    """Base for records: forbid unknown fields so typos fail loudly."""

    model_config = ConfigDict(extra="forbid")


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text: the identity of a document's content."""
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


class Document(Record):
    """One report as ingested. ``id`` derives from the content hash unless given."""

    id: str
    text: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: date | None = None
    language: str = "en"
    content_hash: str
    source: str | None = Field(default=None, description="path, URL or feed the text came from")
    media_type: str | None = None
    licence: str | None = None
    attribution: str | None = None
    tlp: Tlp = Field(default=Tlp.CLEAR, description="TLP 2.0 marking; every fact of the document carries it")
    org_id: str | None = Field(default=None, description='owning organisation (None: the default "local")')
    origin_instance: str | None = Field(default=None, description="instance an imported document came from")
    origin_org: str | None = Field(default=None, description="organisation an imported document came from")

    @field_validator("tlp", mode="before")
    @classmethod
    def _parse_tlp(cls, value: object) -> object:
        return parse_tlp(value)

    @classmethod
    def from_text(cls, text: str, *, id: str | None = None, **fields: object) -> "Document":
        """Build a document, deriving the hash (and the id when none is given)."""
        digest = content_hash(text)
        return cls(id=id or f"doc-{digest[:16]}", text=text, content_hash=digest, **fields)  # type: ignore[arg-type]


class Actor(Record):
    """A canonical actor from the gazetteer (or proposed by an analyst)."""

    id: str
    name: str
    kind: ActorKind
    aliases: list[str] = Field(default_factory=list)
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 of its base, if any")
    parent: str | None = Field(default=None, description="id of the parent organisation (faction_of / province_of)")
    un_ref: str | None = Field(default=None, description="UN Security Council sanctions reference, e.g. QDe.132")
    un_list: str | None = None
    description: str | None = None
    source: str = "curated"


class Place(Record):
    """A gazetteer place (GeoNames city or administrative division)."""

    geonames_id: int | None = None
    name: str
    kind: Literal["country", "admin1", "admin2", "city"]
    country: str
    admin1: str | None = None
    admin2: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int = 0


class Span(Record):
    """A stretch of the document text; ``end`` is exclusive."""

    start: int
    end: int
    text: str


class Location(Record):
    """Where an event happened, resolved as precisely as the text allows."""

    text: str | None = None
    start: int | None = None
    end: int | None = None
    name: str | None = None
    admin2: str | None = None
    admin1: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    precision: LocationPrecision | None = None


class EntityMention(Span):
    """A typed mention (re3d types), linked to a canonical actor or place when known."""

    type: EntityType
    actor: str | None = None
    geo: Location | None = None
    extractor: str = "rules"


class ActorRef(Span):
    """An actor as it appears in a fact: its words, and the canonical id if resolved."""

    kind: Literal["organisation", "person"] = "organisation"
    actor: str | None = None


class Bounds(Record):
    """A casualty count as bounds plus the words used ("more than 40")."""

    min: int | None = None
    max: int | None = None
    text: str | None = None


class WeaponMention(Span):
    """A weapon named in the text, with what the words say about it."""

    weapon_class: str | None = None
    calibre: str | None = None
    model: str | None = None
    origin: str | None = None


class Event(Record):
    """An event typed with ACLED's taxonomy, tied to its evidence sentence."""

    type: str = Field(description="ACLED sub-event type, e.g. 'Suicide bomb'")
    event_type: str = Field(description="ACLED event type, e.g. 'Explosions/Remote violence'")
    start: int
    end: int
    sentence: str
    trigger: str | None = None
    date: str | None = Field(default=None, description="ISO date truncated to its precision: 2023-07-30, 2023-07, 2023")
    date_precision: DatePrecision | None = None
    date_text: str | None = None
    location: Location | None = None
    perpetrators: list[ActorRef] = Field(default_factory=list)
    targets: list[ActorRef] = Field(default_factory=list)
    victims: list[ActorRef] = Field(default_factory=list)
    weapons: list[WeaponMention] = Field(default_factory=list)
    fatalities: Bounds | None = None
    injuries: Bounds | None = None
    responsibility: Responsibility | None = None
    confidence: float = 0.5
    extractor: str = "rules"


class Relation(Record):
    """A relation between two actors, possibly attributed to a source (a UN report...)."""

    type: RelationType
    source: ActorRef
    target: ActorRef
    weapons: list[WeaponMention] = Field(default_factory=list)
    start: int
    end: int
    sentence: str
    attributed_to: ActorRef | None = None
    confidence: float = 0.5
    extractor: str = "rules"


class Concern(Record):
    """What a claim is about: an event, a relation (by index in the extraction) or free text."""

    kind: Literal["event", "relation", "statement"]
    index: int | None = None
    text: str | None = None


class Claim(Record):
    """Someone asserting or denying something, with the verbatim quote."""

    speaker: ActorRef
    speaker_org: ActorRef | None = None
    stance: Stance
    start: int
    end: int
    text: str = Field(description="the verbatim quote or reported content")
    sentence: str
    date: str | None = None
    concerns: list[Concern] = Field(default_factory=list)
    confidence: float = 0.5
    extractor: str = "rules"


class Extraction(Record):
    """Everything the pipeline found in one document."""

    id: str
    entities: list[EntityMention] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    weapons: list[WeaponMention] = Field(default_factory=list)

    def to_contract(self) -> dict:
        """The ``vigil extract`` output record (stable; see README)."""
        return self.model_dump(mode="json", exclude_none=True)

    def to_contract_json(self) -> str:
        """``to_contract()`` serialised as one JSON line (the fast path of ``vigil extract``)."""
        return self.model_dump_json(exclude_none=True)


class IngestError(Record):
    """A source that could not be turned into a document, with the reason."""

    source: str
    message: str
    at: datetime | None = None


class RecoveredWeapon(Record):
    """A weapon physically recovered and recorded by an analyst, with the fields tracing systems use.

    Not read from a report but entered or imported (``source`` and
    ``recorded_by`` say from where and by whom). ``id`` derives from a natural
    key (serial number, make, model and recovery date) unless given, so
    importing the same record twice stores it once; see
    ``vigil.ingest.recovered_values``, which also normalises the values.
    """

    id: str
    weapon_class: str | None = Field(default=None, description="the vocabulary of extracted weapon classes")
    make: str | None = None
    model: str | None = None
    calibre: str | None = Field(default=None, description="normalised like extracted calibres: 5.56x45mm NATO")
    serial_number: str | None = None
    serial_obliterated: bool = False
    markings: list[str] = Field(default_factory=list, description="marks on the weapon, as read")
    country_of_manufacture: str | None = Field(
        default=None, description="ISO 3166-1 alpha-2; historical SU, YU, CS and DD are accepted"
    )
    import_marks: list[str] = Field(default_factory=list)
    recovered_on: str | None = Field(default=None, description="ISO date truncated to its precision: 2023-07-30, 2023-07, 2023")
    recovered_precision: DatePrecision | None = None
    recovery_place: Location | None = Field(default=None, description="the words given, resolved through the gazetteer")
    event_id: int | None = Field(default=None, description="id of a stored event it is linked to")
    custody_notes: str | None = None
    source: str | None = Field(default=None, description="where the record came from (a file, a report, a unit)")
    recorded_by: str | None = None
    created_at: datetime | None = Field(default=None, description="when it was first stored (set by the store)")
    tlp: Tlp = Field(default=Tlp.CLEAR, description="TLP 2.0 marking: who may see the record (as for documents)")
    org_id: str | None = Field(default=None, description='owning organisation (None: the default "local")')

    @field_validator("tlp", mode="before")
    @classmethod
    def _parse_tlp(cls, value: object) -> object:
        return parse_tlp(value)
