"""HTML pages: readable text with paragraph breaks, and the page's metadata."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from vigil.ingest.metadata import build_document, clean_field, parse_date, primary_language
from vigil.model.records import Document

HTML_MEDIA_TYPE = "text/html"

# Elements that never hold the report's prose.
DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "iframe", "svg", "canvas", "button", "select", "textarea", "head", "menu", "dialog",
)  # fmt: skip
# Elements that start a new paragraph (a blank line in the text).
PARAGRAPH_TAGS = (
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "pre", "ul", "ol", "dl", "li", "dt", "dd", "table", "figure", "figcaption", "address", "hr",
    "details", "summary", "center",
)  # fmt: skip
LINE_TAGS = ("br", "tr")
CELL_TAGS = ("td", "th")

# Private-use markers placed in the tree, resolved after whitespace is collapsed.
_PARA, _LINE = "\ue000", "\ue001"
_BREAKS = re.compile(f"[ {_PARA}{_LINE}]*[{_PARA}{_LINE}][ {_PARA}{_LINE}]*")
_WS = re.compile(r"\s+")

_DATE_META = (
    ("property", "article:published_time"),
    ("name", "article:published_time"),
    ("itemprop", "datePublished"),
    ("name", "date"),
    ("name", "dc.date"),
    ("name", "dc.date.issued"),
    ("name", "dcterms.date"),
    ("name", "dcterms.issued"),
    ("name", "pubdate"),
    ("name", "publish-date"),
    ("name", "publication_date"),
    ("property", "og:published_time"),
)


def parse_html(data: bytes | str, encoding: str | None = None) -> BeautifulSoup:
    """Parse with lxml; ``encoding`` is the HTTP charset, if any (the page's own meta wins otherwise)."""
    if isinstance(data, bytes):
        data = data.replace(_PARA.encode(), b"").replace(_LINE.encode(), b"")
        return BeautifulSoup(data, "lxml", from_encoding=encoding)
    return BeautifulSoup(data.replace(_PARA, "").replace(_LINE, ""), "lxml")


def _meta(soup: BeautifulSoup, attr: str, value: str) -> str | None:
    wanted = value.lower()
    for tag in soup.find_all("meta"):
        key = tag.get(attr)
        if isinstance(key, str) and key.strip().lower() == wanted:
            content = tag.get("content") or tag.get("datetime")
            if isinstance(content, str) and content.strip():
                return content.strip()
    return None


def _json_ld_date(soup: BeautifulSoup) -> str | None:
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except (ValueError, TypeError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    return item["datePublished"]
                stack.extend(v for v in item.values() if isinstance(v, (list, dict)))
    return None


def html_metadata(soup: BeautifulSoup, base_url: str | None = None) -> dict[str, object]:
    """Title, published date, publisher, language and canonical URL (call before ``html_text``)."""
    title = _meta(soup, "property", "og:title") or _meta(soup, "name", "twitter:title")
    if not title and soup.title and soup.title.string:
        title = soup.title.string
    published = None
    for attr, value in _DATE_META:
        published = parse_date(_meta(soup, attr, value))
        if published:
            break
    if not published:
        published = parse_date(_json_ld_date(soup))
    if not published:
        time_tag = soup.find("time", attrs={"datetime": True})
        if isinstance(time_tag, Tag):
            published = parse_date(time_tag.get("datetime"))
    html_tag = soup.find("html")
    language = primary_language(html_tag.get("lang")) if isinstance(html_tag, Tag) else None  # type: ignore[arg-type]
    url = None
    for link in soup.find_all("link", href=True):
        rel = link.get("rel") or []
        if "canonical" in [r.lower() for r in rel]:
            url = link["href"].strip()
            break
    url = url or _meta(soup, "property", "og:url") or base_url
    if url and base_url:
        url = urljoin(base_url, url)
    return {
        "title": clean_field(title),
        "published": published,
        "publisher": clean_field(_meta(soup, "property", "og:site_name")),
        "language": language,
        "url": url,
    }


def _content_root(soup: BeautifulSoup) -> Tag:
    """The single <article> or <main> when a page has one, else the body."""
    for name in ("article", "main"):
        found = soup.find_all(name)
        if len(found) == 1 and len(found[0].get_text(strip=True)) >= 200:
            return found[0]
    return soup.body or soup


def html_text(soup: BeautifulSoup) -> str:
    """Readable text: boilerplate dropped, blocks separated by blank lines (mutates ``soup``)."""
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    root = _content_root(soup)
    for pre in root.find_all("pre"):
        for string in pre.find_all(string=True):
            string.replace_with(string.replace("\n", _LINE))
    for tag in root.find_all(PARAGRAPH_TAGS):
        tag.insert_before(_PARA)
        tag.append(_PARA)
    for tag in root.find_all(LINE_TAGS):
        tag.insert_before(_LINE)
        tag.append(_LINE)
    for tag in root.find_all(CELL_TAGS):
        tag.append(" ")
    raw = _WS.sub(" ", root.get_text(""))
    return _BREAKS.sub(lambda m: "\n\n" if _PARA in m.group() else "\n", raw).strip()


def html_document(
    data: bytes | str, *, source: str, url: str | None = None, encoding: str | None = None
) -> Document:
    """A Document from an HTML page; ``url`` is where it was fetched from, if anywhere."""
    soup = parse_html(data, encoding)
    meta = html_metadata(soup, base_url=url)
    return build_document(html_text(soup), source=source, media_type=HTML_MEDIA_TYPE, **meta)


def strip_html(fragment: str) -> str:
    """Text of an HTML fragment (feed summaries), with the same paragraph rules."""
    if "<" not in fragment and "&" not in fragment:
        return fragment
    return html_text(parse_html(f"<html><body>{fragment}</body></html>"))
