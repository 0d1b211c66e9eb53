"""Build ``src/matchmaking/taxonomies/data/esco-vectors.npz``: text-model vectors of every ESCO skill and
occupation, for the cross-lingual skills search.

Usage (from the repository root)::

    .venv/bin/python scripts/build-esco-vectors.py [--output FILE] [--batch N]

Reads the ESCO data the package ships (``data/esco.json.gz``), embeds the texts that
``matchmaking.taxonomies.skill_vectors`` defines (as "passage: " texts) with the project's text
model and writes the file with the model's name, its dimension and checksums of the texts. The output
is deterministic: the same data, model and --batch give the same bytes. About 20 minutes of CPU time
(45 minutes on a busy two-core machine).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from matchmaking.engine.text_model import text_model
from matchmaking.taxonomies.esco import load_esco
from matchmaking.taxonomies.skill_vectors import VECTORS_FILE, all_texts, save_vectors


def embed(model, texts: list[str], batch: int, progress: Progress, label: str) -> np.ndarray:
    out = np.zeros((len(texts), model.dim), dtype=np.float32)
    task = progress.add_task(label, total=len(texts))
    for start in range(0, len(texts), batch):
        out[start : start + batch] = model.embed_passages(texts[start : start + batch])
        progress.update(task, advance=len(texts[start : start + batch]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=VECTORS_FILE)
    parser.add_argument(
        "--batch",
        type=int,
        default=1,
        help="texts per model call (1: the model pads a batch to its longest text)",
    )
    args = parser.parse_args(argv)
    model = text_model()
    if model is None:
        print("The text model cannot be loaded; nothing written.", file=sys.stderr)
        return 1
    esco = load_esco()
    texts, _, _, occupation_texts = all_texts(esco)
    started = time.perf_counter()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns) as progress:
        skills = embed(model, texts, args.batch, progress, "skills")
        occupations = embed(model, occupation_texts, args.batch, progress, "occupations")
    meta = save_vectors(
        args.output,
        model=model.name,
        dim=model.dim,
        esco=esco,
        skill_vectors=skills,
        occupation_vectors=occupations,
    )
    size = args.output.stat().st_size / 1e6
    print(
        f"{args.output.name}: {meta['skill_vectors']:,} skill vectors ({meta['skills']:,} skills), "
        f"{meta['occupations']:,} occupations, {meta['model']} ({meta['dim']} dimensions), "
        f"{size:.1f} MB, {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
