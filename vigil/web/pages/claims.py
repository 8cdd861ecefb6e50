"""``/claims``: each contested proposition with who asserts and who denies it, beside the events recorded meanwhile."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from vigil.analysis.claims import group_claims
from vigil.api.deps import get_store
from vigil.store.database import Store
from vigil.web.filters import event_filter
from vigil.web.templating import page

router = APIRouter(include_in_schema=False)
GROUPS_PER_PAGE = 10  # each group looks up its recorded events: keep a page well under 500 ms


@router.get("/claims", response_class=HTMLResponse)
def claims(request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    filter = event_filter(request, title="Claims", paged=True, page_size=GROUPS_PER_PAGE)
    groups = group_claims(store, filter)
    return page(
        request,
        "claims.html",
        title="Claims",
        groups=groups,
        keep_params=["limit"],
    )
