"""Request and response shapes that belong to the API alone.

Lists and details reuse the store's read models (``vigil.store.views``):
they are already pydantic, frozen and documented, and converting them again
would only copy fields. What exists only over HTTP is declared here.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field

from vigil.model.records import IngestError


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"
    geojson = "geojson"


class ErrorDetail(BaseModel):
    status: int
    message: str


class ErrorResponse(BaseModel):
    """Every error: ``{"error": {"status": 400, "message": "..."}}``."""

    error: ErrorDetail


class TextUpload(BaseModel):
    """A report given as text (JSON body), or a URL for Vigil to fetch."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, description="the report's text")
    title: str | None = None
    published: dt.date | None = Field(default=None, description="publication date, YYYY-MM-DD")
    url: str | None = Field(default=None, description="with text: where it came from; alone: a page or feed to fetch")
    tlp: str | None = Field(default=None, description="TLP 2.0 marking of the new document (default: the instance's)")


class UploadResult(BaseModel):
    """What an upload did: the same outcome ``vigil ingest`` reports."""

    created: list[str] = Field(description="ids of the documents stored")
    duplicates: list[str] = Field(description="ids of documents already stored with the same content")
    withheld: int = Field(0, description="reports whose content is already stored in documents you may not read "
                                       "(not named: their ids are not yours to know)")
    errors: list[IngestError]
    facts: dict[str, int] = Field(description="rows written per kind of fact")
