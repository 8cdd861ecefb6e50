"""Partner and sync-state rows: the one place they are mapped to and from ``vigil.model.partners`` records."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from vigil.errors import StoreError
from vigil.model.access import Tlp
from vigil.model.partners import Partner, SyncState
from vigil.store.database import Store
from vigil.store.mapping import as_utc
from vigil.store.tables import PartnerRow, SyncStateRow

ERR_EXISTS = "partner: {id!r} already exists (remove it first, or pick another id)."


def insert_partner(store: Store, partner: Partner) -> None:
    try:
        with store.engine.begin() as connection:
            connection.execute(PartnerRow.__table__.insert().values(_to_row(partner)))
    except IntegrityError:
        raise StoreError(ERR_EXISTS.format(id=partner.id)) from None


def list_partners(store: Store) -> list[Partner]:
    with store.engine.connect() as connection:
        rows = connection.execute(select(PartnerRow.__table__).order_by(PartnerRow.id)).all()
    return [_from_row(row) for row in rows]


def get_partner(store: Store, partner_id: str) -> Partner | None:
    with store.engine.connect() as connection:
        row = connection.execute(select(PartnerRow.__table__).where(PartnerRow.id == partner_id)).first()
    return None if row is None else _from_row(row)


def delete_partner(store: Store, partner_id: str) -> bool:
    with store.engine.begin() as connection:
        connection.execute(delete(SyncStateRow.__table__).where(SyncStateRow.partner_id == partner_id))
        return connection.execute(delete(PartnerRow.__table__).where(PartnerRow.id == partner_id)).rowcount > 0


def set_partner_token(store: Store, partner_id: str, token_secret: str) -> bool:
    with store.engine.begin() as connection:
        result = connection.execute(
            update(PartnerRow.__table__).where(PartnerRow.id == partner_id).values(token_secret=token_secret)
        )
        return result.rowcount > 0


def set_partner_active(store: Store, partner_id: str, active: bool) -> bool:
    with store.engine.begin() as connection:
        result = connection.execute(update(PartnerRow.__table__).where(PartnerRow.id == partner_id).values(active=active))
        return result.rowcount > 0


def get_state(store: Store, partner_id: str, direction: str, connection=None) -> SyncState:  # noqa: ANN001
    """The state of one direction (a fresh one, not yet stored, before the first run)."""
    statement = select(SyncStateRow.__table__).where(
        SyncStateRow.partner_id == partner_id, SyncStateRow.direction == direction
    )
    if connection is None:
        with store.engine.connect() as own:
            row = own.execute(statement).first()
    else:
        row = connection.execute(statement).first()
    if row is None:
        return SyncState(partner_id=partner_id, direction=direction)
    values = dict(row._mapping)
    for name in ("last_run_at", "last_success_at"):
        if values[name] is not None:
            values[name] = as_utc(values[name])
    return SyncState(**values)


def put_state(connection, state: SyncState) -> None:  # noqa: ANN001 (a Connection in the caller's transaction)
    """Write ``state`` in the caller's transaction, so it moves with the page it describes."""
    table = SyncStateRow.__table__
    values = dict(state.__dict__)
    exists = connection.execute(
        select(table.c.partner_id).where(table.c.partner_id == state.partner_id, table.c.direction == state.direction)
    ).first()
    if exists is None:
        connection.execute(table.insert().values(values))
    else:
        connection.execute(
            update(table).where(table.c.partner_id == state.partner_id, table.c.direction == state.direction).values(values)
        )


def save_state(store: Store, state: SyncState) -> None:
    with store.engine.begin() as connection:
        put_state(connection, state)


def _to_row(partner: Partner) -> dict:
    return {
        "id": partner.id, "name": partner.name, "taxii_url": partner.taxii_url, "collection": partner.collection,
        "token_secret": partner.token_secret, "org_id": partner.org_id, "max_tlp": partner.max_tlp.value,
        "actors": list(partner.actors), "countries": list(partner.countries), "regions": list(partner.regions),
        "direction": partner.direction, "active": partner.active, "created_at": partner.created_at,
    }


def _from_row(row) -> Partner:  # noqa: ANN001 (a Row)
    return Partner(
        id=row.id, name=row.name, taxii_url=row.taxii_url, collection=row.collection, org_id=row.org_id,
        max_tlp=Tlp.parse(row.max_tlp), actors=tuple(row.actors or ()), countries=tuple(row.countries or ()),
        regions=tuple(row.regions or ()), direction=row.direction, active=bool(row.active),
        created_at=as_utc(row.created_at), token_secret=row.token_secret,
    )
