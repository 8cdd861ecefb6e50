from datetime import date
from pathlib import Path

from vigil.ingest import iter_documents
from vigil.model.records import Document, IngestError

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
  <title>Sahel Monitor</title>
  <link>https://sahel.example/</link>
  <language>en-us</language>
  <item>
    <title>Attack near Gao</title>
    <link>{link1}</link>
    <pubDate>Tue, 01 Aug 2023 08:30:00 GMT</pubDate>
    <description>&lt;p&gt;Gunmen attacked a convoy near Gao.&lt;/p&gt;&lt;p&gt;Five soldiers died.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Empty entry</title>
    <link>https://sahel.example/empty</link>
    <description></description>
  </item>
  <item>
    <title>Ceasefire talks</title>
    <link>{link2}</link>
    <pubDate>Wed, 02 Aug 2023 10:00:00 GMT</pubDate>
    <description>Mediators met in Niamey.</description>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Horn Watch</title>
  <id>urn:horn</id>
  <updated>2023-09-10T00:00:00Z</updated>
  <entry>
    <title>Al-Shabaab claims Mogadishu blast</title>
    <link href="https://horn.example/blast"/>
    <id>urn:horn:1</id>
    <published>2023-09-09T18:00:00Z</published>
    <updated>2023-09-10T00:00:00Z</updated>
    <summary>Short summary.</summary>
    <content type="html">&lt;p&gt;A car bomb exploded in Mogadishu.&lt;/p&gt;&lt;p&gt;Al-Shabaab said it carried out the attack.&lt;/p&gt;</content>
  </entry>
</feed>
"""


def rss(link1: str = "https://sahel.example/gao", link2: str = "https://sahel.example/talks") -> str:
    return RSS.format(link1=link1, link2=link2)


def test_rss_entries_become_documents(tmp_path: Path, settings) -> None:
    path = tmp_path / "sahel.rss"
    path.write_text(rss())
    first, error, second = iter_documents([path], settings)
    assert isinstance(first, Document) and isinstance(second, Document)
    assert first.text == "Gunmen attacked a convoy near Gao.\n\nFive soldiers died."
    assert first.title == "Attack near Gao"
    assert first.url == "https://sahel.example/gao"
    assert first.published == date(2023, 8, 1)
    assert first.publisher == "Sahel Monitor"
    assert first.source == str(path)
    assert first.media_type == "application/rss+xml"
    assert second.text == "Mediators met in Niamey."
    assert isinstance(error, IngestError)
    assert error.message == f"{path}: entry 2 ('Empty entry'): no text"


def test_atom_prefers_full_content(tmp_path: Path, settings) -> None:
    path = tmp_path / "horn.atom"
    path.write_text(ATOM)
    [doc] = iter_documents([path], settings)
    assert doc.text == "A car bomb exploded in Mogadishu.\n\nAl-Shabaab said it carried out the attack."
    assert doc.published == date(2023, 9, 9)
    assert doc.publisher == "Horn Watch"
    assert doc.url == "https://horn.example/blast"
    assert doc.media_type == "application/atom+xml"


def test_not_a_feed(tmp_path: Path, settings) -> None:
    path = tmp_path / "data.xml"
    path.write_text("<catalogue><book>x</book>")
    [error] = iter_documents([path], settings)
    assert error.message.startswith(f"{path}: not a readable RSS/Atom feed (")
