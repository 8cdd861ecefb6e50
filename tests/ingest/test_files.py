import logging
import os
from dataclasses import replace
from pathlib import Path

import pytest

from vigil.ingest import iter_documents
from vigil.model.records import Document, IngestError


def test_directory_mixes_good_and_bad_files(tmp_path: Path, settings, pdf_maker, caplog) -> None:
    root = tmp_path / "inbox"
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "b.txt").write_text("Second report.")
    (root / "a.html").write_text("<html><body><p>First report.</p></body></html>")
    (root / "sub" / "c.pdf").write_bytes(b"%PDF-1.4 garbage")
    pdf_maker(root / "sub" / "d.pdf", ["Fourth report."])
    (root / "sub" / "e.jsonl").write_text('{"text": "Fifth."}\n{oops}\n')
    (root / "empty.md").write_text("")
    (root / "notes.docx").write_bytes(b"PK\x03\x04")
    (root / ".secret.txt").write_text("hidden")
    (root / ".hidden" / "x.txt").write_text("hidden too")

    with caplog.at_level(logging.WARNING, logger="vigil.ingest"):
        results = list(iter_documents([root], settings))

    docs = [r for r in results if isinstance(r, Document)]
    errors = {r.source: r.message for r in results if isinstance(r, IngestError)}
    assert [d.text for d in docs] == ["First report.", "Second report.", "Fourth report.", "Fifth."]
    assert set(errors) == {str(root / "empty.md"), str(root / "sub" / "c.pdf"), str(root / "sub" / "e.jsonl")}
    assert errors[str(root / "sub" / "c.pdf")].startswith(f"{root / 'sub' / 'c.pdf'}: not a readable PDF")
    assert errors[str(root / "sub" / "e.jsonl")].startswith(f"{root / 'sub' / 'e.jsonl'}:2: invalid JSON")
    assert "notes.docx" in caplog.text and "unsupported file type '.docx'" in caplog.text
    assert "hidden" not in " ".join(d.text for d in docs)


def test_explicit_bad_inputs_are_errors_and_iteration_goes_on(tmp_path: Path, settings) -> None:
    (tmp_path / "notes.docx").write_bytes(b"PK")
    (tmp_path / "ok.txt").write_text("Fine.")
    inputs = [tmp_path / "notes.docx", str(tmp_path / "missing.txt"), "ftp://example.org/x", tmp_path / "ok.txt"]
    *errors, doc = iter_documents(inputs, settings)
    assert [e.source for e in errors] == [str(tmp_path / "notes.docx"), str(tmp_path / "missing.txt"), "ftp://example.org/x"]
    assert errors[0].message.startswith(f"{tmp_path / 'notes.docx'}: unsupported file type '.docx'")
    assert errors[1].message == f"{tmp_path / 'missing.txt'}: no such file or directory"
    assert errors[2].message == "ftp://example.org/x: unsupported URL scheme 'ftp' (only http and https)"
    assert all(e.at is not None for e in errors)
    assert doc.text == "Fine."


def test_file_without_extension_is_sniffed(tmp_path: Path, settings) -> None:
    path = tmp_path / "REPORT"
    path.write_text("<!DOCTYPE html><html><body><p>Sniffed page.</p></body></html>")
    [doc] = iter_documents([path], settings)
    assert doc.text == "Sniffed page." and doc.media_type == "text/html"


def test_oversized_file_is_rejected_without_being_read(tmp_path: Path, settings, monkeypatch) -> None:
    small = replace(settings, max_document_bytes=1024)
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:  # sparse: 3 GiB on paper, nothing on disk
        handle.truncate(3 * 1024**3)

    def refuse(*args, **kwargs):
        raise AssertionError("the oversized file was opened")

    monkeypatch.setattr(Path, "open", refuse)
    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.setattr("builtins.open", refuse)
    [error] = iter_documents([big], small)
    assert error.message == f"{big}: 3.0 GiB is over the 1.0 KiB limit (max_document_bytes)"


def test_unexpected_reader_error_does_not_stop_the_run(tmp_path: Path, settings, monkeypatch) -> None:
    (tmp_path / "a.html").write_text("<p>A</p>")
    (tmp_path / "b.txt").write_text("B")

    def boom(*args, **kwargs):
        raise RuntimeError("parser exploded")

    monkeypatch.setattr("vigil.ingest.formats.html_document", boom)
    error, doc = iter_documents([tmp_path], settings)
    assert error.message == f"{tmp_path / 'a.html'}: unexpected error (RuntimeError: parser exploded)"
    assert doc.text == "B"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path: Path, settings) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("secret")
    path.chmod(0)
    try:
        [error] = iter_documents([path], settings)
    finally:
        path.chmod(0o600)
    assert error.message.startswith(f"{path}: cannot be read (")
