"""Fetching http(s) URLs: timeouts, a user agent, and a size cap enforced while streaming."""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from vigil.errors import IngestFailure
from vigil.ingest import messages
from vigil.settings import Settings


@dataclass(frozen=True)
class Fetched:
    """A downloaded body with what the server said about it."""

    url: str
    data: bytes
    media_type: str | None
    charset: str | None


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def split_content_type(header: str | None) -> tuple[str | None, str | None]:
    """'text/html; charset=UTF-8' -> ('text/html', 'utf-8')."""
    if not header:
        return None, None
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'").lower()
    return media.strip().lower() or None, charset


class Fetcher:
    """One HTTP client for a whole ingest run; ``fetch`` raises ``IngestFailure`` with the reason."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: httpx.Client | None = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=httpx.Timeout(self.settings.url_timeout_s),
                headers={"User-Agent": self.settings.user_agent, "Accept": "*/*"},
                follow_redirects=True,
                max_redirects=5,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def fetch(self, url: str) -> Fetched:
        limit = self.settings.max_document_bytes
        timeout = self.settings.url_timeout_s
        deadline = time.monotonic() + timeout
        try:
            with self.client.stream("GET", url) as response:
                if response.status_code >= 400:
                    raise IngestFailure(
                        url, messages.HTTP_STATUS.format(status=response.status_code, phrase=response.reason_phrase)
                    )
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    size = messages.human_bytes(int(declared))
                    raise IngestFailure(url, messages.TOO_LARGE.format(size=size, limit=messages.human_bytes(limit)))
                chunks: list[bytes] = []
                received = 0
                for chunk in response.iter_bytes():
                    received += len(chunk)
                    if received > limit:
                        raise IngestFailure(url, messages.TOO_LARGE_STREAM.format(limit=messages.human_bytes(limit)))
                    if time.monotonic() > deadline:
                        raise IngestFailure(url, messages.TIMED_OUT.format(seconds=timeout))
                    chunks.append(chunk)
                media_type, charset = split_content_type(response.headers.get("content-type"))
                return Fetched(str(response.url), b"".join(chunks), media_type, charset)
        except httpx.TimeoutException:
            raise IngestFailure(url, messages.TIMED_OUT.format(seconds=timeout)) from None
        except httpx.ConnectError as exc:
            raise IngestFailure(url, messages.CONNECT_FAILED.format(detail=exc or type(exc).__name__)) from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise IngestFailure(url, messages.FETCH_FAILED.format(detail=messages.describe(exc))) from None
