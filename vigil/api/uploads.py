"""Reading an upload safely and handing it to ``workflow.ingest``, the path ``vigil ingest`` takes.

The body is counted while it arrives and refused (413) as soon as it passes
``Settings.max_document_bytes`` plus room for the form's own headers; a
declared Content-Length over that is refused before reading anything. Files
are kept by Starlette in spooled temporary files, never wholly in memory.

A file is written under its own name into a fresh temporary folder and
ingested from there, its documents stored with the source ``upload:NAME``
(never the temporary path); text becomes a one-line JSON Lines file (the ``vigil
extract`` input format, so title, published date and URL are checked the same
way); a URL alone is fetched by the ingest package.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request
from starlette.datastructures import UploadFile
from pydantic import ValidationError
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser

from vigil.api.errors import ApiError
from vigil.api.schemas import TextUpload
from vigil.ingest import messages
from vigil.ingest.files import kind_for_path
from vigil.ingest.sniff import EXTENSIONS
from vigil.model.access import Tlp
from vigil.settings import Settings

FORM_OVERHEAD = 64 * 1024  # multipart boundaries, part headers and the small fields beside a file
TEXT_SOURCE = "api upload"
UPLOAD_SOURCE = "upload:"  # an uploaded file's stored source: upload:report.pdf (never its temporary path)
ERR_TOO_LARGE = "The upload is over the {limit} limit (max_document_bytes)."
ERR_MEDIA_TYPE = (
    "Unsupported request type {media_type!r}: send multipart/form-data (a file, or text), "
    "application/x-www-form-urlencoded or application/json."
)
ERR_FILE_TYPE = "{name}: unsupported file type {suffix!r} (expected one of {expected})."
ERR_NOTHING = "Nothing to ingest: send a file, a text, or a url."
ERR_BAD_JSON = "The JSON body is not valid JSON ({detail})."
ERR_BAD_FORM = "The form could not be read ({detail})."
ERR_FIELD = "{field}: {detail}"
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass
class Upload:
    """What the client sent: a file on disk, a text, or a URL; ``inputs`` are for ``workflow.ingest``."""

    inputs: list[str]
    folder: Path | None = None
    tlp: str | None = None
    sources: dict[str, str] = field(default_factory=dict)  # a temporary file -> the source to store: upload:NAME

    def cleanup(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def shown(self, message: str) -> str:
        """A message with the temporary folder taken out, so it names the file as uploaded."""
        return message.replace(f"{self.folder}/", "") if self.folder is not None else message


async def read_upload(request: Request, settings: Settings) -> Upload:
    """Read and check the request body; raise ``ApiError`` (400, 413, 415) when it cannot be ingested."""
    limit = settings.max_document_bytes
    cap = limit + FORM_OVERHEAD
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise _too_large(limit)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = _capped(request.stream(), cap, limit)
    if media_type == "multipart/form-data":
        form = await _parse(MultiPartParser(request.headers, body, max_part_size=limit + 1), limit)
    elif media_type == "application/x-www-form-urlencoded":
        form = await _parse(FormParser(request.headers, body, max_part_size=limit + 1), limit)
    elif media_type == "application/json":
        return _text_upload(await _json_body(body), limit)
    else:
        raise ApiError(415, ERR_MEDIA_TYPE.format(media_type=media_type or "(none)"))
    file = form.get("file")
    tlp = form.get("tlp")
    if isinstance(file, UploadFile) and (file.filename or file.size):
        upload = await _file_upload(file, limit)
        upload.tlp = _marking(tlp if isinstance(tlp, str) and tlp else None)
        return upload
    fields = {name: form.get(name) for name in ("text", "title", "published", "url", "tlp")}
    return _text_upload({name: value for name, value in fields.items() if isinstance(value, str) and value}, limit)


async def _file_upload(file: UploadFile, limit: int) -> Upload:
    name = _safe_name(file.filename or "upload")
    if file.size is not None and file.size > limit:
        raise _too_large(limit)
    head = await file.read(2048)
    await file.seek(0)
    path = Path(name)
    kind = kind_for_path(path, head)  # by extension; without one, sniffed (PDF, feed, HTML, else text unless binary)
    if kind is None:
        raise ApiError(
            415, ERR_FILE_TYPE.format(name=name, suffix=path.suffix or "(none)", expected=" ".join(sorted(EXTENSIONS)))
        )
    folder = Path(tempfile.mkdtemp(prefix="vigil-upload-"))
    upload = Upload(inputs=[str(folder / name)], folder=folder, sources={str(folder / name): f"{UPLOAD_SOURCE}{name}"})
    try:
        with open(folder / name, "wb") as target:
            while chunk := await file.read(1 << 16):
                target.write(chunk)
    except OSError:
        upload.cleanup()
        raise
    return upload


def _text_upload(fields: dict, limit: int) -> Upload:
    try:
        given = TextUpload.model_validate(fields)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem.get("loc", ())) or "body"
        raise ApiError(400, ERR_FIELD.format(field=where, detail=problem.get("msg", "invalid"))) from None
    tlp = _marking(given.tlp)
    if given.text:
        if len(given.text.encode("utf-8")) > limit:
            raise _too_large(limit)
        record = {"text": given.text, "source": given.url or TEXT_SOURCE, "title": given.title, "url": given.url}
        if given.published is not None:
            record["published"] = given.published.isoformat()
        folder = Path(tempfile.mkdtemp(prefix="vigil-upload-"))
        path = folder / "text.jsonl"
        path.write_text(json.dumps({k: v for k, v in record.items() if v is not None}) + "\n", "utf-8")
        return Upload(inputs=[str(path)], folder=folder, tlp=tlp)
    if given.url:
        return Upload(inputs=[given.url], tlp=tlp)
    raise ApiError(400, ERR_NOTHING)


async def _parse(parser: FormParser | MultiPartParser, limit: int):  # noqa: ANN202 (a FormData)
    try:
        return await parser.parse()
    except MultiPartException as error:
        if "maximum size" in error.message:
            raise _too_large(limit) from None
        raise ApiError(400, ERR_BAD_FORM.format(detail=error.message)) from None


async def _json_body(body: AsyncIterator[bytes]) -> dict:
    data = b"".join([chunk async for chunk in body])
    try:
        parsed = json.loads(data or b"{}")
    except ValueError as error:
        raise ApiError(400, ERR_BAD_JSON.format(detail=error)) from None
    if not isinstance(parsed, dict):
        raise ApiError(400, ERR_BAD_JSON.format(detail=f"expected an object, got {type(parsed).__name__}"))
    return parsed


async def _capped(stream: AsyncIterator[bytes], cap: int, limit: int) -> AsyncIterator[bytes]:
    """The body's chunks, stopping with 413 once more than ``cap`` bytes have arrived."""
    received = 0
    async for chunk in stream:
        received += len(chunk)
        if received > cap:
            raise _too_large(limit)
        yield chunk


def _marking(value: str | None) -> str | None:
    """The ``tlp`` field checked (400 naming it when it is no TLP 2.0 marking)."""
    if value is None:
        return None
    try:
        return Tlp.parse(value).value
    except ValueError as error:
        raise ApiError(400, ERR_FIELD.format(field="tlp", detail=str(error))) from None


def _too_large(limit: int) -> ApiError:
    return ApiError(413, ERR_TOO_LARGE.format(limit=messages.human_bytes(limit)))


def _safe_name(name: str) -> str:
    """The file's own name, without folders or characters a file system may refuse."""
    base = Path(name.replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", base).strip(" .")
    return cleaned or "upload"
