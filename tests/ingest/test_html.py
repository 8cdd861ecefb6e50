from datetime import date
from pathlib import Path

from vigil.ingest import html_document, iter_documents, strip_html

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Blast in Bajaur | Example News</title>
  <meta property="og:title" content="Blast kills 40 at rally in Bajaur">
  <meta property="og:site_name" content="Example News">
  <meta property="article:published_time" content="2023-07-30T14:05:00+05:00">
  <link rel="canonical" href="/world/bajaur-blast">
  <style>p { color: red }</style>
  <script>var tracking = "do not index";</script>
</head>
<body>
  <header><a href="/">Home</a> <nav>World | Politics</nav></header>
  <main>
    <h1>Blast kills 40 at rally in Bajaur</h1>
    <p>A suicide bomber struck a political rally in Bajaur on Sunday.
       Police said more than 40 people were killed</p>
    <p>The Islamic State group claimed the attack<br>in a statement.</p>
    <ul><li>First item</li><li>Second item</li></ul>
    <form><input name="q"> Subscribe to our newsletter</form>
    <aside>Related: other stories</aside>
  </main>
  <footer>Copyright Example News</footer>
</body>
</html>
"""


def test_readable_text_with_paragraph_breaks() -> None:
    doc = html_document(PAGE.encode(), source="page.html", url="https://news.example/x?id=1")
    assert doc.text == (
        "Blast kills 40 at rally in Bajaur\n\n"
        "A suicide bomber struck a political rally in Bajaur on Sunday. Police said more than 40 people were killed\n\n"
        "The Islamic State group claimed the attack\nin a statement.\n\n"
        "First item\n\nSecond item"
    )
    for boilerplate in ("tracking", "color", "Home", "World | Politics", "Subscribe", "Related", "Copyright"):
        assert boilerplate not in doc.text


def test_metadata() -> None:
    doc = html_document(PAGE.encode(), source="page.html", url="https://news.example/x?id=1")
    assert doc.title == "Blast kills 40 at rally in Bajaur"
    assert doc.publisher == "Example News"
    assert doc.published == date(2023, 7, 30)
    assert doc.language == "en"
    assert doc.url == "https://news.example/world/bajaur-blast"
    assert doc.media_type == "text/html"


def test_metadata_fallbacks(tmp_path: Path, settings) -> None:
    path = tmp_path / "page.htm"
    path.write_text(
        '<html lang="fr"><head><title>Attaque  à Gao</title><meta name="DC.date" content="12/03/2022"></head>'
        "<body><p>Des hommes armés ont attaqué un camp.</p></body></html>",
        encoding="utf-8",
    )
    [doc] = iter_documents([path], settings)
    assert doc.title == "Attaque à Gao"
    assert doc.language == "fr"
    assert doc.published == date(2022, 12, 3)
    assert doc.url is None
    assert doc.source == str(path)


def test_time_element_and_declared_charset() -> None:
    page = (
        '<html><head><meta charset="windows-1252"></head><body><article><time datetime="2021-05-04">4 May</time>'
        "<p>\u201cWe will fight on,\u201d the commander said.</p></article></body></html>"
    ).encode("cp1252")
    doc = html_document(page, source="x.html")
    assert doc.published == date(2021, 5, 4)
    assert "\u201cWe will fight on,\u201d the commander said." in doc.text


def test_page_without_text_is_an_error(tmp_path: Path, settings) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><body><nav>menu</nav><script>x()</script></body></html>")
    [error] = iter_documents([path], settings)
    assert error.message == f"{path}: no text"


def test_strip_html_fragment() -> None:
    assert strip_html("<p>One.</p><p>Two &amp; three.</p>") == "One.\n\nTwo & three."
    assert strip_html("plain words") == "plain words"
