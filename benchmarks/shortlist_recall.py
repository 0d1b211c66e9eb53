"""Recall of a round's shortlist against the full explained ranking, on a sample.

Generates engine records (skills from sector pools, two languages each, availability, support
needs, countries), builds each person's shortlist (``shortlist.shortlist``, k = 20), scores every
pair with ``people.match`` (the full pipeline's explained score) and compares: recall@20 counts a
shortlisted placement as right when its explained score reaches the person's 20th best explained
score among the placements they can take (ties count fairly, as ``ranking.recall_at_k``). Also
prints the share of people ranked again densely (fewer than 20 allowed among their 40 candidates).

    .venv/bin/python benchmarks/shortlist_recall.py --participants 300 --placements 1000
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import date

import numpy as np

from matchmaking.engine.people import Language, Participant, Placement, Skill, match
from matchmaking.engine.ranking import TopK, recall_at_k
from matchmaking.engine.shortlist import PlacementRules, score_features, shortlist

LANGUAGES = ("en", "sv", "es", "de", "fi")


def records(people: int, places: int, seed: int = 1) -> tuple[list[Participant], list[Placement]]:
    rng = random.Random(seed)
    skills = [f"esco:s{n}" for n in range(400)]
    sectors = [skills[i : i + 20] for i in range(0, 400, 20)]
    persons = []
    for n in range(people):
        pool = rng.choice(sectors)
        held = rng.sample(pool, rng.randint(3, 8)) + rng.sample(skills, 2)
        persons.append(
            Participant(
                f"p{n}",
                skills=tuple(Skill(s) for s in held),
                languages=tuple(
                    Language(c, rng.choice(("B1", "B2", "C1"))) for c in rng.sample(LANGUAGES, 2)
                ),
                available_from=date(2026, 3, 1),
                available_until=rng.choice((None, date(2026, 6, 1), date(2026, 9, 1))),
                support_requirements=frozenset({"mentor"}) if n % 7 == 0 else frozenset(),
                willing_to_go_abroad=rng.random() < 0.6,
                home_country="SE",
            )
        )
    placements = []
    for n in range(places):
        picked = rng.sample(rng.choice(sectors), 6)
        placements.append(
            Placement(
                f"q{n}",
                seats=1 + n % 8,
                required_skills=tuple(picked[:4]),
                desired_skills=tuple(picked[4:]),
                languages=(Language(rng.choice(LANGUAGES), "B1"),),
                start=date(2026, 4, 1),
                end=rng.choice((date(2026, 5, 30), date(2026, 8, 30))),
                country="SE" if n % 5 else "ES",
                support_offered=frozenset({"mentor"}) if n % 2 else frozenset(),
            )
        )
    return persons, placements


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--placements", type=int, default=1000)
    parser.add_argument("--k", type=int, default=20)
    args = parser.parse_args()
    people, places = records(args.participants, args.placements)
    started = time.process_time()
    lists = shortlist(people, places, k=args.k)
    short_cpu = time.process_time() - started
    started = time.process_time()
    full = [[match(p, q) for q in places] for p in people]
    full_cpu = time.process_time() - started
    k = args.k
    exact_idx = np.full((len(people), k), -1, np.int32)
    exact_score = np.zeros((len(people), k), np.float32)
    got_idx = np.full((len(people), k), -1, np.int32)
    got_score = np.zeros((len(people), k), np.float32)
    for i, row in enumerate(full):
        allowed = sorted((j for j, m in enumerate(row) if m.eligible), key=lambda j: -row[j].score)[:k]
        exact_idx[i, : len(allowed)] = allowed
        exact_score[i, : len(allowed)] = [row[j].score for j in allowed]
        mine = [j for j in lists[i] if row[j].eligible][:k]
        got_idx[i, : len(mine)] = mine
        got_score[i, : len(mine)] = [row[j].score for j in mine]
    recall = recall_at_k(TopK(got_idx, got_score), TopK(exact_idx, exact_score))
    a, w = score_features(people, places)
    candidates = (a @ w.T).toarray()
    allowed = PlacementRules.of(places).allowed(people)
    top = np.argsort(-candidates, axis=1, kind="stable")[:, : 2 * k]
    dense_share = float((np.take_along_axis(allowed, top, axis=1).sum(axis=1) < k).mean())
    print(
        f"{args.participants} × {args.placements}, k = {k}: recall@{k} of the shortlist against the full "
        f"explained ranking {recall:.4f}; people ranked again densely {dense_share:.0%}; CPU: shortlist "
        f"{short_cpu:.2f} s, scoring every pair with match() {full_cpu:.1f} s; load average "
        f"{os.getloadavg()[0]:.1f}, {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
