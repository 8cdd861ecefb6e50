"""Reads of restricted records leave a trace: the detail routes call ``audit_read``.

A detail read of an AMBER, AMBER+STRICT or RED record by a logged-in viewer is written
to the audit log (``vigil.share.audit``). In single-user mode there is no one to
account for, so nothing is written.
"""

from __future__ import annotations

from fastapi import Request

from vigil.api.deps import get_viewer
from vigil.model.access import Tlp

AUDITED = (Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED)


def audit_read(request: Request, record_type: str, record_id: object, tlp: Tlp | str) -> None:
    """Audit the read of one record when its marking is AMBER or above and a viewer is logged in."""
    marking = Tlp(tlp)
    if marking in AUDITED and get_viewer(request) is not None:
        from vigil.api.auth import audit

        audit(request, "read", record_type, record_id, {"tlp": marking.value})
