"""Partners: add, list and remove the instances this one shares with, and what may be sent to each.

A partner is a TAXII 2.1 API root (another Vigil's ``.../taxii2/vigil/``), a collection there,
the token that partner gave us (sealed with ``vigil.share.secrets``, never stored or shown in
clear), the local organisation the exchange is made for, and what may be sent: a marking
ceiling (at most ``TLP:AMBER+STRICT``; ``TLP:RED`` never leaves), actor, country and region
filters, and a direction (push, pull or both).

The organisation (``org_id``) is the one the partnership belongs to here: what is pulled from
the partner is owned by it (so its members read the partner's ``TLP:AMBER``), and what is pushed
is what it may see, within the ceiling and the filters, never a record another partner sent
above ``TLP:GREEN``.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from vigil.errors import VigilError
from vigil.model.access import Tlp
from vigil.model.partners import DIRECTIONS, Partner
from vigil.settings import Settings
from vigil.share.secrets import SecretBox
from vigil.store import partners as rows
from vigil.store.accounts import get_organisation
from vigil.store.database import Store
from vigil.store.sharing import HIGHEST_SHAREABLE

ERR_ID = "partner id: {value!r} is not valid (2 to 100 lower-case letters, digits or '-', starting with a letter or digit)."
ERR_NAME = "name: give 1 to 300 characters."
ERR_URL = "taxii url: {value!r} is not an http(s) URL of a TAXII 2.1 API root (e.g. https://vigil.example.org/taxii2/vigil/)."
ERR_COLLECTION = "collection: give the partner's collection id or alias (e.g. all)."
ERR_TOKEN = "token: give the token the partner issued for us (it is stored encrypted)."
ERR_CEILING = "max tlp: {value} may not leave the instance; the highest ceiling is {top}."
ERR_DIRECTION = "direction: {value!r} is not one of: {choices}."
ERR_COUNTRY = "country: {value!r} is not a two-letter ISO 3166-1 code (e.g. PK)."
ERR_NO_ORG = "organisation: no organisation with id {value!r} (see `vigil orgs list`)."
ERR_NO_PARTNER = "partner: no partner with id {value!r} (see `vigil partners list`)."

_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,99}")


class PartnerError(VigilError):
    """Bad partner configuration, or no such partner; the message names the field."""


def add_partner(
    store: Store,
    settings: Settings,
    *,
    id: str,
    taxii_url: str,
    token: str,
    name: str | None = None,
    collection: str = "all",
    org_id: str = "local",
    max_tlp: str | Tlp = Tlp.GREEN,
    actors: tuple[str, ...] | list[str] = (),
    countries: tuple[str, ...] | list[str] = (),
    regions: tuple[str, ...] | list[str] = (),
    direction: str = "both",
) -> Partner:
    """Check and store a partner; its token is sealed under the instance's key first."""
    ceiling = _ceiling(max_tlp)
    if not _ID.fullmatch(id or ""):
        raise PartnerError(ERR_ID.format(value=id))
    name = (name or id).strip()
    if not 0 < len(name) <= 300:
        raise PartnerError(ERR_NAME)
    url = _api_root(taxii_url)
    if not collection or not collection.strip():
        raise PartnerError(ERR_COLLECTION)
    if not token or not token.strip():
        raise PartnerError(ERR_TOKEN)
    if direction not in DIRECTIONS:
        raise PartnerError(ERR_DIRECTION.format(value=direction, choices=", ".join(DIRECTIONS)))
    for country in countries:
        if len(country) != 2 or not country.isalpha():
            raise PartnerError(ERR_COUNTRY.format(value=country))
    if get_organisation(store, org_id) is None:
        raise PartnerError(ERR_NO_ORG.format(value=org_id))
    partner = Partner(
        id=id, name=name, taxii_url=url, collection=collection.strip(), org_id=org_id, max_tlp=ceiling,
        actors=_clean(actors), countries=tuple(c.upper() for c in _clean(countries)), regions=_clean(regions),
        direction=direction, active=True, created_at=dt.datetime.now(dt.timezone.utc),
        token_secret=SecretBox(settings.secret_key_file).seal(token.strip()),
    )
    rows.insert_partner(store, partner)
    return partner


def list_partners(store: Store) -> list[Partner]:
    return rows.list_partners(store)


def get_partner(store: Store, partner_id: str) -> Partner:
    partner = rows.get_partner(store, partner_id)
    if partner is None:
        raise PartnerError(ERR_NO_PARTNER.format(value=partner_id))
    return partner


def remove_partner(store: Store, partner_id: str) -> None:
    """Forget a partner, its sealed token and its sync state (records it sent stay, with their origin)."""
    if not rows.delete_partner(store, partner_id):
        raise PartnerError(ERR_NO_PARTNER.format(value=partner_id))


def set_active(store: Store, partner_id: str, active: bool) -> Partner:
    """Pause (``active`` False: ``vigil sync`` and the schedule skip it) or resume a partner."""
    if not rows.set_partner_active(store, partner_id, active):
        raise PartnerError(ERR_NO_PARTNER.format(value=partner_id))
    return get_partner(store, partner_id)


def set_token(store: Store, settings: Settings, partner_id: str, token: str) -> None:
    """Replace a partner's token (after they revoked the old one and issued a new one)."""
    if not token or not token.strip():
        raise PartnerError(ERR_TOKEN)
    if not rows.set_partner_token(store, partner_id, SecretBox(settings.secret_key_file).seal(token.strip())):
        raise PartnerError(ERR_NO_PARTNER.format(value=partner_id))


def partner_token(settings: Settings, partner: Partner) -> str:
    """The partner's token in clear, for the sync's Authorization header only."""
    return SecretBox(settings.secret_key_file).open(partner.token_secret)


def _ceiling(value: str | Tlp) -> Tlp:
    try:
        ceiling = value if isinstance(value, Tlp) else Tlp.parse(value)
    except ValueError as error:
        raise PartnerError(f"max tlp: {error}") from None
    if ceiling.rank > HIGHEST_SHAREABLE.rank:
        raise PartnerError(ERR_CEILING.format(value=ceiling.value, top=HIGHEST_SHAREABLE.value))
    return ceiling


def _api_root(value: str) -> str:
    parts = urlsplit((value or "").strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PartnerError(ERR_URL.format(value=value))
    url = parts.geturl()
    return url if url.endswith("/") else url + "/"


def _clean(values) -> tuple[str, ...]:  # noqa: ANN001 (an iterable of str)
    return tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))
