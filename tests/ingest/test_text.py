from pathlib import Path

from vigil.ingest import decode_text, iter_documents
from vigil.model.records import Document, IngestError, content_hash


def test_plain_text_file(tmp_path: Path, settings, report) -> None:
    path = tmp_path / "report.txt"
    path.write_text(report, encoding="utf-8")
    [doc] = iter_documents([path], settings)
    assert isinstance(doc, Document)
    assert doc.text == report
    assert doc.id == f"doc-{content_hash(report)[:16]}"
    assert doc.source == str(path)
    assert doc.media_type == "text/plain"
    assert doc.published is None


def test_encodings_bom_cp1252_latin1() -> None:
    assert decode_text("\ufeffZarqāwī".encode("utf-8")) == "Zarqāwī"
    assert decode_text("“quoted” – café".encode("cp1252")) == "“quoted” – café"
    assert decode_text(b"caf\xe9 \x81") == "café \x81"  # 0x81 is undefined in cp1252
    assert decode_text("Mosul".encode("utf-16")) == "Mosul"


def test_crlf_and_spaces_normalised_before_the_document(tmp_path: Path, settings) -> None:
    path = tmp_path / "wire.md"
    path.write_bytes(b"KABUL, Aug 3   (Reuters) -\r\n\r\n\r\nA blast   hit a mosque.\r\n")
    [doc] = iter_documents([path], settings)
    assert doc.text == "KABUL, Aug 3 (Reuters) -\n\nA blast hit a mosque."


def test_empty_and_binary_text_files_are_errors(tmp_path: Path, settings) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n ")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    results = list(iter_documents([empty, binary], settings))
    assert all(isinstance(r, IngestError) for r in results)
    assert results[0].message == f"{empty}: no text"
    assert results[1].message == f"{binary}: looks like a binary file, not text"


def test_same_content_twice_gives_the_same_id(tmp_path: Path, settings, report) -> None:
    (tmp_path / "a.txt").write_text(report)
    (tmp_path / "b.txt").write_text(report.replace("\n\n", "\r\n\r\n") + "\n")
    first, second = iter_documents([tmp_path / "a.txt", tmp_path / "b.txt"], settings)
    assert first.id == second.id
    assert first.content_hash == second.content_hash
    assert first.source != second.source
