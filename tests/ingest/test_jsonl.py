import io
import json
from datetime import date
from pathlib import Path

from vigil.ingest import iter_documents
from vigil.model.records import Document, IngestError


def _line(**fields: object) -> str:
    return json.dumps(fields)


def test_contract_fields(tmp_path: Path, settings) -> None:
    path = tmp_path / "reports.jsonl"
    path.write_text(
        _line(
            id="r1", text="Al-Shabaab  attacked a base.", published="2023-08-01", title="Attack",
            url="https://x.example/1", source="Wire", publisher="Example", license="CC-BY-4.0",
            attribution="Example News", extra="ignored",
        )
        + "\n\n"
        + _line(text="Second report.", licence="CC0")
        + "\n",
        encoding="utf-8",
    )
    first, second = iter_documents([path], settings)
    assert first.id == "r1"
    assert first.text == "Al-Shabaab attacked a base."
    assert first.published == date(2023, 8, 1)
    assert (first.title, first.url, first.source, first.publisher) == ("Attack", "https://x.example/1", "Wire", "Example")
    assert (first.licence, first.attribution) == ("CC-BY-4.0", "Example News")
    assert first.media_type == "application/x-ndjson"
    assert second.id.startswith("doc-") and second.licence == "CC0"
    assert second.source == str(path)


def test_malformed_line_two_of_three(tmp_path: Path, settings) -> None:
    path = tmp_path / "reports.jsonl"
    path.write_text(
        _line(id="a", text="First.") + "\n" + '{"id": "b" "text": "Second."}\n' + _line(id="c", text="Third.") + "\n"
    )
    results = list(iter_documents([path], settings))
    assert [r.id for r in results if isinstance(r, Document)] == ["a", "c"]
    [error] = [r for r in results if isinstance(r, IngestError)]
    assert error.source == str(path)
    assert error.message.startswith(f"{path}:2: invalid JSON (Expecting ',' delimiter")


def test_each_contract_violation_names_its_line(tmp_path: Path, settings) -> None:
    path = tmp_path / "bad.ndjson"
    lines = [
        _line(id="x"),
        _line(id="x", text="   "),
        _line(text="Fine.", published="30/07/2023"),
        _line(text="Fine.", title=7),
        "[1, 2]",
        _line(text="Fine.", published="2023-07-30T10:00:00Z"),
    ]
    path.write_text("\n".join(lines))
    results = list(iter_documents([path], settings))
    messages = [r.message for r in results if isinstance(r, IngestError)]
    assert messages == [
        f'{path}:1: missing or empty "text"',
        f'{path}:2: missing or empty "text"',
        f"{path}:3: invalid \"published\" date '30/07/2023' (expected YYYY-MM-DD)",
        f"{path}:4: field 'title' must be a string, got a number",
        f"{path}:5: expected a JSON object, got a list",
    ]
    assert results[-1].published == date(2023, 7, 30)


def test_invalid_utf8_line(tmp_path: Path, settings) -> None:
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    results = list(iter_documents([path], settings))
    assert isinstance(results[0], Document)
    assert results[1].message.startswith(f"{path}:2: not valid UTF-8")


def test_stdin(settings) -> None:
    stdin = io.BytesIO(b'\xef\xbb\xbf{"id": "s1", "text": "From stdin."}\nnot json\n')
    doc, error = iter_documents(["-"], settings, stdin=stdin)
    assert doc.id == "s1" and doc.text == "From stdin."
    assert error.message.startswith("<stdin>:2: invalid JSON")


def test_over_long_line_is_rejected_and_reading_goes_on(tmp_path: Path, settings) -> None:
    from dataclasses import replace

    small = replace(settings, max_document_bytes=100)
    path = tmp_path / "r.jsonl"
    path.write_text(_line(text="x" * 500) + "\n" + _line(id="ok", text="Short.") + "\n")
    error, doc = iter_documents([path], small)
    assert error.message == f"{path}:1: line is over the 100 bytes limit (max_document_bytes)"
    assert doc.id == "ok"


def test_json_file_object_or_list(tmp_path: Path, settings) -> None:
    single = tmp_path / "one.json"
    single.write_text(_line(id="o", text="One."))
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": "A."}, {"title": "no text"}, {"text": "B."}]))
    results = list(iter_documents([single, many], settings))
    assert [r.text for r in results if isinstance(r, Document)] == ["One.", "A.", "B."]
    assert results[0].media_type == "application/json"
    [error] = [r for r in results if isinstance(r, IngestError)]
    assert error.message == f'{many}[2]: missing or empty "text"'


def test_text_kept_verbatim_when_not_normalising() -> None:
    from vigil.ingest import iter_jsonl

    raw = "Line  one.\r\n\r\n\r\nLine\ttwo. "
    lines = [json.dumps({"id": "v", "text": raw}) + "\n", "\n", json.dumps({"text": " \n "}) + "\n"]
    doc, error = iter_jsonl(lines, where="<stdin>", normalise=False)
    assert doc.text == raw
    assert error.message == '<stdin>:3: missing or empty "text"'
    [normalised] = iter_jsonl(lines[:1], where="<stdin>")
    assert normalised.text == "Line one.\n\nLine two."
    assert normalised.content_hash == doc.content_hash
