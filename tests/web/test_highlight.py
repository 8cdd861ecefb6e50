"""Server-side highlighting: nesting, crossing spans, escaping, anchors and the focused passage."""

from __future__ import annotations

import re

from vigil.web.highlight import Mark, parse_focus, render, span_anchor

TEXT = "Islamic State attacked a rally in Khar, Bajaur. Police said <more> later."


def at(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def plain(html: str) -> str:
    """The text back, without tags, entities decoded."""
    return re.sub(r"<[^>]+>", "", str(html)).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def balanced(html: str) -> bool:
    depth = 0
    for tag in re.findall(r"</?mark\b", str(html)):
        depth += -1 if tag.startswith("</") else 1
        if depth < 0:
            return False
    return depth == 0


def test_text_is_kept_and_escaped():
    html = render(TEXT, [Mark(*at("Police said <more>"), "claim-asserts", 'says "so" & <b>')])
    assert plain(html) == TEXT
    assert "<more>" not in str(html) and "&lt;more&gt;" in str(html)
    assert 'title="says &quot;so&quot; &amp; &lt;b&gt;"' in str(html)


def test_a_mention_inside_a_sentence_nests():
    sentence = Mark(*at("Islamic State attacked a rally in Khar, Bajaur."), "event", "event")
    actor = Mark(*at("Islamic State"), "organisation", "actor")
    html = str(render(TEXT, [actor, sentence]))
    assert html.index('id="span-0-47"') < html.index('id="span-0-13"')  # the longer span is the outer element
    assert balanced(html) and plain(html) == TEXT


def test_crossing_spans_split_into_fragments_that_share_the_span():
    place = Mark(*at("Khar, Bajaur"), "location", "place")
    quote = Mark(*at("Bajaur. Police"), "claim-denies", "quote")
    html = str(render(TEXT, [place, quote]))
    fragments = re.findall(r'<mark [^>]*data-span="(\d+-\d+)"[^>]*>', html)
    quote_key = "{}-{}".format(*at("Bajaur. Police"))
    assert fragments.count(quote_key) == 2  # closed with the place, reopened after it
    assert html.count(f'id="span-{quote_key}"') == 1  # only the first fragment is the anchor
    assert balanced(html) and plain(html) == TEXT


def test_same_input_same_html_whatever_the_order():
    marks = [
        Mark(*at("Islamic State"), "organisation", "a"),
        Mark(*at("Khar"), "location", "b"),
        Mark(*at("Khar, Bajaur"), "location", "c"),
        Mark(*at("attacked a rally in Khar"), "event", "d"),
    ]
    assert render(TEXT, marks) == render(TEXT, list(reversed(marks)))


def test_focus_outlines_an_existing_span_or_adds_one():
    khar = at("Khar")
    html = str(render(TEXT, [Mark(*khar, "location", "Khar")], focus=khar))
    assert re.search(rf'<mark id="{span_anchor(*khar)}" class="hl hl-location focus"', html)
    words = at("attacked a rally")
    html = str(render(TEXT, [], focus=words))
    assert f'id="{span_anchor(*words)}"' in html and "hl-focus" in html and plain(html) == TEXT


def test_spans_outside_the_text_are_ignored():
    html = render(TEXT, [Mark(5, 500, "event", "too long"), Mark(7, 7, "event", "empty")])
    assert str(html) == TEXT.replace("<", "&lt;").replace(">", "&gt;")


def test_parse_focus():
    assert parse_focus("3-9", 20) == (3, 9)
    for bad in (None, "", "9-3", "3-30", "a-b", "-1-4", "3"):
        assert parse_focus(bad, 20) is None


def test_extra_anchors_sit_at_the_start_of_the_first_fragment():
    quote = Mark(*at("Bajaur. Police"), "claim-denies", "quote", anchors=("claim-7",))
    place = Mark(*at("Khar, Bajaur"), "location", "place")
    html = str(render(TEXT, [quote, place]))
    assert html.count('<span id="claim-7" class="anchor"></span>') == 1
    start, end = at("Bajaur. Police")
    assert re.search(rf'<mark id="span-{start}-{end}"[^>]*><span id="claim-7" class="anchor"></span>Bajaur', html)
    assert plain(html) == TEXT
