from vigil.ingest import normalise_text


def test_collapses_spaces_and_keeps_paragraphs() -> None:
    raw = "  First   line\twith  tabs.  \r\n\r\n\r\n\r\nSecond\u00a0paragraph.\rThird line.  "
    assert normalise_text(raw) == "First line with tabs.\n\nSecond paragraph.\nThird line."


def test_strips_control_and_zero_width_characters() -> None:
    assert normalise_text("\ufeffAl\u200b-Shabaab\x00 fighters\x07 \x85attacked") == "Al-Shabaab fighters attacked"


def test_composes_characters() -> None:
    assert normalise_text("Cafe\u0301") == "Caf\u00e9"


def test_blank_text_becomes_empty() -> None:
    assert normalise_text(" \n\t\x00 \n ") == ""
