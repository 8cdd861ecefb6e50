"""API errors: one JSON shape, ``{"error": {"status": 400, "message": "..."}}``, with the right status.

Handlers return that shape for paths under ``/api``; other paths (the
dashboard pages) get FastAPI's default handling, which ``vigil.web`` may
replace with its own pages.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from vigil.errors import StoreError
from vigil.store.filters import BadFilter

API_PREFIX = "/api"
ERR_NOT_FOUND = "No {what} with id {id!r}."
ERR_STORE = "The store could not answer: {reason}"


class ApiError(Exception):
    """An error a client should see, with its HTTP status and a message naming the bad input."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def not_found(what: str, id: object) -> ApiError:
    return ApiError(404, ERR_NOT_FOUND.format(what=what, id=id))


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def error_body(status: int, message: str) -> dict:
    return {"error": {"status": status, "message": message}}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, message), status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """JSON errors under /api: ApiError as is, HTTP errors with their status, validation errors and
    filters the store cannot apply as 400, a store that cannot answer as 503."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.message, error.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):  # noqa: ANN202
        if not _is_api(request):
            return await http_exception_handler(request, error)
        return error_response(error.status_code, str(error.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError):  # noqa: ANN202
        if not _is_api(request):
            return await request_validation_exception_handler(request, error)
        return error_response(400, describe_validation(error))

    @app.exception_handler(BadFilter)
    async def bad_filter(request: Request, error: BadFilter) -> JSONResponse:
        return error_response(400, str(error))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, error: StoreError) -> JSONResponse:
        return error_response(503, ERR_STORE.format(reason=error))


def describe_validation(error: RequestValidationError) -> str:
    """'limit: Input should be a valid integer (got 'ten')' for the first problem, and how many more."""
    problems = error.errors()
    if not problems:
        return "Invalid request."
    first = problems[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part not in ("query", "body", "path"))
    given = f" (got {first['input']!r})" if "input" in first and not isinstance(first["input"], (dict, list)) else ""
    more = f"; and {len(problems) - 1} more problem(s)" if len(problems) > 1 else ""
    return f"{where or 'request'}: {first.get('msg', 'invalid')}{given}{more}"


def _is_api(request: Request) -> bool:
    path = request.url.path
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")
