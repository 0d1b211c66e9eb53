"""Build ``src/matchmaking/taxonomies/data/esco-vectors.npz``: text-model vectors of every ESCO skill and
occupation and of the skill labels in the network's other languages, for the cross-lingual skills search.

Usage (from the repository root)::

    .venv/bin/python scripts/build-esco-vectors.py [--output FILE] [--batch N] [--reuse [FILE]]

Reads the ESCO data the package ships (``data/esco.json.gz``) and the translated skill labels
(``data/skill-labels/<lang>.tsv``), embeds the texts that ``matchmaking.taxonomies.skill_vectors``
defines (as "passage: " texts) with the project's text model and writes the file with the model's name,
its dimension and checksums of the texts. The same data, model and --batch give the same bytes.

A full build takes about 20 minutes of CPU time for the English texts and 10 ms a translated label.
``--reuse`` takes from an existing file (by default the output) the English vectors when it embedded the
same ESCO texts, and the vectors of every translated label it already has, so that an edit of the labels
embeds only the new or changed ones.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from matchmaking.engine.text_model import normalise, text_model
from matchmaking.taxonomies.esco import load_esco
from matchmaking.taxonomies.skill_vectors import (
    VECTORS_FILE,
    all_texts,
    read_reusable,
    save_vectors,
    translated_texts,
)

LABEL_BATCH = 32
"""Translated labels are short: embedded 32 at a time, shortest first (so a batch pads little)."""


def embed(model, texts: list[str], batch: int, progress: Progress, label: str) -> np.ndarray:
    out = np.zeros((len(texts), model.dim), dtype=np.float32)
    task = progress.add_task(label, total=len(texts))
    for start in range(0, len(texts), batch):
        out[start : start + batch] = model.embed_passages(texts[start : start + batch])
        progress.update(task, advance=len(texts[start : start + batch]))
    return out


def embed_labels(model, texts: list[str], known: dict, progress: Progress) -> np.ndarray:
    """Vectors of the translated labels: reused by text where ``known`` has them, the others embedded
    once each, shortest first."""
    missing = sorted({t for t in texts if t not in known}, key=lambda t: (len(t), t))
    fresh = embed(model, missing, LABEL_BATCH, progress, "translated labels") if missing else None
    vectors = dict(known)
    if fresh is not None:
        vectors.update(zip(missing, normalise(fresh), strict=True))
    print(f"translated labels: {len(set(texts)) - len(missing):,} reused, {len(missing):,} embedded")
    out = np.zeros((len(texts), model.dim), dtype=np.float32)
    for i, text in enumerate(texts):
        out[i] = vectors[text]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=VECTORS_FILE)
    parser.add_argument(
        "--batch",
        type=int,
        default=1,
        help="English texts per model call (1: the model pads a batch to its longest text)",
    )
    parser.add_argument(
        "--reuse",
        type=Path,
        nargs="?",
        const=VECTORS_FILE,
        default=None,
        help="take the vectors an existing file already has (default file: the shipped one)",
    )
    args = parser.parse_args(argv)
    model = text_model()
    if model is None:
        print("The text model cannot be loaded; nothing written.", file=sys.stderr)
        return 1
    esco = load_esco()
    texts, _, _, occupation_texts = all_texts(esco)
    labels, _, _ = translated_texts(esco)
    skills = occupations = None
    known: dict = {}
    if args.reuse is not None and args.reuse.exists():
        skills, occupations, known = read_reusable(args.reuse, esco)
        print(f"reusing {args.reuse.name}: English vectors {'yes' if skills is not None else 'no'}")
    started = time.perf_counter()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns) as progress:
        if skills is None or occupations is None:
            skills = embed(model, texts, args.batch, progress, "skills")
            occupations = embed(model, occupation_texts, args.batch, progress, "occupations")
        label_vectors = embed_labels(model, labels, known, progress)
    meta = save_vectors(
        args.output,
        model=model.name,
        dim=model.dim,
        esco=esco,
        skill_vectors=skills,
        occupation_vectors=occupations,
        label_vectors=label_vectors,
    )
    size = args.output.stat().st_size / 1e6
    print(
        f"{args.output.name}: {meta['skill_vectors']:,} skill vectors ({meta['skills']:,} skills), "
        f"{meta['label_vectors']:,} translated labels ({', '.join(meta['label_languages']) or 'none'}), "
        f"{meta['occupations']:,} occupations, {meta['model']} ({meta['dim']} dimensions), "
        f"{size:.1f} MB, {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
