#!/usr/bin/env python3
"""Generate the benchmark corpus: N news-length documents stitched from real Wikinews reports.

Reproducible: the same source file, N and seed give byte-identical output (the
SHA-256 is printed). Each document takes the title and publication date of a "base"
article, opens with that article's first sentences, then continues with runs of
consecutive sentences from other randomly chosen articles until it reaches a
target length drawn uniformly from [--min-words, --max-words] (default 500-800),
in paragraphs of 3 to 6 sentences separated by blank lines.

    python benchmarks/make_corpus.py                  # 3000 docs -> benchmarks/corpus/corpus.jsonl
    python benchmarks/make_corpus.py -n 200 --out /tmp/small.jsonl

Source: shared/data/corpus/wikinews-conflict.jsonl (CC BY 2.5, Wikinews contributors);
the generated files are git-ignored and regenerated on demand.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_OUT = HERE / "corpus" / "corpus.jsonl"
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")


def find_source() -> Path:
    for base in (REPO, Path.cwd()):
        for candidate in (base.parent / "shared" / "data" / "corpus", base / "shared" / "data" / "corpus"):
            path = candidate / "wikinews-conflict.jsonl"
            if path.is_file():
                return path
    raise SystemExit("wikinews-conflict.jsonl not found (looked in ../shared/data/corpus and shared/data/corpus); use --source")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(" ".join(text.split())) if len(s.split()) >= 3]


def make_corpus(articles: list[dict], n: int, seed: int, min_words: int, max_words: int) -> list[dict]:
    rng = random.Random(seed)
    sentences = [split_sentences(a["text"]) for a in articles]
    usable = [i for i, s in enumerate(sentences) if len(s) >= 3]
    docs = []
    for k in range(n):
        base = rng.choice(usable)
        target = rng.randint(min_words, max_words)
        take = rng.randint(3, 8)
        chosen = list(sentences[base][:take])
        words = sum(len(s.split()) for s in chosen)
        while words < target:
            other = sentences[rng.choice(usable)]
            start = rng.randrange(len(other))
            for s in other[start : start + rng.randint(3, 8)]:
                chosen.append(s)
                words += len(s.split())
                if words >= target:
                    break
        paragraphs, i = [], 0
        while i < len(chosen):
            size = rng.randint(3, 6)
            paragraphs.append(" ".join(chosen[i : i + size]))
            i += size
        article = articles[base]
        docs.append(
            {
                "id": f"bench-{seed}-{k:05d}",
                "title": article.get("title"),
                "published": article.get("published"),
                "text": "\n\n".join(paragraphs),
                "source": "vigil benchmark corpus (stitched Wikinews sentences)",
                "licence": "CC BY 2.5",
                "attribution": "Wikinews contributors",
            }
        )
    return docs


def ensure_corpus(path: Path = DEFAULT_OUT, n: int = 3000, seed: int = 13) -> Path:
    """Generate the default corpus if it is missing (used by the bench scripts)."""
    if not path.is_file():
        main(["-n", str(n), "--seed", str(seed), "--out", str(path)])
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=3000, help="number of documents (default 3000)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--min-words", type=int, default=500)
    parser.add_argument("--max-words", type=int, default=800)
    parser.add_argument("--source", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    source = args.source or find_source()
    articles = [json.loads(line) for line in source.open(encoding="utf-8") if line.strip()]
    docs = make_corpus(articles, args.n, args.seed, args.min_words, args.max_words)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)
    args.out.write_text(payload, encoding="utf-8")
    words = sum(len(d["text"].split()) for d in docs)
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    print(f"{args.out}: {len(docs)} documents, {words} words ({words / max(len(docs), 1):.0f}/doc), sha256 {digest[:16]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
