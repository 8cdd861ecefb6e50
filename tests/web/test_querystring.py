"""The filter bar's view of the query string: what it keeps, drops and changes in links."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from vigil.web.querystring import FilterBar


def params(query: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(query).query)


def test_filter_values_are_stripped_and_empty_ones_dropped():
    bar = FilterBar.from_params({"country": " PK ", "actor": "", "text": "  ", "sort": "-fatalities", "offset": "50"})
    assert bar.values == {"country": "PK"}
    assert bar.extra == {"sort": "-fatalities", "offset": "50"}
    assert bar.active and bar.described() == "country PK"
    assert not FilterBar.from_params({"sort": "date"}).active


def test_links_keep_the_filter_and_apply_changes():
    bar = FilterBar.from_params({"country": "PK", "event_type": "Battles", "sort": "date", "offset": "50"})
    assert params(bar.query()) == {"country": ["PK"], "event_type": ["Battles"]}
    assert params(bar.query(actor="ttp", country=None)) == {"event_type": ["Battles"], "actor": ["ttp"]}
    assert params(bar.keep("sort", offset=100)) == {
        "country": ["PK"], "event_type": ["Battles"], "sort": ["date"], "offset": ["100"]
    }
    assert FilterBar().query() == ""


def test_values_are_url_encoded():
    bar = FilterBar.from_params({"event_type": "Explosions/Remote violence", "text": "a&b=c"})
    assert bar.query() == "?event_type=Explosions%2FRemote+violence&text=a%26b%3Dc"
