"""Errors on dashboard pages are pages too: a 404 page for an unknown id, the page's filter bar with
a clear message for a bad filter (400). Paths under ``/api`` keep the API's JSON errors.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from vigil.web.templating import page

ERR_NOT_FOUND = "No {what} with id {id!r}."
ERR_NO_PAGE = "There is no page at {path}."


class PageError(Exception):
    """A page that cannot be shown as asked: its status, a message naming the bad input, the page's title."""

    def __init__(self, status: int, message: str, *, title: str = "Error") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.title = title


def not_found(what: str, id: object) -> PageError:
    return PageError(404, ERR_NOT_FOUND.format(what=what, id=id), title=f"{what.capitalize()} not found")


def bad_filter(message: str, *, title: str) -> PageError:
    return PageError(400, message, title=title)


def install_page_errors(app: FastAPI) -> None:
    """Render PageError as HTML, and HTTP errors outside ``/api`` (unknown paths) as the error page."""
    api_http_handler = app.exception_handlers.get(StarletteHTTPException)

    @app.exception_handler(PageError)
    async def page_error(request: Request, error: PageError) -> Response:
        return error_page(request, error)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if _is_api(request.url.path) and api_http_handler is not None:
            return await api_http_handler(request, error)
        message = ERR_NO_PAGE.format(path=request.url.path) if error.status_code == 404 else str(error.detail)
        return error_page(request, PageError(error.status_code, message, title=f"Error {error.status_code}"))


def error_page(request: Request, error: PageError) -> Response:
    return page(
        request, "error.html", status_code=error.status, title=error.title, message=error.message, status=error.status
    )


def _is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")
