"""The labelled ACLED sentence set shipped with the event classifier."""

from __future__ import annotations

import json

import pytest

from vigil.errors import DataFileError
from vigil.model.taxonomy import event_types, is_sub_event_type
from vigil.nlp.learned.events_data import NONE_LABEL, default_path, load_sentences, split


def test_every_label_is_an_acled_sub_event_type_or_none():
    items = load_sentences()
    assert 800 <= len(items) <= 1500
    assert all(s.label == NONE_LABEL or is_sub_event_type(s.label) for s in items)
    present = {s.label for s in items}
    assert set(sub for subs in event_types().values() for sub in subs) - present <= {"Other"}


def test_splits_are_by_article_without_shared_sentences():
    items = load_sentences()
    train, test = split(items, "train"), split(items, "test")
    assert train and test and len(train) + len(test) == len(items)
    assert not {s.article for s in train} & {s.article for s in test}
    assert not {s.text.lower() for s in train} & {s.text.lower() for s in test}
    assert any(s.no_violence for s in test) and any(s.no_violence for s in train)


def test_wikinews_sentences_keep_their_attribution():
    for line in default_path().read_text("utf-8").splitlines():
        raw = json.loads(line)
        if raw["source"] == "wikinews":
            assert raw["attribution"] == "Wikinews contributors" and raw["license"] == "CC BY 2.5"
            assert raw["url"].startswith("https://en.wikinews.org/wiki/")


def test_an_article_in_both_splits_is_refused(tmp_path):
    lines = [
        {"id": "a", "text": "A bomb exploded.", "label": "Remote explosive/landmine/IED", "article": "x", "split": "train", "source": "synthetic"},
        {"id": "b", "text": "Two were hurt.", "label": "NONE", "article": "x", "split": "test", "source": "synthetic"},
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines), "utf-8")
    with pytest.raises(DataFileError, match="both splits"):
        load_sentences(path)


def test_an_unknown_label_is_named(tmp_path):
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "x", "label": "Bombing", "article": "x", "split": "train", "source": "s"}), "utf-8")
    with pytest.raises(DataFileError, match="'Bombing' is not an ACLED sub-event type"):
        load_sentences(path)
