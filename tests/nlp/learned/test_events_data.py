"""The labelled ACLED sentence set shipped with the event classifier."""

from __future__ import annotations

import json

import pytest

from vigil.errors import DataFileError
from vigil.model.taxonomy import event_types, is_sub_event_type
from vigil.nlp.learned.events_data import NONE_LABEL, default_path, load_sentences, split


def test_every_label_is_an_acled_sub_event_type_or_none():
    items = load_sentences()
    assert 1500 <= len(items) <= 3000
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


def test_articles_new_in_the_second_round_follow_the_hash_rule():
    """An article first labelled in round 2 is in test iff sha1(id) % 100 < 22 (ANNOTATION.md, Split)."""
    import hashlib

    rows = [json.loads(line) for line in default_path().read_text("utf-8").splitlines() if line.strip()]
    old = {r["article"] for r in rows if r.get("round") != 2}
    new = {r["article"]: r["split"] for r in rows if r.get("round") == 2 and r["source"] == "wikinews" and r["article"] not in old}
    assert new, "round 2 added sentences of articles not used before"
    for article, split_name in new.items():
        assert split_name == ("test" if int(hashlib.sha1(article.encode()).hexdigest(), 16) % 100 < 22 else "train")


def test_every_sub_event_type_has_training_examples():
    train = split(load_sentences(), "train")
    counts = {sub: 0 for subs in event_types().values() for sub in subs if sub != "Other"}
    for s in train:
        if s.label in counts:
            counts[s.label] += 1
    assert min(counts.values()) >= 8, counts


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
