"""Proposing new actors: unresolved mentions of one name, seen in enough documents, for an analyst to judge.

Mentions are grouped by the spelling key of their core name (``core_name``:
"Tehreek-e-Labbaik Pakistan activists" is "Tehreek-e-Labbaik Pakistan").
A group becomes a proposal when

- it names something in particular: written with a capital letter, and not
  only generic words ("militants", "unknown gunmen", "Pakistani security
  forces"; ``data/generic_actor_phrases.json``);
- no actor has that name yet (``ActorCatalogue.resolve`` finds none: such
  mentions are re-linked, not proposed); no analyst has decided on it;
- it is mentioned in at least ``min_documents`` documents (default 3).

Each proposal carries its counts, first and last dates, sample sentences and
the closest existing actors with the reasons they were not merged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from vigil.errors import DataFileError
from vigil.gazetteers.actor_names import fold_word, name_words, variant_key
from vigil.gazetteers.places import load_place_gazetteer, name_key
from vigil.gazetteers.text import DATA_DIR as GAZETTEER_DATA
from vigil.resolve.actor_matching import distinctions
from vigil.resolve.actor_records import ActorProposal, NameCount, ProposalSample
from vigil.resolve.actor_resolver import ActorCatalogue

GENERIC_FILE = "generic_actor_phrases.json"
NATIONALITIES_FILE = "nationalities.tsv"
DEFAULT_MIN_DOCUMENTS = 3
_PLAIN_KEY = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)


@dataclass(frozen=True)
class UnresolvedMention:
    """A stored mention of an organisation no actor was linked to."""

    text: str
    document_id: str
    role: str
    published: dt.date | None = None
    start: int = 0
    end: int = 0
    sentence: str | None = None


@dataclass(frozen=True)
class GenericWords:
    phrases: frozenset[str]
    modifiers: frozenset[str]
    trailing: tuple[tuple[str, ...], ...]
    not_actors: frozenset[str]


def singular(word: str) -> str:
    """A rough singular, enough to compare with the generic lists ("militants" -> "militant")."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@lru_cache(maxsize=1)
def generic_words() -> GenericWords:
    """``data/generic_actor_phrases.json`` in key form, with places and nationalities as modifiers."""
    try:
        raw = json.loads(resources.files("vigil.resolve").joinpath("data", GENERIC_FILE).read_text("utf-8"))
        nationalities = [
            line.split("\t")[0] for line in (GAZETTEER_DATA / NATIONALITIES_FILE).read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
        modifiers = {singular(fold_word(word.casefold())) for word in [*raw["modifiers"], *nationalities]}
        return GenericWords(
            phrases=frozenset(_phrase_key(phrase) for phrase in raw["phrases"]),
            modifiers=frozenset(modifiers | distinctions().places),
            trailing=tuple(sorted((tuple(_phrase_key(p).split()) for p in raw["trailing"]), key=len, reverse=True)),
            not_actors=frozenset(variant_key(name) for name in raw["not_actors"]),
        )
    except (OSError, KeyError, TypeError, ValueError) as error:
        raise DataFileError(f"{GENERIC_FILE}: {error}") from error


def _phrase_key(phrase: str) -> str:
    return " ".join(singular(fold_word(word)) for word in phrase.casefold().split())


def core_name(text: str) -> str:
    """The name without trailing generic words: "TTP militants" -> "TTP" (the text itself when nothing is left)."""
    words = [w.text for w in name_words(text)]
    folded = [singular(fold_word(w.casefold())) for w in words]
    trailing = generic_words().trailing
    changed = True
    while changed:
        changed = False
        for phrase in trailing:
            if len(folded) > len(phrase) and tuple(folded[-len(phrase) :]) == phrase:
                words, folded = words[: -len(phrase)], folded[: -len(phrase)]
                changed = True
                break
    return " ".join(words) if len(words) < len(name_words(text)) else text


def mention_key(text: str, known: Container[str] = ()) -> str:
    """The spelling key mentions are grouped and linked by: the whole name's when ``known``, else its core name's."""
    key = variant_key(text)
    return key if key in known else variant_key(core_name(text))


def keyed_name(text: str, key: str) -> str:
    """The part of ``text`` that ``key`` was made from: the whole text, or its core name."""
    return text if variant_key(text) == key else core_name(text)


def is_generic(text: str) -> bool:
    """True for words that name no group in particular ("militants", "the group", "two suicide bombers", "Reuters")."""
    if not any(ch.isupper() for ch in text):
        return True
    generic = generic_words()
    key = variant_key(text)
    if key in generic.not_actors:
        return True
    words = [singular(word) for word in key.split()]
    while words and (words[0] in generic.modifiers or words[0].isdigit()):
        words.pop(0)
    return not words or " ".join(words) in generic.phrases or all(w in generic.modifiers for w in words)


def names_a_place(text: str) -> bool:
    """Whether the words are a country, province or capital ("Pakistan", "the United States", "Kabul"):
    a government named by its place, not a new actor."""
    places = load_place_gazetteer()
    key = name_key(text)
    key = key[4:] if key.startswith("the ") else key
    return key in places.names() and places.traits(key).major


def proposal_id(key: str) -> str:
    """A stable id for the proposal of a spelling key: the key itself, hyphenated, when it is plain."""
    if _PLAIN_KEY.fullmatch(key) and len(key) <= 120:
        return key.replace(" ", "-")
    return "p-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def group_mentions(
    mentions: Iterable[UnresolvedMention],
    known: Container[str] = (),
    is_place: Callable[[str], bool] = names_a_place,
) -> dict[str, list[UnresolvedMention]]:
    """Mentions that name something in particular, by ``mention_key`` (computed once per distinct text).

    ``known`` holds the keys actors already claim, so "Afghan forces" (an alias)
    is not cut down to "Afghan"; ``is_place`` says which words name a place.
    """
    keys: dict[str, str] = {}
    groups: dict[str, list[UnresolvedMention]] = {}
    for mention in mentions:
        if mention.text not in keys:
            core = core_name(mention.text)
            keys[mention.text] = (
                "" if is_generic(mention.text) or is_generic(core) or is_place(core) else mention_key(mention.text, known)
            )
        key = keys[mention.text]
        if key:
            groups.setdefault(key, []).append(mention)
    return groups


SentenceFiller = Callable[[list[UnresolvedMention]], Mapping[UnresolvedMention, str]]


def propose_actors(
    mentions: Iterable[UnresolvedMention],
    catalogue: ActorCatalogue,
    *,
    min_documents: int = DEFAULT_MIN_DOCUMENTS,
    decided: Mapping[str, str] | None = None,
    fill_sentences: SentenceFiller | None = None,
    samples: int = 3,
    candidates: int = 3,
) -> list[ActorProposal]:
    """Proposals from unresolved mentions, most documents first.

    ``decided`` maps spelling keys to their decision status ("accepted",
    "merged", "rejected"): those are left out. ``fill_sentences`` supplies the
    sentence of sample mentions stored without one (entity mentions).
    """
    decided = decided or {}
    proposals = []
    for key, group in group_mentions(mentions, catalogue.known_keys()).items():
        documents = {m.document_id for m in group}
        if len(documents) < min_documents or key in decided:
            continue
        proposal = build_proposal(key, group, catalogue, fill_sentences=fill_sentences, samples=samples, candidates=candidates)
        if proposal is not None:
            proposals.append(proposal)
    return sorted(proposals, key=lambda p: (-p.documents, -p.mentions, p.name.casefold()))


def build_proposal(
    key: str,
    group: list[UnresolvedMention],
    catalogue: ActorCatalogue,
    *,
    fill_sentences: SentenceFiller | None = None,
    samples: int = 3,
    candidates: int = 3,
    status: str = "open",
) -> ActorProposal | None:
    """One proposal from the mentions of one key; None when its name is an existing actor's (or several's)."""
    forms = Counter(keyed_name(m.text, key) for m in group)
    best = max(forms, key=lambda form: (forms[form], sum(ch.isupper() for ch in form), form))
    name = _ARTICLE.sub("", best) or best
    resolution = catalogue.resolve(name, limit=0)
    if resolution.actor is not None or resolution.ambiguous:
        return None
    dates = [m.published for m in group if m.published is not None]
    return ActorProposal(
        id=proposal_id(key),
        key=key,
        name=name,
        forms=[NameCount(text=text, count=count) for text, count in forms.most_common()],
        mentions=len(group),
        documents=len({m.document_id for m in group}),
        first_seen=min(dates, default=None),
        last_seen=max(dates, default=None),
        roles=dict(Counter(m.role for m in group).most_common()),
        samples=_samples(group, samples, fill_sentences),
        candidates=catalogue.candidates(name, limit=candidates),
        status=status,  # type: ignore[arg-type]  (one of the statuses)
    )


def _samples(group: list[UnresolvedMention], limit: int, fill: SentenceFiller | None) -> list[ProposalSample]:
    """One mention per document, those with a sentence first, oldest documents first."""
    ordered = sorted(group, key=lambda m: (m.sentence is None, m.published or dt.date.max, m.document_id, m.start))
    chosen: list[UnresolvedMention] = []
    seen: set[str] = set()
    for mention in ordered:
        if mention.document_id not in seen and len(chosen) < limit:
            seen.add(mention.document_id)
            chosen.append(mention)
    missing = [m for m in chosen if m.sentence is None]
    filled = fill(missing) if fill and missing else {}
    return [
        ProposalSample(document_id=m.document_id, published=m.published, role=m.role, text=m.text,
                       sentence=m.sentence or filled.get(m, m.text))
        for m in chosen
    ]
