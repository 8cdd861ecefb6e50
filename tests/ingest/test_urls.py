from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from vigil.ingest import iter_documents
from vigil.model.records import Document, IngestError

pytestmark = pytest.mark.network

PAGE = (
    b'<html lang="en"><head><title>Raid in Kunduz</title>'
    b'<meta property="article:published_time" content="2023-05-02"></head>'
    b"<body><nav>Menu</nav><p>Security forces raided a hideout in Kunduz.</p></body></html>"
)
RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Local Wire</title>
<item><title>Item one</title><link>{base}/one.html</link><description>Summary one.</description>
<pubDate>Mon, 01 May 2023 09:00:00 GMT</pubDate></item>
<item><title>Item two</title><link>{base}/gone.html</link><description>Summary two.</description></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title>
<id>urn:a</id><updated>2023-01-01T00:00:00Z</updated><entry><title>Entry</title><id>urn:a:1</id>
<link href="http://example.invalid/e"/><updated>2023-01-02T00:00:00Z</updated><summary>Atom entry text.</summary></entry></feed>"""


def test_html_page(server, settings) -> None:
    url = server.add("/kunduz", content_type="text/html; charset=utf-8", body=PAGE)
    [doc] = iter_documents([url], settings)
    assert isinstance(doc, Document)
    assert doc.text == "Security forces raided a hideout in Kunduz."
    assert (doc.title, doc.published, doc.source, doc.url) == ("Raid in Kunduz", date(2023, 5, 2), url, url)
    assert server.requests[-1]["user-agent"] == settings.user_agent


def test_pdf_served_as_octet_stream(server, settings, tmp_path: Path, pdf_maker) -> None:
    body = pdf_maker(tmp_path / "r.pdf", ["Remote PDF report."]).read_bytes()
    url = server.add("/download?id=7", content_type="application/octet-stream", body=body)
    [doc] = iter_documents([url], settings)
    assert doc.text == "Remote PDF report." and doc.media_type == "application/pdf"


def test_plain_text_and_redirect(server, settings) -> None:
    target = server.add("/t.txt", content_type="text/plain; charset=cp1252", body="“Quoted” text.".encode("cp1252"))
    url = server.add("/old", status=301, headers={"Location": target}, body=b"")
    [doc] = iter_documents([url], settings)
    assert doc.text == "“Quoted” text."
    assert (doc.source, doc.url) == (url, target)


def test_rss_feed(server, settings) -> None:
    url = server.add("/feed", content_type="application/rss+xml", body=RSS.format(base=server.base).encode())
    one, two = iter_documents([url], settings)
    assert (one.text, one.title, one.publisher, one.source) == ("Summary one.", "Item one", "Local Wire", url)
    assert one.url == f"{server.base}/one.html" and one.published == date(2023, 5, 1)
    assert two.text == "Summary two."


def test_atom_feed_served_as_xml(server, settings) -> None:
    url = server.add("/atom", content_type="text/xml", body=ATOM)
    [doc] = iter_documents([url], settings)
    assert (doc.text, doc.publisher, doc.published) == ("Atom entry text.", "Atom Wire", date(2023, 1, 2))


def test_feed_follow_links(server, settings) -> None:
    server.add("/one.html", content_type="text/html", body=b"<html><body><p>The full article.</p></body></html>")
    url = server.add("/feed", content_type="application/rss+xml", body=RSS.format(base=server.base).encode())
    article, error = iter_documents([url], settings, follow_links=True)
    assert article.text == "The full article."
    assert (article.title, article.publisher, article.published) == ("Item one", "Local Wire", date(2023, 5, 1))
    assert article.source == article.url == f"{server.base}/one.html"
    assert isinstance(error, IngestError) and error.source == url
    assert error.message == f"{url}: entry 2 ('Item two'): HTTP 404 Not Found at {server.base}/gone.html"


def test_http_errors(server, settings) -> None:
    server.add("/boom", status=500, body=b"oops")
    missing, broken = iter_documents([f"{server.base}/nothing", f"{server.base}/boom"], settings)
    assert missing.message == f"{server.base}/nothing: HTTP 404 Not Found"
    assert broken.message == f"{server.base}/boom: HTTP 500 Internal Server Error"


def test_connection_refused_then_continues(server, settings, refused_url) -> None:
    ok = server.add("/ok.txt", body=b"Still here.")
    error, doc = iter_documents([refused_url, ok], settings)
    assert error.source == refused_url
    assert error.message.startswith(f"{refused_url}: could not connect (")
    assert doc.text == "Still here."


def test_timeout(server, settings) -> None:
    url = server.add("/slow", body=b"late", delay_s=1.0)
    [error] = iter_documents([url], replace(settings, url_timeout_s=0.2))
    assert error.message == f"{url}: timed out after 0.2 s"


def test_response_over_the_cap_while_streaming(server, settings) -> None:
    small = replace(settings, max_document_bytes=10_000)
    streamed = server.add("/big", body=b"x" * 200_000, send_length=False)
    declared = server.add("/declared", body=b"y" * 20_000)
    first, second = iter_documents([streamed, declared], small)
    assert first.message == f"{streamed}: response is over the 9.8 KiB limit (max_document_bytes); download stopped"
    assert second.message == f"{declared}: 19.5 KiB is over the 9.8 KiB limit (max_document_bytes)"


def test_unsupported_content_type(server, settings) -> None:
    url = server.add("/pic", content_type="image/png", body=b"\x89PNG....")
    [error] = iter_documents([url], settings)
    assert error.message == f"{url}: unsupported content type 'image/png'"

