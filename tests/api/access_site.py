"""A multi-user site holding one report per (organisation, TLP marking), for the access-policy tests.

Three organisations (``local``, ``ngo-a``, ``ngo-b``), each with an admin, an analyst and a
viewer holding a real API token (``vigil.share.accounts``). Each organisation owns one report
per TLP 2.0 marking (15 reports, built from the Bajaur report of ``tests/store/conftest.py``:
an event, a relation, two claims, weapon mentions); ``ngo-a``'s AMBER report is shared with
``ngo-b`` and ``local``'s with ``ngo-a``. Each report carries a code word (``K03X``) in its title
and text, and its event a month and province of its own, so a response that leaks a hidden
report can be caught by its id, its code word, a count or a group. Each organisation also
owns one recovered weapon per marking.

The expected visibility (``allowed``) is computed here from the fixture's own table, not by
``vigil.store.policy``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tests.store.conftest import BAJAUR, actors, bajaur, ref
from vigil.model.access import LOCAL_ORG, ROLES, Tlp
from vigil.model.records import Document, RecoveredWeapon
from vigil.share import accounts
from vigil.store.database import Store
from vigil.model.access import Viewer
from vigil.store.actor_proposals import accept_proposal, list_actor_proposals
from vigil.store.details import get_document_detail
from vigil.store.filters import EventFilter
from vigil.store.fusion import StoredFusion
from vigil.store.fusion_reads import list_decisions, page_fused_events
from vigil.store.lists import page_weapons
from vigil.store.queries import list_claims, list_events, list_relations
from vigil.store.markings import share_document
from vigil.store.recovered import save_recovered
from vigil.store.repository import save_document, seed_actors

ORGS = (LOCAL_ORG, "ngo-a", "ngo-b")
SHARES = {("ngo-a", Tlp.AMBER): ["ngo-b"], (LOCAL_ORG, Tlp.AMBER): ["ngo-a"]}
PROVINCES = {LOCAL_ORG: "Khyber Pakhtunkhwa", "ngo-a": "Punjab", "ngo-b": "Sindh"}
PASSWORD = "correct horse battery staple"
#: Names of organisations every report gives and no actor has; the first stays a proposal, the second
#: is accepted by an analyst of ``local`` (the decision counts only what each viewer may read).
UNRESOLVED = ("Bajaur Front", "Khar Brigade")


def may_see(owner: str, tlp: Tlp, shared: list[str], org: str) -> bool:
    """The TLP 2.0 rule, written out independently of ``vigil.store.policy``."""
    if tlp in (Tlp.CLEAR, Tlp.GREEN) or owner == org:
        return True
    return tlp is Tlp.AMBER and org in shared


@dataclass(frozen=True)
class Report:
    id: str
    owner: str
    tlp: Tlp
    shared: tuple[str, ...]
    codeword: str
    month: str  # YYYY-MM of its event
    province: str


@dataclass
class Site:
    store: Store
    reports: dict[str, Report] = field(default_factory=dict)
    recovered: dict[str, tuple[str, Tlp]] = field(default_factory=dict)  # weapon id -> (owner, marking)
    tokens: dict[tuple[str, str], str] = field(default_factory=dict)  # (org, role) -> API token secret
    # what the unrestricted store holds, per report (ids of its facts) and per fused event (its reports)
    events: dict[int, str] = field(default_factory=dict)
    relations: dict[int, str] = field(default_factory=dict)
    claims: dict[int, str] = field(default_factory=dict)
    weapons: dict[int, str] = field(default_factory=dict)
    fused: dict[str, set[str]] = field(default_factory=dict)
    fused_province: dict[str, str | None] = field(default_factory=dict)  # its stored (fused from all) admin1
    decisions: dict[str, set[str]] = field(default_factory=dict)  # fusion decision id -> reports it names

    def allowed(self, org: str) -> set[str]:
        """Ids of the reports a user of ``org`` may see."""
        return {r.id for r in self.reports.values() if may_see(r.owner, r.tlp, list(r.shared), org)}

    def hidden(self, org: str) -> list[Report]:
        return [r for r in self.reports.values() if r.id not in self.allowed(org)]

    def allowed_recovered(self, org: str) -> set[str]:
        return {w for w, (owner, tlp) in self.recovered.items() if may_see(owner, tlp, [], org)}

    def secrets_of(self, org: str) -> list[str]:
        """Strings that must appear in no response to a user of ``org``: hidden ids and code words."""
        found = [text for r in self.hidden(org) for text in (r.id, r.codeword)]
        return found + sorted(set(self.recovered) - self.allowed_recovered(org))


def build_site(store: Store) -> Site:
    """Fill ``store`` (empty, migrated) with the reports, shares, recovered weapons, users and tokens."""
    site = Site(store=store)
    seed_actors(store, actors())
    for number, (owner, tlp) in enumerate((o, t) for o in ORGS for t in Tlp):
        base, extraction = bajaur()
        codeword = f"K{number:02d}X"
        month = dt.date(2023, 1 + list(Tlp).index(tlp), 15)
        text = f"{BAJAUR} Reference {codeword}. {UNRESOLVED[0]} and {UNRESOLVED[1]} were named."
        document = Document.from_text(
            text, title=f"Report {codeword}", published=month, tlp=tlp, org_id=None if owner == LOCAL_ORG else owner,
        )
        event = extraction.events[0]
        location = event.location.model_copy(update={"admin1": PROVINCES[owner]})
        named = [ref(text, name) for name in UNRESOLVED]  # organisations no actor has: proposals
        events = [event.model_copy(update={"date": month.isoformat(), "location": location,
                                           "perpetrators": [*event.perpetrators, *named]})]
        save_document(store, document, extraction.model_copy(update={"id": document.id, "events": events}))
        shared = tuple(SHARES.get((owner, tlp), []))
        for org in shared:
            share_document(store, document.id, org)
        site.reports[document.id] = Report(document.id, owner, tlp, shared, codeword, month.strftime("%Y-%m"),
                                           PROVINCES[owner])
    fusion = StoredFusion(store)
    fusion.catch_up()
    _decisions(site, fusion)
    _ground_truth(site)
    _recovered_weapons(site)
    _accounts(site)
    return site


def report_of(site: Site, owner: str, tlp: Tlp) -> Report:
    return next(r for r in site.reports.values() if r.owner == owner and r.tlp is tlp)


def _decisions(site: Site, fusion: StoredFusion) -> None:
    """Fusion decisions: one naming a RED report of ``local`` (then retracted), one naming CLEAR reports only;
    and an analyst of ``local`` accepts the second unresolved name as an actor."""
    def event_of(report: Report) -> int:
        return get_document_detail(site.store, report.id).event_ids[0]

    secret = [event_of(report_of(site, LOCAL_ORG, Tlp.CLEAR)), event_of(report_of(site, LOCAL_ORG, Tlp.RED))]
    fusion.keep_apart(secret, reason="different rallies", author="local-analyst")
    public = [event_of(report_of(site, "ngo-a", Tlp.CLEAR)), event_of(report_of(site, "ngo-b", Tlp.CLEAR))]
    fusion.keep_apart(public, reason="different days", author="ngo-a-analyst")
    decisions = list_decisions(site.store)
    fusion.retract(decisions[0].decision.id, reason="same rally after all", author="local-analyst")
    local = site.store.for_viewer(Viewer(user_id=None, org_id=LOCAL_ORG, role="analyst"))
    proposal = next(p for p in list_actor_proposals(local, min_documents=1) if p.name == UNRESOLVED[1])
    accept_proposal(local, proposal.id, author="local-analyst", reason="a real group")


def _ground_truth(site: Site) -> None:
    store = site.store
    site.events = {e.id: e.document_id for e in list_events(store)}
    site.relations = {r.id: r.document_id for r in list_relations(store)}
    site.claims = {c.id: c.document_id for c in list_claims(store)}
    site.weapons = {w.id: w.document.id for w in page_weapons(store, EventFilter(limit=None)).items}
    for item in page_fused_events(store, EventFilter(limit=None)).items:
        site.fused[item.fused.id] = {source.document_id for source in item.fused.sources}
        site.fused_province[item.fused.id] = item.fused.location.admin1 if item.fused.location else None
    for stored in list_decisions(store):
        decision = stored.decision
        named = {m.split("#", 1)[0] for m in decision.mentions}
        if decision.kind == "retract":
            named = site.decisions[decision.retracts]
        site.decisions[decision.id] = named


def _recovered_weapons(site: Site) -> None:
    weapons = []
    for owner in ORGS:
        for tlp in Tlp:
            weapon_id = f"rw-{owner}-t{list(Tlp).index(tlp)}"
            weapons.append(RecoveredWeapon(id=weapon_id, weapon_class="assault rifle", make="Norinco",
                                           serial_number=weapon_id.upper(), recovered_on="2023-07-30",
                                           country_of_manufacture="CN", tlp=tlp, org_id=owner))
            site.recovered[weapon_id] = (owner, tlp)
    save_recovered(site.store, weapons)


def _accounts(site: Site) -> None:
    for org in ORGS:
        if org != LOCAL_ORG:
            accounts.create_organisation(site.store, org, f"Organisation {org}")
        for role in ROLES:
            user = accounts.create_user(site.store, f"{org}-{role}", PASSWORD, role, org)
            site.tokens[(org, role)] = accounts.create_token(site.store, user, "access tests").secret
