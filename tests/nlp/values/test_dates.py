"""Calendar arithmetic relative to a publication date (vigil.nlp.values.dates)."""

from datetime import date, datetime

from vigil.nlp.values import dates as cal


def test_iso_truncates_to_precision_and_weeks_start_on_monday():
    day = date(2023, 7, 30)  # a Sunday
    assert cal.iso(day, "day") == "2023-07-30"
    assert cal.iso(day, "week") == "2023-07-24"
    assert cal.iso(day, "month") == "2023-07"
    assert cal.iso(day, "year") == "2023"


def test_latest_month_is_not_after_publication():
    assert cal.latest_month(7, date(2023, 8, 28)) == (2023, 7)
    assert cal.latest_month(7, date(2023, 3, 1)) == (2022, 7)
    assert cal.latest_month(8, date(2023, 8, 28)) == (2023, 8)


def test_latest_weekday():
    monday = date(2023, 7, 31)
    assert cal.latest_weekday(6, monday) == date(2023, 7, 30)  # "on Sunday" = yesterday
    assert cal.latest_weekday(0, monday) == monday  # "on Monday" = today
    assert cal.latest_weekday(0, monday, "last") == date(2023, 7, 24)
    assert cal.latest_weekday(2, monday, "next") == date(2023, 8, 2)


def test_latest_day_allows_a_grace_period_ahead():
    published = date(2023, 8, 28)
    assert cal.latest_day(7, 30, published) == date(2023, 7, 30)
    assert cal.latest_day(9, 30, published) == date(2022, 9, 30)
    assert cal.latest_day(9, 5, published, grace_days=31) == date(2023, 9, 5)
    assert cal.latest_day(2, 29, published) == date(2020, 2, 29)


def test_shift_and_two_digit_years():
    published = date(2023, 3, 31)
    assert cal.shift(published, "day", -2) == date(2023, 3, 29)
    assert cal.shift(published, "month", -1) == date(2023, 2, 1)
    assert cal.shift(published, "month", -3) == date(2022, 12, 1)
    assert cal.shift(published, "year", -1) == date(2022, 1, 1)
    assert cal.expand_year(90, None) == 1990
    assert cal.expand_year(5, None) == 2005
    assert cal.expand_year(90, date(1990, 2, 3)) == 1990
    assert cal.expand_year(23, date(2023, 1, 1)) == 2023


def test_day_first_unless_impossible():
    assert cal.day_first(12, 3) == (12, 3)
    assert cal.day_first(7, 30) == (30, 7)
    assert cal.day_first(31, 31) is None


def test_as_date_accepts_datetimes():
    assert cal.as_date(datetime(2023, 8, 28, 10, 0)) == date(2023, 8, 28)
    assert cal.as_date(None) is None
