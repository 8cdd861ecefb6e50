"""Number words and quantity bounds (vigil.nlp.values.numbers)."""

import pytest

from vigil.nlp.values.numbers import Quantity, parse_number, parse_quantity


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("43", 43),
        ("1,200", 1200),
        ("1.2 million", 1_200_000),
        ("forty-three", 43),
        ("Forty Three", 43),
        ("FORTY-THREE", 43),
        ("a dozen", 12),
        ("two hundred", 200),
        ("one hundred and twenty", 120),
        ("two thousand five hundred", 2500),
        ("three", 3),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "two three", "forty fifty", "people", "a"])
def test_parse_number_refuses_non_numbers(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("more than 40", (40, None)),
        ("MORE THAN 100", (100, None)),
        ("over 100", (100, None)),
        ("at least 54", (54, None)),
        ("43", (43, 43)),
        ("all 14", (14, 14)),
        ("between 20 and 30", (20, 30)),
        ("20-30", (20, 30)),
        ("twenty to thirty", (20, 30)),
        ("up to 30", (None, 30)),
        ("nearly 50", (None, 50)),
        ("almost 50", (None, 50)),
        ("about 30", (30, 30)),
        ("some 30", (30, 30)),
        ("around 30", (30, 30)),
        ("40-odd", (40, None)),
        ("100+", (100, None)),
        ("a dozen", (12, 12)),
        ("dozens", (24, None)),
        ("several", (3, None)),
        ("scores", (40, None)),
        ("hundreds", (200, None)),
    ],
)
def test_parse_quantity_bounds(text, bounds):
    quantity = parse_quantity(text)
    assert quantity is not None
    assert (quantity.min, quantity.max) == bounds


def test_vague_words_carry_acled_estimates():
    assert parse_quantity("dozens") == Quantity(24, None, 12)
    assert parse_quantity("several").estimate == 10
    assert parse_quantity("hundreds").estimate == 100


def test_parse_quantity_refuses_non_quantities():
    assert parse_quantity("people") is None
    assert parse_quantity("30 to 20") is None
