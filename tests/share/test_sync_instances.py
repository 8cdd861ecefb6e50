"""Two (and a third) real Vigil servers on loopback sharing through TAXII 2.1 with ``vigil sync``.

Each instance is a uvicorn server in multi-user mode on its own database: a fresh PostgreSQL
database per instance on the local server (made through psycopg on the ``postgres`` maintenance
database, dropped afterwards; the ``postgres`` mark), and the same scenario on SQLite files.
Each instance has an organisation, a user and a token for the other. The scenario: records flow
A -> B and back B -> A; TLP:RED never leaves; TLP:AMBER from A is not passed on by B to C; a
revoked token stops the flow (401, cursor unchanged); a sync interrupted mid-way and restarted
loses and duplicates nothing.
"""

from __future__ import annotations

import collections
import datetime as dt
import os

import pytest
from sqlalchemy import func, select, update

from vigil.model.access import Tlp
from vigil.share import accounts
from vigil.share.partners import add_partner, set_token
from vigil.share.sync import sync
from vigil.share.taxii.protocol import parse_timestamp
from vigil.store.markings import share_document
from vigil.store.partners import get_state
from vigil.store.tables import AuditRow, DocumentRow, EventRow
from tests.share import taxii_support as support
from tests.databases import postgres_databases


pytestmark = pytest.mark.network
POSTGRES_URL = os.environ.get("VIGIL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PAGE = 12  # objects per page: about one report each, so every sync runs over many pages


class Crash(Exception):
    """Stands for the process dying between two pages."""


@pytest.fixture(scope="module")
def fresh_postgres():
    """Makes fresh PostgreSQL databases (random names) and drops them at the end; skips when unreachable."""
    with postgres_databases("vigil_sync") as make:
        yield make


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def instances(request, tmp_path):
    """Three running instances, A, B and C, each on a database of its own."""
    servers = {}
    for name in ("a", "b", "c"):
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / f'{name}.sqlite'}"
        else:
            url = request.getfixturevalue("fresh_postgres")()
        folder = tmp_path / name
        folder.mkdir()
        servers[name] = support.start_server(url, folder)
        support.seed(servers[name].store)
    yield servers
    for server in servers.values():
        server.stop()
        server.store.close()


def titles(store) -> collections.Counter:
    return collections.Counter(support.document_titles(store))


def events_per_document(store) -> set[int]:
    with store.engine.connect() as connection:
        return {row[1] for row in connection.execute(
            select(DocumentRow.id, func.count(EventRow.id)).outerjoin(EventRow, EventRow.document_id == DocumentRow.id)
            .group_by(DocumentRow.id))}


def row_of(store, title: str):  # noqa: ANN001, ANN201
    with store.engine.connect() as connection:
        return connection.execute(
            select(DocumentRow.tlp, DocumentRow.org_id, DocumentRow.origin_instance, DocumentRow.origin_org)
            .where(DocumentRow.title == title)).one()


def test_two_instances_share_both_ways_within_their_markings(instances):
    a, b, c = instances["a"], instances["b"], instances["c"]
    ids = support.store_reports(
        a.store, *[support.report(f"A-clear-{i}") for i in range(3)], support.report("A-green", Tlp.GREEN),
        support.report("A-amber", Tlp.AMBER), support.report("A-red", Tlp.RED),
    )
    support.store_reports(b.store, support.report("B-green-0", Tlp.GREEN, country="AF"),
                          support.report("B-green-1", Tlp.GREEN, country="AF"), support.report("B-amber", Tlp.AMBER, country="AF"))
    # Accounts: each instance has an organisation, a user and a token for the other (and B one for C).
    b_reads_a = support.account(a.store, "inst-b", "b-sync")
    a_writes_b = support.account(b.store, "inst-a", "a-sync")
    b_writes_c = support.account(c.store, "inst-b", "b-sync")
    share_document(a.store, ids[4], "inst-b")  # A's analysts share their AMBER report with B
    add_partner(b.store, b.settings, id="inst-a", taxii_url=a.api_root, token=b_reads_a[1], max_tlp="amber", direction="pull")
    add_partner(b.store, b.settings, id="inst-c", taxii_url=c.api_root, token=b_writes_c[1], max_tlp="amber", direction="push")
    add_partner(a.store, a.settings, id="inst-b", taxii_url=b.api_root, token=a_writes_b[1], max_tlp="amber", direction="push")

    # A -> B, by B pulling, page by page.
    [pulled] = sync(b.store, b.settings, "inst-a", page_size=PAGE)
    assert pulled.ok and pulled.pages >= 5 and pulled.documents == 5, pulled
    a_shared = {f"Attack A-clear-{i}" for i in range(3)} | {"Attack A-green", "Attack A-amber"}
    assert set(titles(b.store)) == a_shared | {"Attack B-green-0", "Attack B-green-1", "Attack B-amber"}
    assert max(titles(b.store).values()) == 1 and events_per_document(b.store) == {1}
    tlp, org, origin, origin_org = row_of(b.store, "Attack A-amber")
    assert tlp == "TLP:AMBER" and org == "local" and origin  # keeps its marking and origin; owned by B's own org
    assert row_of(b.store, "Attack A-clear-0")[2] == origin

    # A also pushes to B: what B already has is recognised, RED stays home.
    [pushed] = sync(a.store, a.settings, "inst-b")
    assert pushed.ok, pushed
    assert "Attack A-red" not in titles(b.store) and max(titles(b.store).values()) == 1

    # B -> A, by B pushing; A's own records coming back are not duplicated.
    add_partner(b.store, b.settings, id="inst-a-push", taxii_url=a.api_root, token=support.account(a.store, "inst-b", "b-push")[1],
                max_tlp="amber", direction="push")
    [back] = sync(b.store, b.settings, "inst-a-push")
    assert back.ok and back.documents >= 3, back
    a_titles = titles(a.store)
    assert max(a_titles.values()) == 1
    assert {"Attack B-green-0", "Attack B-green-1", "Attack B-amber"} <= set(a_titles)
    assert row_of(a.store, "Attack B-amber")[:2] == ("TLP:AMBER", "inst-b")  # owned by the sender's organisation

    # B -> C: B's own records go, A's CLEAR/GREEN too, A's AMBER never, RED never.
    [third] = sync(b.store, b.settings, "inst-c")
    assert third.ok, third
    c_titles = titles(c.store)
    assert "Attack A-amber" not in c_titles and "Attack A-red" not in c_titles
    assert set(c_titles) == {f"Attack A-clear-{i}" for i in range(3)} | {"Attack A-green", "Attack B-green-0",
                                                                          "Attack B-green-1", "Attack B-amber"}
    assert max(c_titles.values()) == 1

    # Running everything again stores nothing new and duplicates nothing (a push may offer CLEAR/GREEN
    # records the partner sent; the partner recognises them).
    before = (titles(a.store), titles(b.store), titles(c.store))
    for store, settings in ((b.store, b.settings), (a.store, a.settings)):
        for report in sync(store, settings, page_size=PAGE):
            assert report.ok and (report.direction == "push" or report.documents == 0), report
    assert (titles(a.store), titles(b.store), titles(c.store)) == before

    # Every run is in B's audit log.
    with b.store.engine.connect() as connection:
        audited = connection.execute(select(AuditRow.record_id, AuditRow.detail).where(AuditRow.action == "sync")).all()
    assert {row[0] for row in audited} >= {"inst-a", "inst-c", "inst-a-push"}


def test_a_revoked_token_stops_the_flow_and_the_cursor_stays(instances):
    a, b = instances["a"], instances["b"]
    support.store_reports(a.store, support.report("first"))
    issued, secret = support.account(a.store, "inst-b", "b-sync")
    add_partner(b.store, b.settings, id="inst-a", taxii_url=a.api_root, token=secret, direction="pull")
    assert sync(b.store, b.settings, "inst-a")[0].ok
    cursor = get_state(b.store, "inst-a", "pull")
    assert cursor.added_after

    accounts.revoke_token(a.store, issued.token.id)
    support.store_reports(a.store, support.report("after revocation"))
    [refused] = sync(b.store, b.settings, "inst-a")
    assert refused.status == 401 and "401" in refused.error
    state = get_state(b.store, "inst-a", "pull")
    assert (state.added_after, state.next_token, state.last_added) == (cursor.added_after, cursor.next_token, cursor.last_added)
    assert state.last_error == refused.error
    assert "Attack after revocation" not in titles(b.store)

    renewed = accounts.create_token(a.store, issued.token and accounts.find_user(a.store, "b-sync"), "renewed")
    set_token(b.store, b.settings, "inst-a", renewed.secret)
    [resumed] = sync(b.store, b.settings, "inst-a")
    assert resumed.ok and resumed.documents == 1
    assert get_state(b.store, "inst-a", "pull").last_error is None
    assert titles(b.store) == collections.Counter({"Attack first": 1, "Attack after revocation": 1})


def test_an_interrupted_sync_restarted_loses_and_duplicates_nothing(instances):
    a, b = instances["a"], instances["b"]
    wanted = [f"Attack batch-{i}" for i in range(7)]
    support.store_reports(a.store, *[support.report(f"batch-{i}") for i in range(7)])
    issued, secret = support.account(a.store, "inst-b", "b-sync")
    add_partner(b.store, b.settings, id="inst-a", taxii_url=a.api_root, token=secret, direction="pull")

    # 1. The process dies after the second page committed.
    pages = []

    def die_after_two(direction: str, objects: int) -> None:
        pages.append(objects)
        if len(pages) == 2:
            raise Crash()

    with pytest.raises(Crash):
        sync(b.store, b.settings, "inst-a", page_size=PAGE, on_page=die_after_two)
    first = titles(b.store)
    assert 0 < sum(first.values()) < len(wanted) and max(first.values()) == 1

    # 2. A page fails: the token is revoked on A while the sync runs (the next page is refused).
    def revoke_after_one(direction: str, objects: int) -> None:
        if accounts.list_tokens(a.store, user=accounts.find_user(a.store, "b-sync")):
            accounts.revoke_token(a.store, issued.token.id)

    [failed] = sync(b.store, b.settings, "inst-a", page_size=PAGE, on_page=revoke_after_one)
    assert failed.status == 401 and failed.pages == 1  # one page committed, the next refused
    second = titles(b.store)
    assert sum(second.values()) == sum(first.values()) + 1 and max(second.values()) == 1

    # 3. Restarted with a new token: the rest arrives, nothing twice.
    set_token(b.store, b.settings, "inst-a", accounts.create_token(a.store, accounts.find_user(a.store, "b-sync")).secret)
    [finished] = sync(b.store, b.settings, "inst-a", page_size=PAGE)
    assert finished.ok
    assert titles(b.store) == collections.Counter(wanted)
    assert events_per_document(b.store) == {1}
    with a.store.engine.connect() as connection:
        sent = connection.execute(select(func.count()).select_from(DocumentRow)).scalar()
    with b.store.engine.connect() as connection:
        received = connection.execute(select(func.count()).select_from(DocumentRow)).scalar()
        event_rows = connection.execute(select(func.count()).select_from(EventRow)).scalar()
    assert sent == received == len(wanted) and event_rows == len(wanted)


def test_a_document_committed_after_a_later_one_was_served_still_arrives(instances):
    """The partner stamps date_added when a transaction begins: one that commits late lies behind the cursor."""
    a, b = instances["a"], instances["b"]
    support.store_reports(a.store, support.report("first"))
    issued, secret = support.account(a.store, "inst-b", "b-sync")
    add_partner(b.store, b.settings, id="inst-a", taxii_url=a.api_root, token=secret, direction="pull")
    assert sync(b.store, b.settings, "inst-a")[0].documents == 1
    cursor = parse_timestamp(get_state(b.store, "inst-a", "pull").added_after)

    support.store_reports(a.store, support.report("late commit"))
    with a.store.engine.begin() as connection:  # as if its transaction had begun 30 s before the last sync read
        connection.execute(update(DocumentRow).where(DocumentRow.title == "Attack late commit")
                           .values(ingested_at=cursor - dt.timedelta(seconds=30)))
    [late] = sync(b.store, b.settings, "inst-a")
    assert late.ok and late.documents == 1
    assert titles(b.store) == collections.Counter({"Attack first": 1, "Attack late commit": 1})
    [again] = sync(b.store, b.settings, "inst-a")  # the overlap re-reads the last minutes: nothing is stored twice
    assert again.ok and again.documents == 0 and parse_timestamp(get_state(b.store, "inst-a", "pull").added_after) >= cursor
