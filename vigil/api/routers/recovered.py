"""Recovered weapons (add, import a CSV, list, one record, suspected origins) and weapons reported over time.

Over ``vigil.recovered`` and ``vigil.analysis.weapons``. An import stores the
good rows and answers 400 when any row is bad, with every bad row (number,
fields, why) in ``error.rows`` and what was stored in ``error.outcome``;
importing the fixed file again adds only what is new.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from vigil.analysis.weapon_origins import OriginReport
from vigil.analysis.weapons import WeaponGroupBy, WeaponSeries, weapons_over_time
from vigil.api.deps import filter_conditions, get_settings, get_store, parse_event_filter
from vigil.api.errors import ApiError, bad_request, error_body, not_found
from vigil.api.schemas import ErrorResponse
from vigil.errors import VigilError
from vigil.ingest import messages
from vigil.model.records import RecoveredWeapon
from vigil.recovered import (
    AddOutcome,
    ImportOutcome,
    RecoveredDetail,
    add_recovered,
    import_recovered_csv,
    recovered_detail,
    recovered_origins,
)
from vigil.settings import Settings
from vigil.store.database import Store
from vigil.store.recovered import NotOwner, RecoveredFilter, page_recovered
from vigil.workflow import document_marking
from vigil.store.views import Page

router = APIRouter(tags=["recovered weapons"], responses={400: {"model": ErrorResponse}})
ERR_ROWS = "{bad} of {rows} row(s) could not be imported ({stored} stored): {first}"
ERR_TOO_LARGE = "The CSV is over the {limit} limit (max_document_bytes)."
ERR_COUNTRY = "{name}: {value!r} is not a two-letter ISO 3166-1 code."
_CHUNK = 1 << 16


class RecoveredWeaponInput(BaseModel):
    """A recovered weapon to record: values as an analyst types them (normalised on the way in)."""

    model_config = ConfigDict(extra="forbid")

    id: Optional[str] = Field(default=None, description="an id of your own; default: derived from the serial number, make, model and date")
    weapon_class: Optional[str] = Field(default=None, description="class or model: 'assault rifle', 'AK-47'")
    make: Optional[str] = None
    model: Optional[str] = None
    calibre: Optional[str] = Field(default=None, examples=["5.56x45mm"])
    serial_number: Optional[str] = None
    serial_obliterated: bool = False
    markings: list[str] = Field(default_factory=list, examples=[["PROPERTY OF U.S. GOVT"]])
    country_of_manufacture: Optional[str] = Field(default=None, description="ISO code or country name")
    import_marks: list[str] = Field(default_factory=list, examples=[["ANA"]])
    recovered_on: Optional[str] = Field(default=None, description="YYYY-MM-DD, YYYY-MM, YYYY or YYYY-Www")
    recovered_precision: Optional[str] = Field(default=None, description="day, week, month or year")
    recovery_place: Optional[str] = Field(default=None, examples=["Spin Boldak, Kandahar, AF"])
    event_id: Optional[int] = None
    custody_notes: Optional[str] = None
    source: Optional[str] = None
    recorded_by: Optional[str] = None
    tlp: Optional[str] = Field(default=None, description="TLP 2.0 marking (default: the instance's default, TLP:CLEAR); "
                                                       "the record belongs to your organisation", examples=["amber"])


def recovered_filter(
    weapon_class: Optional[str] = Query(None, alias="type", description="Weapon class, case-insensitive"),
    country: Optional[str] = Query(None, description="Country of recovery, ISO 3166-1 alpha-2"),
    made_in: Optional[str] = Query(None, description="Country of manufacture, ISO 3166-1 alpha-2"),
    since: Optional[dt.date] = Query(None, description="Recovered on or after (first day of the recovery date)"),
    until: Optional[dt.date] = Query(None, description="Recovered on or before"),
    event: Optional[int] = Query(None, description="Linked to this event id"),
    text: Optional[str] = Query(None, description="Words in the serial number, make, model, markings, import marks or custody notes"),
    obliterated: Optional[bool] = Query(None, description="Serial number obliterated (true) or legible (false)"),
    limit: int = Query(50, ge=1, le=1000, description="Items per page"),
    offset: int = Query(0, ge=0, description="Items to skip"),
) -> RecoveredFilter:
    for name, value in (("country", country), ("made_in", made_in)):
        if value is not None and (len(value.strip()) != 2 or not value.strip().isalpha()):
            raise bad_request(ERR_COUNTRY.format(name=name, value=value))
    try:
        return RecoveredFilter(weapon_class=weapon_class, country=country, made_in=made_in, since=since, until=until,
                               event_id=event, text=text, obliterated=obliterated, limit=limit, offset=offset)
    except ValueError as error:
        raise bad_request(str(error)) from None


@router.get("/recovered-weapons", response_model=Page[RecoveredWeapon], summary="List recovered weapons")
def list_recovered_weapons(
    filter: RecoveredFilter = Depends(recovered_filter), store: Store = Depends(get_store)
) -> Page[RecoveredWeapon]:
    """Recorded weapons, most recently recovered first, with every tracing field."""
    return page_recovered(store, filter)


@router.post(
    "/recovered-weapons",
    response_model=AddOutcome,
    status_code=201,
    summary="Record a recovered weapon",
    responses={200: {"model": AddOutcome, "description": "Already stored (updated or unchanged)"}},
)
def add_recovered_weapon(
    body: RecoveredWeaponInput,
    response: Response,
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> AddOutcome:
    """Check, normalise (class, calibre, country, place) and store one record, marked ``tlp`` and owned by
    your organisation; 400 names every bad field, 409 when a given id is another organisation's."""
    try:
        added = add_recovered(store, body.model_dump(exclude={"tlp"}), **document_marking(settings, store, body.tlp, None))
    except NotOwner as error:
        raise ApiError(409, str(error)) from None
    except VigilError as error:
        raise bad_request(str(error)) from None
    if added.status != "created":
        response.status_code = 200
    return added


@router.post(
    "/recovered-weapons/import",
    response_model=ImportOutcome,
    status_code=201,
    summary="Import recovered weapons from a CSV file",
    responses={200: {"model": ImportOutcome, "description": "Nothing new (every row already stored)"},
               413: {"model": ErrorResponse}},
)
def import_recovered_weapons(
    response: Response,
    file: UploadFile = File(..., description="CSV with a header row; see `vigil weapons import --help` for the columns"),
    source: Optional[str] = Form(None, description="Source for rows that name none (default: the file name)"),
    recorded_by: Optional[str] = Form(None, description="Analyst for rows that name none"),
    tlp: Optional[str] = Form(None, description="TLP 2.0 marking of every row (default TLP:CLEAR); they belong to your organisation"),
    store: Store = Depends(get_store),
    settings: Settings = Depends(get_settings),
) -> ImportOutcome | JSONResponse:
    """Store every good row; 400 with ``error.rows`` (row, fields, message) when any row is bad."""
    content = _read_capped(file, settings.max_document_bytes)
    defaults = {name: value for name, value in (("source", source), ("recorded_by", recorded_by)) if value}
    try:
        outcome = import_recovered_csv(store, content, name=file.filename or "upload.csv", defaults=defaults,
                                       **document_marking(settings, store, tlp, None))
    except NotOwner as error:
        raise ApiError(409, str(error)) from None
    except VigilError as error:
        raise bad_request(str(error)) from None
    if outcome.errors:
        message = ERR_ROWS.format(bad=len(outcome.errors), rows=outcome.rows, stored=outcome.imported, first=outcome.errors[0].message)
        body = error_body(400, message)
        body["error"]["rows"] = [problem.model_dump() for problem in outcome.errors]
        body["error"]["outcome"] = outcome.model_dump()
        return JSONResponse(body, status_code=400)
    if not outcome.created:
        response.status_code = 200
    return outcome


@router.get("/recovered-weapons/origins", response_model=OriginReport, summary="Shares per suspected origin")
def recovered_weapon_origins(
    filter: RecoveredFilter = Depends(recovered_filter), store: Store = Depends(get_store)
) -> OriginReport:
    """Every matching record (paging ignored) matched against the known-origin patterns: the share per suspected
    origin with its count, 95% Wilson interval, obliterated serials and the patterns matched; each weapon's match."""
    return recovered_origins(store, filter.everything())


@router.get(
    "/recovered-weapons/{weapon_id}",
    response_model=RecoveredDetail,
    responses={404: {"model": ErrorResponse}},
    summary="One recovered weapon",
)
def recovered_weapon(weapon_id: str, store: Store = Depends(get_store)) -> RecoveredDetail:
    """The record and the patterns it matches, with its suspected origin."""
    detail = recovered_detail(store, weapon_id)
    if detail is None:
        raise not_found("recovered weapon", weapon_id)
    return detail


@router.get("/weapons/over-time", response_model=WeaponSeries, summary="Weapon mentions per period")
def weapon_mentions_over_time(
    by: WeaponGroupBy = Query("class", description="actor, class, calibre or origin (the words reports use)"),
    period: Literal["month", "week"] = Query("month", description="month, or week (ISO weeks)"),
    top: Optional[int] = Query(None, ge=1, le=100, description="Only the largest groups (default: all)"),
    conditions: dict = Depends(filter_conditions),
    store: Store = Depends(get_store),
) -> WeaponSeries:
    """Weapon mentions extracted from reports per month or week, in total and per group, gap-free; a mention counts on
    its event's date, else its report's publication date."""
    series = weapons_over_time(store, parse_event_filter(conditions, default_limit=None), by=by, period=period)
    return series.top(top) if top else series


def _read_capped(file: UploadFile, limit: int) -> bytes:
    """The upload's bytes; 413 as soon as it passes ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while chunk := file.file.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise ApiError(413, ERR_TOO_LARGE.format(limit=messages.human_bytes(limit)))
        chunks.append(chunk)
    return b"".join(chunks)
