"""vigil_dates: dates found and normalised against the publication date."""

from datetime import date

import pytest

from vigil.nlp.extensions import get_value
from vigil.nlp.pipeline import build_pipeline

PUBLISHED = date(2023, 8, 28)  # a Monday


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(["vigil_sentences", "vigil_dates"])


def dates(nlp, text, published=PUBLISHED):
    doc = nlp.make_doc(text)
    doc._.published = published
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return [(span.text, get_value(span, "dates")["date"], get_value(span, "dates")["precision"]) for span in doc.spans["dates"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gunmen attacked on 30 July 2023.", ("30 July 2023", "2023-07-30", "day")),
        ("Gunmen attacked on July 30, 2023.", ("July 30, 2023", "2023-07-30", "day")),
        ("It happened on the 30th of July.", ("30th of July", "2023-07-30", "day")),
        ("Filed 2023-07-30.", ("2023-07-30", "2023-07-30", "day")),
        ("Filed 30/07/2023.", ("30/07/2023", "2023-07-30", "day")),
        ("Filed 07/30/2023.", ("07/30/2023", "2023-07-30", "day")),
        ("Filed 12/03/2023.", ("12/03/2023", "2023-03-12", "day")),
        ("Violence rose in July 2023.", ("July 2023", "2023-07", "month")),
        ("In July, the Islamic State attacked.", ("July", "2023-07", "month")),
        ("Clashes since mid-July.", ("mid-July", "2023-07", "month")),
        ("It began in July last year.", ("July last year", "2022-07", "month")),
        ("The bomb went off on Sunday.", ("Sunday", "2023-08-27", "day")),
        ("Sunday's attack killed three.", ("Sunday", "2023-08-27", "day")),
        ("They struck on Sunday night.", ("Sunday night", "2023-08-27", "day")),
        ("They struck last Monday.", ("last Monday", "2023-08-21", "day")),
        ("Police said yesterday.", ("yesterday", "2023-08-27", "day")),
        ("Police said today.", ("today", "2023-08-28", "day")),
        ("A blast last night.", ("last night", "2023-08-27", "day")),
        ("Raids this week.", ("this week", "2023-08-28", "week")),
        ("Raids last week.", ("last week", "2023-08-21", "week")),
        ("Raids last month.", ("last month", "2023-07", "month")),
        ("Raids last year.", ("last year", "2022", "year")),
        ("Violence rose earlier this year.", ("earlier this year", "2023", "year")),
        ("The group was founded in 2022.", ("2022", "2022", "year")),
        ("Active since early 2021.", ("early 2021", "2021", "year")),
        ("It attacked two days ago.", ("two days ago", "2023-08-26", "day")),
        ("It attacked three weeks ago.", ("three weeks ago", "2023-08-07", "week")),
        ("It attacked a week ago.", ("a week ago", "2023-08-21", "week")),
    ],
)
def test_dates_mixed_case(nlp, text, expected):
    assert dates(nlp, text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("STAYING SINCE 2 FEBRUARY.", ("2 FEBRUARY", "1990-02-02", "day")),
        ("THE ARMY DENIED TODAY THAT", ("TODAY", "1990-03-05", "day")),
        ("ON 30 JULY 1990 THE FARM", ("30 JULY 1990", "1990-07-30", "day")),
        ("LIMA, 2 FEB 90 (RADIO)", ("2 FEB 90", "1990-02-02", "day")),
        ("ATTACKED IN JANUARY", ("JANUARY", "1990-01", "month")),
        ("GIVEN TO DAS LAST MARCH, NOT ONLY", ("MARCH", "1990-03", "month")),
    ],
)
def test_dates_wire_all_caps(nlp, text, expected):
    assert dates(nlp, text, published=date(1990, 3, 5)) == [expected]


def test_issue_examples():
    nlp = build_pipeline(["vigil_sentences", "vigil_dates"])
    assert dates(nlp, "In July, the Islamic State attacked.", date(2023, 8, 28)) == [("July", "2023-07", "month")]
    assert dates(nlp, "In July, the Islamic State attacked.", date(2023, 3, 1)) == [("July", "2022-07", "month")]
    # Published on Monday 31 July 2023: "on Sunday" is the day before.
    assert dates(nlp, "The bomb went off on Sunday.", date(2023, 7, 31)) == [("Sunday", "2023-07-30", "day")]


@pytest.mark.parametrize(
    "text",
    [
        "Civilians may be killed.",
        "THEY MAY BE KILLED",
        "They will march on the capital.",
        "Protesters march in the capital.",
        "The attack killed 30 people and wounded 1200.",
        "The group grew in the 1990s.",
        "He read the Sunday Times.",
        "THEY NOTED THAT THIS MAY HAVE BEEN A TERRORIST ACT",
        "WOMEN PARTICIPATED IN THE MARCH ALONG WITH STUDENTS",
        "They plan to march to March Street.",
    ],
)
def test_no_false_dates(nlp, text):
    assert dates(nlp, text) == []


def test_count_after_month_is_not_a_day(nlp):
    assert dates(nlp, "In July 30 people were killed.") == [("July", "2023-07", "month")]
    assert dates(nlp, "On 30 July 90 people died.") == [("30 July", "2023-07-30", "day")]


def test_without_publication_only_absolute_dates(nlp):
    text = "On 30 July 2023, and again on Sunday, in July, yesterday."
    assert dates(nlp, text, published=None) == [("30 July 2023", "2023-07-30", "day")]


def test_weekday_with_full_date_is_one_mention(nlp):
    assert dates(nlp, "on Monday, 31 July 2023") == [("Monday, 31 July 2023", "2023-07-31", "day")]


def test_pipe_matches_call(nlp):
    texts = ["Attack on Sunday.", "Raids in July 2023."]
    docs = []
    for text in texts:
        doc = nlp.make_doc(text)
        doc._.published = PUBLISHED
        docs.append(doc)
    piped = list(nlp.get_pipe("vigil_dates").pipe(docs))
    assert [[s.text for s in d.spans["dates"]] for d in piped] == [["Sunday"], ["July 2023"]]
