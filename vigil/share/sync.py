"""``vigil sync``: pull what partners share with us and push what the policy lets us send them.

Pull: GET the partner's collection ``added_after`` the stored cursor, page by page (``limit`` and
``next``); each page is imported in one transaction and the cursor moves only after it commits,
so a sync interrupted anywhere and run again loses nothing, and the importer's deduplication
(the STIX ids) means nothing is stored twice. Each pull asks from ``OVERLAP`` before the cursor:
a partner stamps a document's ``date_added`` when its transaction begins, so a long transaction
can commit after a later one was already served; re-reading the last minutes picks it up, and
what was already imported is skipped. What arrives keeps its marking and origin (the
partner's API root and organisation) and is owned here by the partnership's organisation.

Push: the documents the partnership's organisation may see, at or under the partner's ceiling,
matching its filters, never ``TLP:RED`` and never a record another instance sent above
``TLP:GREEN`` (``vigil.store.sharing.pushable``), added since the last push, are exported
(``vigil.share.stix``) and POSTed as envelopes; the cursor moves after the partner answers 202.

Every run of each direction is audited (``sync``), failures included (a revoked token reads
"401"), and leaves its error on the partner's sync state with the cursor where it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from sqlalchemy import and_

from vigil.errors import VigilError
from vigil.model.access import Viewer
from vigil.model.partners import Partner, SyncState
from vigil.settings import Settings
from vigil.share import audit
from vigil.share.partners import get_partner, list_partners, partner_token
from vigil.share.taxii import stix_bridge
from vigil.share.taxii.protocol import MEDIA_TYPE, Position, format_timestamp, parse_timestamp
from vigil.store import partners as rows
from vigil.store.database import Store
from vigil.store.sharing import Filters, after, list_units, pushable

DEFAULT_PAGE = 100
PUSH_DOCUMENTS = 20  # documents per POSTed envelope
TIMEOUT_S = 60.0
OVERLAP = dt.timedelta(minutes=2)  # how far before the cursor each pull asks again (see the docstring)
ERR_HTTP = "{partner}: {method} {url} answered {status}: {message}"
ERR_UNREACHABLE = "{partner}: {url} cannot be reached: {reason}"
ERR_REPLY = "{partner}: {url} did not answer a TAXII envelope: {reason}"
ERR_INACTIVE = "{partner}: the partner is paused (vigil partners resume {partner})."

#: Called after each page commits (direction, objects in the page); a test stops a run here.
PageHook = Callable[[str, int], None]


class SyncError(VigilError):
    """The partner refused or could not be reached; the cursor did not move."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class SyncReport:
    """What one direction of one partner's sync moved, and the error that stopped it, if any."""

    partner_id: str
    direction: str
    pages: int = 0
    objects: int = 0
    documents: int = 0
    failed_objects: int = 0
    error: str | None = None
    status: int | None = None
    details: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


def sync(
    store: Store,
    settings: Settings,
    partner_id: str | None = None,
    *,
    page_size: int = DEFAULT_PAGE,
    max_pages: int | None = None,
    on_page: PageHook | None = None,
) -> list[SyncReport]:
    """Sync one partner (or every active one): pull, then push, as each partner's direction says."""
    partners = [get_partner(store, partner_id)] if partner_id else [p for p in list_partners(store) if p.active]
    reports: list[SyncReport] = []
    for partner in partners:
        if not partner.active:
            reports.append(SyncReport(partner.id, partner.direction, error=ERR_INACTIVE.format(partner=partner.id)))
            continue
        try:
            client = _client(settings, partner)
        except VigilError as error:  # the sealed token cannot be read (the key file changed)
            report = SyncReport(partner.id, partner.direction, error=f"{partner.id}: {error}")
            _finish(store, partner, "pull" if partner.pulls else "push", report)
            reports.append(report)
            continue
        with client:
            if partner.pulls:
                reports.append(pull(store, settings, partner, client, page_size=page_size, max_pages=max_pages, on_page=on_page))
            if partner.pushes:
                reports.append(push(store, settings, partner, client, max_pages=max_pages, on_page=on_page))
    return reports


def pull(
    store: Store,
    settings: Settings,
    partner: Partner,
    client: httpx.Client,
    *,
    page_size: int = DEFAULT_PAGE,
    max_pages: int | None = None,
    on_page: PageHook | None = None,
) -> SyncReport:
    """Import the partner's new objects page by page; the cursor moves with each committed page.

    A document served in parts (more objects than a page) is imported whole, once its report
    (the last object of each document) has arrived; the cursor stays before its first part until then.
    """
    report = SyncReport(partner.id, "pull")
    state = rows.get_state(store, partner.id, "pull")
    url = objects_url(partner)
    fetch_next = state.next_token
    held: list[dict] = []
    try:
        while max_pages is None or report.pages < max_pages:
            params: dict[str, str | int] = {"limit": page_size}
            if state.added_after:
                params["added_after"] = format_timestamp(parse_timestamp(state.added_after) - OVERLAP)
            if fetch_next:
                params["next"] = fetch_next
            body, last_added = _get_page(client, partner, url, params)
            report.pages += 1
            more = bool(body.get("more")) and bool(body.get("next"))
            fetch_next = body.get("next") if more else None
            held.extend(body.get("objects") or [])
            if more and held and held[-1].get("type") != "report":
                continue  # a document goes on in the next page: import it whole
            outcome = stix_bridge.import_objects(
                store, settings, held, org_id=partner.org_id, origin_instance=partner.taxii_url
            )
            state.next_token = fetch_next
            state.last_added = last_added or state.last_added
            if not more:
                state.added_after = _latest(state.added_after, state.last_added)
            state.objects += len(held)
            state.documents += outcome.documents
            rows.save_state(store, state)
            report.objects += len(held)
            report.documents += outcome.documents
            report.failed_objects += len(outcome.failures)
            report.details.extend(outcome.failures)
            if on_page is not None:
                on_page("pull", len(held))
            held = []
            if not more:
                break
    except SyncError as error:
        report.error, report.status = str(error), error.status
    except VigilError as error:
        report.error = f"{partner.id}: {error}"
    _finish(store, partner, "pull", report)
    return report


def _latest(*stamps: str | None) -> str | None:
    """The latest of these TAXII timestamps (the overlap re-reads pages older than the cursor)."""
    given = [stamp for stamp in stamps if stamp]
    return max(given, key=parse_timestamp) if given else None


def push(
    store: Store,
    settings: Settings,
    partner: Partner,
    client: httpx.Client,
    *,
    documents_per_post: int = PUSH_DOCUMENTS,
    max_pages: int | None = None,
    on_page: PageHook | None = None,
) -> SyncReport:
    """POST what the partner may receive, a few documents per envelope; the cursor moves on each 202."""
    report = SyncReport(partner.id, "push")
    state = rows.get_state(store, partner.id, "push")
    position = Position.decode(state.added_after) if state.added_after else None
    stands_for = Viewer(user_id=None, org_id=partner.org_id, role="viewer", username=f"partner:{partner.id}")
    rule = pushable(stands_for, partner.max_tlp, Filters(partner.actors, partner.countries, partner.regions))
    as_partner = store.for_viewer(stands_for)
    url = objects_url(partner)
    try:
        while max_pages is None or report.pages < max_pages:
            start = after(position.added, position.key) if position else after(None)
            units = list_units(store, and_(rule, start), documents_per_post)
            if not units:
                break
            objects = _distinct(obj for unit in units for obj in stix_bridge.export_for_push(as_partner, unit.id, partner.max_tlp))
            status = _post(client, partner, url, {"objects": objects}) if objects else {"failures": []}
            position = Position(units[-1].added, units[-1].id)
            state.added_after = position.encode()
            state.last_added = format_timestamp(units[-1].added)
            state.objects += len(objects)
            state.documents += len(units)
            rows.save_state(store, state)
            failures = status.get("failures") or []
            report.pages += 1
            report.objects += len(objects)
            report.documents += len(units)
            report.failed_objects += len(failures)
            report.details.extend(f"{f.get('id')}: {f.get('message', 'refused')}" for f in failures)
            if on_page is not None:
                on_page("push", len(objects))
            if len(units) < documents_per_post:
                break
    except SyncError as error:
        report.error, report.status = str(error), error.status
    except VigilError as error:
        report.error = f"{partner.id}: {error}"
    _finish(store, partner, "push", report)
    return report


def objects_url(partner: Partner) -> str:
    return f"{partner.taxii_url.rstrip('/')}/collections/{partner.collection}/objects/"


# -- helpers ----------------------------------------------------------------------------------------
def _client(settings: Settings, partner: Partner) -> httpx.Client:
    headers = {
        "Accept": MEDIA_TYPE,
        "Authorization": f"Bearer {partner_token(settings, partner)}",
        "User-Agent": settings.user_agent,
    }
    return httpx.Client(headers=headers, timeout=TIMEOUT_S, follow_redirects=False)


def _get_page(client: httpx.Client, partner: Partner, url: str, params: dict) -> tuple[dict, str | None]:
    try:
        response = client.get(url, params=params)
    except httpx.HTTPError as error:
        raise SyncError(ERR_UNREACHABLE.format(partner=partner.id, url=url, reason=error)) from None
    body = _json(response, partner, "GET", url)
    if not isinstance(body, dict) or not isinstance(body.get("objects", []), list):
        raise SyncError(ERR_REPLY.format(partner=partner.id, url=url, reason="no 'objects' list"))
    last = response.headers.get("X-TAXII-Date-Added-Last")
    if last:
        try:
            last = format_timestamp(parse_timestamp(last, "X-TAXII-Date-Added-Last"))
        except Exception:  # noqa: BLE001 (a server's malformed header: fall back to no cursor move)
            last = None
    return body, last


def _post(client: httpx.Client, partner: Partner, url: str, envelope: dict) -> dict:
    try:
        response = client.post(url, json=envelope, headers={"Content-Type": MEDIA_TYPE})
    except httpx.HTTPError as error:
        raise SyncError(ERR_UNREACHABLE.format(partner=partner.id, url=url, reason=error)) from None
    body = _json(response, partner, "POST", url, expected=(200, 202))
    return body if isinstance(body, dict) else {}


def _json(response: httpx.Response, partner: Partner, method: str, url: str, expected: tuple[int, ...] = (200,)) -> object:
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code not in expected:
        message = ""
        if isinstance(body, dict):
            message = body.get("description") or body.get("title") or str(body.get("error", {}).get("message", ""))
        raise SyncError(
            ERR_HTTP.format(partner=partner.id, method=method, url=url, status=response.status_code,
                            message=message or response.reason_phrase),
            response.status_code,
        )
    if body is None:
        raise SyncError(ERR_REPLY.format(partner=partner.id, url=url, reason="the body is not JSON"))
    return body


def _distinct(objects) -> list[dict]:  # noqa: ANN001 (an iterable of dicts)
    """Objects shared by several documents (actors, places, markings) once per envelope."""
    seen: dict[tuple[str, str], dict] = {}
    for obj in objects:
        seen.setdefault((obj["id"], str(obj.get("modified") or obj.get("created") or "")), obj)
    return list(seen.values())


def _finish(store: Store, partner: Partner, direction: str, report: SyncReport) -> None:
    """Note the run on the sync state (the cursor stays as the last committed page left it) and audit it."""
    state: SyncState = rows.get_state(store, partner.id, direction)
    now = dt.datetime.now(dt.timezone.utc)
    state.last_run_at = now
    state.runs += 1
    state.last_error = report.error
    if report.ok:
        state.last_success_at = now
    rows.save_state(store, state)
    audit.record(
        store, None, "sync", "partner", partner.id,
        {"direction": direction, "pages": report.pages, "objects": report.objects, "documents": report.documents,
         "failed_objects": report.failed_objects, "error": report.error, "status": report.status},
    )
