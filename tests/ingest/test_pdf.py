import os
from datetime import date
from pathlib import Path

from vigil.ingest import iter_documents, pdf_document
from vigil.model.records import Document, IngestError


def test_pdf_pages_become_paragraphs(tmp_path: Path, settings, pdf_maker) -> None:
    path = pdf_maker(
        tmp_path / "report.pdf",
        ["UN Monitoring Team report.", "Rifles were transferred to IS-K fighters."],
        title="Monitoring Team Report",
    )
    [doc] = iter_documents([path], settings)
    assert isinstance(doc, Document)
    assert doc.text == "UN Monitoring Team report.\n\nRifles were transferred to IS-K fighters."
    assert doc.title == "Monitoring Team Report"
    assert isinstance(doc.published, date)
    assert doc.media_type == "application/pdf"
    assert doc.source == str(path)


def test_wrapped_lines_are_joined(tmp_path: Path, pdf_maker) -> None:
    text = (
        "Fighters of the Islamic\nState attacked the town of Palma on Wednesday and held\n"
        "it for several days before withdrawing.\nThe army said it had retaken the port."
    )
    path = pdf_maker(tmp_path / "wrapped.pdf", [text])
    doc = pdf_document(path.read_bytes(), source="wrapped.pdf")
    assert "Islamic State attacked the town of Palma" in doc.text
    assert "withdrawing.\n\nThe army" in doc.text


def test_corrupt_pdf(tmp_path: Path, settings) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(os.urandom(4096))
    [error] = iter_documents([path], settings)
    assert isinstance(error, IngestError)
    assert error.source == str(path)
    assert error.message.startswith(f"{path}: not a readable PDF (")


def test_truncated_pdf(tmp_path: Path, settings, pdf_maker) -> None:
    good = pdf_maker(tmp_path / "good.pdf", ["Some text."]).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(good[: len(good) // 3])
    [result] = iter_documents([path], settings)
    assert isinstance(result, IngestError)
    assert "not a readable PDF" in result.message or "no extractable text" in result.message


def test_encrypted_pdf(tmp_path: Path, settings, pdf_maker) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = pdf_maker(
        tmp_path / "secret.pdf", ["Classified."], encrypt=StandardEncryption("secret", canPrint=0)
    )
    [error] = iter_documents([path], settings)
    assert error.message == f"{path}: not a readable PDF (it is encrypted with a password)"


def test_scanned_pdf_has_no_text(tmp_path: Path, settings) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(72, 72, 400, 600, fill=1)
    pdf.showPage()
    pdf.save()
    [error] = iter_documents([path], settings)
    assert error.message == f"{path}: no extractable text; it may be a scanned image"
