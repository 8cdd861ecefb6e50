"""Train the encoder entity tagger (adapters, feature embeddings, head) on labelled examples.

Fixed seeds, CPU, plain AdamW with a linear warm-up and decay. ``held`` (a slice of the
training file, never the dev set) is scored after each epoch so the number of epochs
can be chosen without looking at dev. Needs torch: imported by ``training`` only.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from vigil.nlp.learned.ner_bio import tag_set
from vigil.nlp.learned.ner_data import NerExample
from vigil.nlp.learned.ner_encoder import (
    EncoderSettings,
    EncoderTagger,
    feature_ids,
    load_base_encoder,
    load_piece_tokenizer,
    make_batch,
    windows,
)
from vigil.nlp.learned.ner_features import COLUMNS


@dataclass
class EncoderRun:
    """A trained model and what happened while training it."""

    model: EncoderTagger
    seconds: float
    history: list[dict] = field(default_factory=list)  # per epoch: loss (and held-out F1 when scored)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def vocabularies(examples: Sequence[NerExample]) -> list[list[str]]:
    """Per feature column: "<unk>" then the values seen in training, sorted."""
    seen: list[set[str]] = [set() for _ in COLUMNS]
    for example in examples:
        for row in example.features:
            for column, value in enumerate(row):
                seen[column].add(value)
    return [["<unk>", *sorted(values)] for values in seen]


def _pieces(examples: Sequence[NerExample], tokenizer, settings: EncoderSettings) -> list[tuple[list[str], np.ndarray, np.ndarray]]:
    """(words, feature ids, tag ids) per window of each example."""
    index = {tag: i for i, tag in enumerate(settings.tags)}
    items = []
    for example in examples:
        if not example.words:
            continue
        ids = feature_ids(example.features, settings.vocabularies)
        gold = np.array([index.get(tag, 0) for tag in example.tags or ["O"] * len(example.words)], dtype=np.int64)
        for start, end in windows(example.words, tokenizer):
            items.append((example.words[start:end], ids[start:end], gold[start:end]))
    return items


def _batches(items: list, batch_size: int, rng: random.Random) -> list[list]:
    """Shuffled batches of windows of similar length (less padding): sort within pools of 8 batches."""
    order = list(range(len(items)))
    rng.shuffle(order)
    pool = batch_size * 8
    batches = []
    for at in range(0, len(order), pool):
        group = sorted(order[at : at + pool], key=lambda i: len(items[i][0]))
        batches.extend([items[i] for i in group[b : b + batch_size]] for b in range(0, len(group), batch_size))
    rng.shuffle(batches)
    return batches


def train_encoder(
    examples: Sequence[NerExample],
    *,
    epochs: int,
    seed: int = 13,
    batch_size: int = 16,
    lr: float = 1e-3,
    settings: EncoderSettings | None = None,
    on_epoch: Callable[[int, EncoderTagger], dict] | None = None,
) -> EncoderRun:
    """Fine-tune adapters and head on labelled examples; ``on_epoch`` may score the model after each epoch."""
    seed_everything(seed)
    settings = settings or EncoderSettings(tags=tag_set(), vocabularies=vocabularies(examples))
    tokenizer = load_piece_tokenizer()
    model = EncoderTagger(load_base_encoder(), settings)
    items = _pieces(examples, tokenizer, settings)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=lr, weight_decay=0.01)
    steps = epochs * ((len(items) + batch_size - 1) // batch_size)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup))))
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    rng = random.Random(seed)
    history: list[dict] = []
    began = time.perf_counter()
    for epoch in range(1, epochs + 1):
        model.train()
        total = 0.0
        for chunk in _batches(items, batch_size, rng):
            batch = make_batch(tokenizer, [c[0] for c in chunk], [c[1] for c in chunk])
            gold = torch.full((len(chunk), batch.firsts.size(1)), -100, dtype=torch.long)
            for row, (_, _, tags) in enumerate(chunk):
                gold[row, : len(tags)] = torch.from_numpy(tags)
            scores = model(batch.pieces, batch.mask, batch.firsts, batch.features)
            loss = loss_fn(scores.reshape(-1, scores.size(-1)), gold.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            schedule.step()
            total += loss.item() * len(chunk)
        record = {"epoch": epoch, "loss": round(total / max(1, len(items)), 4), "seconds": round(time.perf_counter() - began, 1)}
        if on_epoch is not None:
            model.eval()
            with torch.no_grad():
                record.update(on_epoch(epoch, model))
        history.append(record)
    model.eval()
    return EncoderRun(model, time.perf_counter() - began, history)
