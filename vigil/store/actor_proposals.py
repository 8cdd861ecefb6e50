"""Proposed actors over the store, and the analyst's decisions on them.

    list_actor_proposals(store, min_documents=3)       # what to review
    accept_proposal(store, "tehrik-labaik-pakistan", name="Tehreek-e-Labbaik Pakistan", author="ana")
    merge_proposal(store, proposal_id, "tehrik-e-taliban-pakistan", author="ana", reason="...")
    reject_proposal(store, proposal_id, author="ana", reason="a place, not a group")
    relink_unresolved(store)                           # after an ingest: decisions and known spellings
    resolve_actor_name(store, "Tahrik-e-Taleban Pakistan")

Accepting creates the actor (``source="analyst"``) with every form the reports
used as aliases; merging adds those forms as aliases of an existing actor. Both
link the stored mentions at once: event perpetrators, targets and victims,
relation ends, claim speakers and their organisations, entity mentions. Every
decision is recorded with its author, time and reason; the proposal's spelling
key keeps the latest one, which later runs honour (``relink_unresolved``
links new mentions of accepted and merged names; rejected ones are not proposed
again).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from pydantic import Field
from sqlalchemy import Select, String, literal, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from vigil.errors import StoreError, VigilError
from vigil.gazetteers.actor_index import load_variant_index
from vigil.gazetteers.actor_names import looks_like_acronym, variant_key
from vigil.gazetteers.text import slugify
from vigil.model.records import Actor, ActorKind
from vigil.resolve.actor_proposals import (
    DEFAULT_MIN_DOCUMENTS,
    UnresolvedMention,
    build_proposal,
    core_name,
    group_mentions,
    keyed_name,
    proposal_id,
    propose_actors,
)
from vigil.resolve.actor_records import ActorProposal, ActorResolution, ActorSummary, View
from vigil.resolve.actor_resolver import ActorCatalogue, load_actor_catalogue
from vigil.store.actor_mentions import linked_mentions, relink, sentences_of, unresolved_mentions
from vigil.store.database import Store, describe_error
from vigil.store.mapping import actor_from_row, actor_to_row, as_utc, normalise_name
from vigil.store.tables import ActorAliasRow, ActorProposalDecisionRow, ActorProposalRow, ActorRow

ACTOR_KINDS: tuple[str, ...] = ActorKind.__args__  # type: ignore[attr-defined]
LINKING = ("accepted", "merged")
STATUS_OF = {"accept": "accepted", "merge": "merged", "reject": "rejected"}
ERR_NO_PROPOSAL = "No proposal {id!r} among the unresolved mentions; `vigil proposals --min-mentions 1` lists them all."
ERR_ACTOR_EXISTS = "An actor with id {id!r} exists already: merge the proposal into it (`vigil proposals merge {proposal} {id}`) or choose another --name."
ERR_NO_ACTOR = "No actor with id {id!r}; `vigil actors NAME` finds ids."
ERR_KIND = "Unknown actor kind {kind!r}; use one of: {choices}."
ERR_NAME = "{name!r} cannot be an actor name: it has no letters or digits."
ERR_AUTHOR = "A decision needs its author (who decides)."
ERR_DECIDE = "Could not record the decision on {id!r}: {reason}"


class ProposalNotFound(VigilError):
    """No proposal with this id among the stored unresolved mentions."""


class DecisionRefused(VigilError):
    """A decision that cannot be applied as asked; the message names the bad value."""


class ActorExists(DecisionRefused):
    """Accepting would create an actor whose id is taken."""


class ProposalDecision(View):
    """A recorded decision on a proposal, and how many stored mentions it linked."""

    proposal_id: str
    key: str
    name: str
    action: str = Field(description="accept, merge or reject")
    actor: ActorSummary | None = None
    author: str
    reason: str | None = None
    decided_at: dt.datetime
    relinked: int = Field(description="stored mentions linked to the actor by this decision")


class RelinkResult(View):
    by_decision: int = Field(description="mentions linked because an analyst accepted or merged their name")
    by_name: int = Field(description="mentions linked because they spell an actor's name or alias (initials never)")


# ---------------------------------------------------------------- reading


def list_actor_proposals(
    store: Store, *, min_documents: int = DEFAULT_MIN_DOCUMENTS, limit: int | None = None
) -> list[ActorProposal]:
    """Open proposals: unresolved names seen in at least ``min_documents`` documents, most documents first."""
    catalogue = store_catalogue(store)
    proposals = propose_actors(
        unresolved_mentions(store),
        catalogue,
        min_documents=max(1, min_documents),
        decided={key: status for key, (status, _) in decided_keys(store).items()},
        fill_sentences=lambda mentions: sentences_of(store, mentions),
    )
    return proposals[:limit] if limit else proposals


def get_actor_proposal(store: Store, proposal: str) -> ActorProposal | None:
    """The proposal with this id, open or decided, while it still has unresolved mentions."""
    found = _find(store, proposal)
    return found[0] if found else None


def _find(store: Store, proposal: str) -> tuple[ActorProposal, list[UnresolvedMention]] | None:
    decided = decided_keys(store)
    catalogue = store_catalogue(store)
    for key, group in group_mentions(unresolved_mentions(store), catalogue.known_keys()).items():
        if proposal_id(key) == proposal:
            status = decided.get(key, ("open", None))[0]
            built = build_proposal(key, group, catalogue, status=status,
                                   fill_sentences=lambda mentions: sentences_of(store, mentions))
            return (built, group) if built is not None else None
    return None


def decided_keys(store: Store) -> dict[str, tuple[str, str | None]]:
    """Spelling key -> (latest decision status, actor id) of every decided proposal."""
    with store.session() as session:
        rows = session.execute(select(ActorProposalRow.key, ActorProposalRow.status, ActorProposalRow.actor_id))
        return {key: (status, actor_id) for key, status, actor_id in rows}


def linking_decisions(store: Store) -> dict[str, str]:
    """Spelling key -> actor id, for the accepted and merged proposals."""
    return {key: actor_id for key, (status, actor_id) in decided_keys(store).items() if status in LINKING and actor_id}


def list_proposal_decisions(store: Store) -> list[ProposalDecision]:
    """Every decision made, oldest first."""
    with store.session() as session:
        rows = session.scalars(
            select(ActorProposalDecisionRow)
            .options(selectinload(ActorProposalDecisionRow.proposal))
            .order_by(ActorProposalDecisionRow.id)
        ).all()
        ids = {row.actor_id for row in rows if row.actor_id}
        actors = {actor.id: actor for actor in session.scalars(select(ActorRow).where(ActorRow.id.in_(ids)))}
        decisions = [_decision(row, row.proposal, actors.get(row.actor_id or "")) for row in rows]
        if store.viewer is None:
            return decisions
        # A viewer is told only of the mentions they may read: those now naming the actor under the proposal's key.
        readable = Counter(
            (actor_id, key) for actor_id, text in linked_mentions(session, ids)
            for key in {variant_key(text), variant_key(core_name(text))}
        )
        return [d.model_copy(update={"relinked": readable[(d.actor.id, d.key)] if d.actor else 0}) for d in decisions]


def store_catalogue(store: Store) -> ActorCatalogue:
    """The shipped actors plus the store's own: analyst-made ones and those decisions added aliases to."""
    with store.session() as session:
        touched = select(ActorProposalRow.actor_id).where(ActorProposalRow.actor_id.is_not(None))
        rows = session.scalars(
            select(ActorRow)
            .where((ActorRow.source == "analyst") | ActorRow.id.in_(touched))
            .options(selectinload(ActorRow.aliases))
        ).all()
        extra = [actor_from_row(row) for row in rows]
    catalogue = load_actor_catalogue()
    return catalogue.extended(extra) if extra else catalogue


def resolve_actor_name(store: Store, name: str) -> ActorResolution:
    """What ``name`` resolves to in this store (analyst decisions first), why, and the close actors it is not."""
    resolution = store_catalogue(store).resolve(name, linking_decisions(store))
    status = decided_keys(store).get(resolution.key, (None, None))[0]
    if status == "rejected" and resolution.actor is None:
        return resolution.model_copy(update={"reasons": [*resolution.reasons, "an analyst rejected this name as a new actor"]})
    return resolution


def variant_actor_ids(query: str) -> list[Select]:
    """SELECTs of the ids of actors ``query`` names by a spelling variant: through the shipped variant
    index, and through analyst decisions on its spelling key (to UNION with other id queries)."""
    key = variant_key(query)
    decided = select(ActorProposalRow.actor_id).where(
        ActorProposalRow.key == key, ActorProposalRow.status.in_(LINKING), ActorProposalRow.actor_id.is_not(None)
    )
    actor_id = load_variant_index().lookup(query) if key else None
    if actor_id is None:
        return [decided]
    return [select(literal(actor_id, String(200))), decided]


# ---------------------------------------------------------------- deciding


def accept_proposal(
    store: Store,
    proposal: str,
    *,
    author: str,
    name: str | None = None,
    kind: str = "armed_group",
    parent: str | None = None,
    reason: str | None = None,
) -> ProposalDecision:
    """Make the proposal a new actor (its id from its name) and link its stored mentions to it."""
    if kind not in ACTOR_KINDS:
        raise DecisionRefused(ERR_KIND.format(kind=kind, choices=", ".join(ACTOR_KINDS)))
    found, group = _require(store, proposal, author)
    chosen = (name or found.name).strip()
    actor_id = slugify(chosen)
    if not actor_id:
        raise DecisionRefused(ERR_NAME.format(name=chosen))
    catalogue = store_catalogue(store)
    aliases = [form.text for form in found.forms if normalise_name(form.text) != normalise_name(chosen)]
    actor = Actor(id=actor_id, name=chosen, kind=kind, aliases=aliases, parent=parent, source="analyst",  # type: ignore[arg-type]
                  description=f"Accepted from a proposal by {author}.")  # no counts: each viewer reads their own
    with _deciding(store, proposal) as session:
        if session.get(ActorRow, actor_id) is not None or actor_id in catalogue.actors:
            raise ActorExists(ERR_ACTOR_EXISTS.format(id=actor_id, proposal=proposal))
        if parent:
            _ensure_actor_row(session, parent, catalogue)
        session.add(actor_to_row(actor))
        session.flush()
        linked = relink(session, {m.text for m in group}, actor_id)
        return _record(session, found, "accept", actor_id, author, reason, linked)


def merge_proposal(store: Store, proposal: str, actor_id: str, *, author: str, reason: str | None = None) -> ProposalDecision:
    """Make the proposal's forms aliases of an existing actor and link its stored mentions to it."""
    found, group = _require(store, proposal, author)
    catalogue = store_catalogue(store)
    with _deciding(store, proposal) as session:
        row = _ensure_actor_row(session, actor_id, catalogue)
        known = {normalise_name(row.name)} | {alias.normalised for alias in row.aliases}
        for form in found.forms:
            if normalise_name(form.text) not in known:
                row.aliases.append(ActorAliasRow(alias=form.text, normalised=normalise_name(form.text)))
                known.add(normalise_name(form.text))
        session.flush()
        linked = relink(session, {m.text for m in group}, row.id)
        return _record(session, found, "merge", row.id, author, reason, linked)


def reject_proposal(store: Store, proposal: str, *, author: str, reason: str | None = None) -> ProposalDecision:
    """Record that the proposal is not an actor: it is not proposed again."""
    found, _ = _require(store, proposal, author)
    with _deciding(store, proposal) as session:
        return _record(session, found, "reject", None, author, reason, 0)


def relink_unresolved(store: Store, documents: Iterable[str] | None = None) -> RelinkResult:
    """Link unresolved mentions whose name an analyst accepted or merged, or that names an actor.

    A name names an actor through the variant index (its name or an alias) or by
    a one-letter slip (``ActorCatalogue.resolve``). Names written as initials are
    linked only by decisions: "ADF" is one group in Uganda and an army in Australia.
    ``documents``: look at the names in these only (the ones an ingest just stored);
    a name found there is linked wherever it is stored unresolved.
    """
    decisions = linking_decisions(store)
    catalogue = store_catalogue(store)
    by_decision = by_name = 0
    with _deciding(store, "relink") as session:
        for key, group in group_mentions(unresolved_mentions(store, documents), catalogue.known_keys()).items():
            texts = {m.text for m in group}
            if key in decisions:
                by_decision += relink(session, texts, decisions[key])
                continue
            name = keyed_name(group[0].text, key)
            if looks_like_acronym(name):
                continue  # initials mean different groups in different reports ("ADF"): analysts link those
            resolved = catalogue.resolve(name, limit=0).actor
            actor_id = resolved.id if resolved is not None else None
            if actor_id is not None:
                _ensure_actor_row(session, actor_id, catalogue)
                by_name += relink(session, texts, actor_id)
    return RelinkResult(by_decision=by_decision, by_name=by_name)


def _require(store: Store, proposal: str, author: str) -> tuple[ActorProposal, list[UnresolvedMention]]:
    if not author or not author.strip():
        raise DecisionRefused(ERR_AUTHOR)
    found = _find(store, proposal)
    if found is None:
        raise ProposalNotFound(ERR_NO_PROPOSAL.format(id=proposal))
    return found


@contextmanager
def _deciding(store: Store, proposal: str) -> Iterator[Session]:
    """One transaction for a decision; database errors become ``StoreError`` naming the proposal."""
    try:
        with store.sessions.begin() as session:
            yield session
    except SQLAlchemyError as error:
        raise StoreError(ERR_DECIDE.format(id=proposal, reason=describe_error(error))) from error


def _ensure_actor_row(session: Session, actor_id: str, catalogue: ActorCatalogue) -> ActorRow:
    """The store's row of an actor, written from the catalogue when the store lacks it (an addition)."""
    row = session.get(ActorRow, actor_id, options=[selectinload(ActorRow.aliases)])
    if row is not None:
        return row
    actor = catalogue.actors.get(actor_id)
    if actor is None:
        raise DecisionRefused(ERR_NO_ACTOR.format(id=actor_id))
    row = actor_to_row(actor)
    session.add(row)
    session.flush()
    return row


def _record(
    session: Session, found: ActorProposal, action: str, actor_id: str | None, author: str, reason: str | None, linked: int
) -> ProposalDecision:
    now = dt.datetime.now(dt.timezone.utc)
    row = session.get(ActorProposalRow, found.id)
    if row is None:
        row = ActorProposalRow(id=found.id, key=found.key)
        session.add(row)
    row.name, row.status, row.actor_id = found.name, STATUS_OF[action], actor_id
    row.mentions, row.documents, row.decided_at = found.mentions, found.documents, now
    decision = ActorProposalDecisionRow(
        action=action, actor_id=actor_id, author=author.strip(), reason=reason, decided_at=now, relinked=linked
    )
    row.decisions.append(decision)
    session.flush()
    return _decision(decision, row, session.get(ActorRow, actor_id) if actor_id else None)


def _decision(row: ActorProposalDecisionRow, proposal: ActorProposalRow, actor: ActorRow | None) -> ProposalDecision:
    summary = None
    if actor is not None:
        summary = ActorSummary(id=actor.id, name=actor.name, kind=actor.kind, parent=actor.parent_id)  # type: ignore[arg-type]
    elif row.actor_id:
        summary = ActorSummary(id=row.actor_id, name=row.actor_id, kind="organisation")
    return ProposalDecision(
        proposal_id=proposal.id, key=proposal.key, name=proposal.name, action=row.action, actor=summary,
        author=row.author, reason=row.reason, decided_at=as_utc(row.decided_at), relinked=row.relinked,
    )
