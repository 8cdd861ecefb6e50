"""POST /api/documents (file, text, URL; size and type errors), GET /api/documents, /api/documents/{id}, export."""

from __future__ import annotations

import http.server
import json
import tempfile
import threading
from pathlib import Path

import anyio
import pytest

from vigil.api.uploads import FORM_OVERHEAD

COMMENTARY = "vigil-example-commentary-2023-08-28"
REPORT = "A roadside bomb killed three policemen in Quetta, Balochistan, on Monday, officials said."
HTML = (
    "<!doctype html><html><head><title>Blast in Peshawar</title>"
    '<meta property="article:published_time" content="2023-01-31"></head>'
    "<body><article><p>A suicide bomber killed 84 people at a mosque in Peshawar on Monday.</p></article></body></html>"
)


def stored_ids(client) -> set[str]:
    return {d["id"] for d in client.get("/api/documents", params={"limit": 1000}).json()["items"]}


def test_list_and_filter_documents(client):
    page = client.get("/api/documents", params={"limit": 5}).json()
    assert page["total"] >= 18 and len(page["items"]) == 5
    published = [d["published"] for d in page["items"]]
    assert published == sorted(published, reverse=True)
    in_pk_2023 = client.get("/api/documents", params={"country": "PK", "since": "2023-01-01"}).json()["items"]
    assert COMMENTARY in {d["id"] for d in in_pk_2023}
    assert all(d["published"] >= "2023-01-01" for d in in_pk_2023)
    titled = client.get("/api/documents", params={"text": "Bajaur"}).json()["items"]
    assert "vigil-example-bajaur-2023-07-31" in {d["id"] for d in titled}


def test_one_document_with_every_span(client):
    detail = client.get(f"/api/documents/{COMMENTARY}").json()
    text = detail["document"]["text"]
    kinds = {span["kind"] for span in detail["spans"]}
    assert {"entity", "event", "perpetrator", "relation", "claim", "weapon"} <= kinds
    for span in detail["spans"]:
        assert text[span["start"] : span["end"]].strip() == span["text"].strip() or span["kind"] == "event", span
    starts = [span["start"] for span in detail["spans"]]
    assert starts == sorted(starts)
    ttp = next(s for s in detail["spans"] if s["kind"] == "entity" and s["actor_id"] == "tehrik-e-taliban-pakistan")
    assert ttp["actor_name"] == "Tehrik-e-Taliban Pakistan"
    event = next(s for s in detail["spans"] if s["kind"] == "event")
    assert event["event_type"] == "Explosions/Remote violence" and event["place"]["country"] == "PK"
    assert event["fact_id"] in detail["event_ids"]
    assert len(detail["relation_ids"]) == len(detail["extraction"]["relations"])


def test_unknown_document_is_404(client, error_of):
    response = client.get("/api/documents/no-such-report")
    assert response.status_code == 404 and "no-such-report" in error_of(response)["message"]


def test_upload_a_text_file(fresh_client):
    response = fresh_client.post("/api/documents", files={"file": ("quetta.txt", REPORT.encode(), "text/plain")})
    assert response.status_code == 201, response.text
    result = response.json()
    [document_id] = result["created"]
    assert result["duplicates"] == [] and result["errors"] == [] and result["facts"]["events"] >= 1
    stored = fresh_client.get(f"/api/documents/{document_id}").json()["document"]
    assert stored["text"] == REPORT and stored["source"] == "upload:quetta.txt", "the file's name, not a temporary path"
    again = fresh_client.post("/api/documents", files={"file": ("copy.txt", REPORT.encode(), "text/plain")})
    assert again.status_code == 200 and again.json()["duplicates"] == [document_id]


@pytest.mark.parametrize("name", ["../../escaped.txt", "..\\..\\escaped.txt", "/tmp/escaped.txt", "sub/../../escaped.txt"])
def test_an_upload_cannot_escape_its_folder(fresh_client, tmp_path, monkeypatch, name):
    # Uploads are written into a fresh temporary folder under TMPDIR: point it at a folder of our own and
    # check that nothing lands beside it or anywhere outside it, whatever folders the file name carries.
    uploads = tmp_path / "tmp" / "inner"
    uploads.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(uploads))
    text = f"Gunmen killed three policemen in Quetta on Monday ({name})."
    response = fresh_client.post("/api/documents", files={"file": (name, text.encode(), "text/plain")})
    assert response.status_code == 201, response.text
    [document_id] = response.json()["created"]
    assert fresh_client.get(f"/api/documents/{document_id}").json()["document"]["source"] == "upload:escaped.txt"
    assert not list(tmp_path.rglob("escaped.txt")), "the file stayed inside its temporary folder and was removed"
    assert not Path("/tmp/escaped.txt").exists() and list(uploads.iterdir()) == []


def test_upload_an_html_file_reads_its_metadata(fresh_client):
    response = fresh_client.post("/api/documents", files={"file": ("peshawar.html", HTML.encode(), "text/html")})
    assert response.status_code == 201, response.text
    [document_id] = response.json()["created"]
    stored = fresh_client.get(f"/api/documents/{document_id}").json()["document"]
    assert stored["title"] == "Blast in Peshawar" and stored["published"] == "2023-01-31"
    assert "<p>" not in stored["text"] and stored["source"] == "upload:peshawar.html"


def test_an_uploaded_batch_keeps_the_sources_its_lines_give(fresh_client):
    lines = [{"text": "Gunmen killed two policemen in Quetta on Monday.", "published": "2023-02-06"},
             {"text": "A roadside bomb wounded four soldiers in Khost on Tuesday.", "source": "Example Wire"}]
    body = "".join(json.dumps(line) + "\n" for line in lines).encode()
    response = fresh_client.post("/api/documents", files={"file": ("batch.jsonl", body, "application/jsonl")})
    assert response.status_code == 201, response.text
    sources = [fresh_client.get(f"/api/documents/{d}").json()["document"]["source"] for d in response.json()["created"]]
    assert sorted(sources) == ["Example Wire", "upload:batch.jsonl"]


def test_upload_text_as_a_form_and_as_json(fresh_client):
    form = fresh_client.post(
        "/api/documents",
        data={"text": REPORT, "title": "Quetta blast", "published": "2023-03-06", "url": "https://news.example/q"},
    )
    assert form.status_code == 201, form.text
    [document_id] = form.json()["created"]
    stored = fresh_client.get(f"/api/documents/{document_id}").json()["document"]
    assert (stored["title"], stored["published"], stored["url"]) == ("Quetta blast", "2023-03-06", "https://news.example/q")
    other = "Gunmen shot dead two soldiers in Kunar on Friday, the ministry said."
    posted = fresh_client.post("/api/documents", json={"text": other, "published": "2023-03-10"})
    assert posted.status_code == 201 and len(posted.json()["created"]) == 1
    multipart_text = fresh_client.post("/api/documents", files={"text": (None, "Police arrested four suspects in Karachi.")})
    assert multipart_text.status_code == 201, multipart_text.text


@pytest.fixture
def local_site(tmp_path):
    """A web server on loopback serving ``tmp_path``; yields its base URL."""
    (tmp_path / "report.html").write_text(HTML, "utf-8")
    handler = lambda *args: http.server.SimpleHTTPRequestHandler(*args, directory=str(tmp_path))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.RequestHandlerClass.log_message = lambda *args: None  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.network
def test_upload_a_url_fetches_it(fresh_client, local_site):
    response = fresh_client.post("/api/documents", json={"url": f"{local_site}/report.html"})
    assert response.status_code == 201, response.text
    [document_id] = response.json()["created"]
    stored = fresh_client.get(f"/api/documents/{document_id}").json()["document"]
    assert stored["url"] == f"{local_site}/report.html" and stored["title"] == "Blast in Peshawar"
    missing = fresh_client.post("/api/documents", data={"url": f"{local_site}/gone.html"})
    assert missing.status_code == 400 and "404" in missing.json()["error"]["message"]


def test_a_corrupt_pdf_is_400_and_stores_nothing(fresh_client, error_of):
    response = fresh_client.post(
        "/api/documents", files={"file": ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "application/pdf")}
    )
    assert response.status_code == 400
    message = error_of(response)["message"]
    assert message.startswith("broken.pdf:") and "PDF" in message, "named as uploaded, not by its temporary path"
    assert stored_ids(fresh_client) == set()


def test_an_unknown_file_type_is_415_and_stores_nothing(fresh_client, error_of):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = fresh_client.post("/api/documents", files={"file": ("photo.png", png, "image/png")})
    assert response.status_code == 415 and "photo.png" in error_of(response)["message"]
    binary = fresh_client.post("/api/documents", files={"file": ("blob", b"\x00\x01\x02" * 50, "application/octet-stream")})
    assert binary.status_code == 415
    wrong_body = fresh_client.post("/api/documents", content=png, headers={"content-type": "image/png"})
    assert wrong_body.status_code == 415
    assert stored_ids(fresh_client) == set()


def test_oversized_uploads_are_413(fresh_client, error_of):
    big = ("A roadside bomb killed three policemen. " * 200).encode()  # 8 KiB over a 4 KiB limit
    as_file = fresh_client.post("/api/documents", files={"file": ("big.txt", big, "text/plain")})
    assert as_file.status_code == 413 and "max_document_bytes" in error_of(as_file)["message"]
    assert fresh_client.post("/api/documents", json={"text": big.decode()}).status_code == 413
    assert fresh_client.post("/api/documents", data={"text": big.decode()}).status_code == 413
    assert stored_ids(fresh_client) == set()


def test_an_oversized_body_is_refused_while_it_streams(fresh_client):
    """No Content-Length: the body is counted as it arrives and reading stops past the limit.

    Driven at the ASGI level, since the test client buffers a body before sending it.
    """
    chunks = 0

    async def receive() -> dict:
        nonlocal chunks
        chunks += 1
        return {"type": "http.request", "body": b"x" * 8192, "more_body": chunks < 100}  # 800 KiB in all

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/api/documents", "raw_path": b"/api/documents", "root_path": "", "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"host", b"test")],
        "client": ("127.0.0.1", 1234), "server": ("test", 80),
    }
    anyio.run(fresh_client.app, scope, receive, send)
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 413
    assert chunks <= (4096 + FORM_OVERHEAD) // 8192 + 2, "reading stopped soon after the limit"


def test_bad_upload_fields_are_400(fresh_client, error_of):
    assert "published" in error_of(fresh_client.post("/api/documents", json={"text": REPORT, "published": "soon"}))["message"]
    assert "Nothing to ingest" in error_of(fresh_client.post("/api/documents", json={}))["message"]
    assert fresh_client.post("/api/documents", json={"text": REPORT, "colour": "red"}).status_code == 400
    assert fresh_client.post("/api/documents", content=b"{not json", headers={"content-type": "application/json"}).status_code == 400
    assert fresh_client.post("/api/documents", json={"text": "   "}).status_code == 400
    assert stored_ids(fresh_client) == set()
