"""Synthetic but realistically shaped skill data for the ranking benchmark.

Shaped like ESCO: 13,939 skills and 3,007 occupations. ESCO as shipped here has no complete
occupation → skill relation, so occupation profiles are generated: each occupation belongs to one of
30 sectors and draws 20–40 skills from its sector's pool with Zipf-like frequencies (a few skills in
every profile of the sector, a long tail in few). One hundred transversal skills ("communication",
"teamwork" …) are shared by everybody with Zipf-like frequencies, so the most common appear in a
large share of placements and participants, as in real skills data.

* a placement: one occupation; 5–8 required skills from its profile plus 1–2 transversal ones;
  3 desired skills from the profile;
* a participant: 1–2 past occupations; 40–70 % of each profile's skills; 3–6 transversal skills;
  interested in one of their occupations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

SKILLS = 13_939
OCCUPATIONS = 3_007
TRANSVERSAL = 100
SECTORS = 30


@dataclass(frozen=True)
class SkillWorld:
    profiles: list[npt.NDArray[np.int64]]
    transversal_p: npt.NDArray[np.float64]


def zipf_probabilities(size: int, exponent: float = 1.1) -> npt.NDArray[np.float64]:
    weights = 1.0 / np.arange(1, size + 1) ** exponent
    return weights / weights.sum()


def make_world(rng: np.random.Generator) -> SkillWorld:
    specific = np.arange(TRANSVERSAL, SKILLS)
    rng.shuffle(specific)
    pools = np.array_split(specific, SECTORS)
    profiles = []
    for occupation in range(OCCUPATIONS):
        pool = pools[occupation % SECTORS]
        size = int(rng.integers(20, 41))
        chosen = rng.choice(pool, size=size * 2, p=zipf_probabilities(len(pool), 0.9))
        profiles.append(np.unique(chosen)[:size])
    return SkillWorld(profiles, zipf_probabilities(TRANSVERSAL, 1.2))


def _csr(
    rows: list[npt.NDArray[np.int64]], values: list[npt.NDArray[np.float32]], columns: int
) -> sp.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=indptr[1:])
    matrix = sp.csr_matrix((np.concatenate(values), np.concatenate(rows), indptr), shape=(len(rows), columns))
    matrix.sum_duplicates()
    return matrix


def placements(
    world: SkillWorld,
    count: int,
    rng: np.random.Generator,
    weights: tuple[float, float, float] = (60.0, 20.0, 20.0),
) -> sp.csr_matrix:
    """Placements × (skills + occupations): points per item, as ``placement_weight_matrix`` makes."""
    total = sum(weights)
    w_req, w_des, w_occ = (100.0 * w / total for w in weights)
    rows, values = [], []
    occupations = rng.integers(0, OCCUPATIONS, count)
    for occupation in occupations:
        profile = world.profiles[occupation]
        picks = rng.permutation(profile)
        n_req = int(rng.integers(5, 9))
        transversal = np.unique(rng.choice(TRANSVERSAL, int(rng.integers(1, 3)), p=world.transversal_p))
        required = np.unique(np.concatenate((picks[:n_req], transversal)))
        desired = np.setdiff1d(picks[n_req : n_req + 3], required)
        cols = np.concatenate((required, desired, [SKILLS + occupation]))
        vals = np.concatenate((
            np.full(len(required), w_req / len(required)),
            np.full(len(desired), w_des / max(len(desired), 1)),
            [w_occ],
        )).astype(np.float32)  # fmt: skip
        rows.append(cols)
        values.append(vals)
    return _csr(rows, values, SKILLS + OCCUPATIONS)


def participants(world: SkillWorld, count: int, rng: np.random.Generator) -> sp.csr_matrix:
    """Participants × (skills + occupations): 1 for every skill held and the occupation of interest."""
    rows, values = [], []
    for _ in range(count):
        past = rng.integers(0, OCCUPATIONS, int(rng.integers(1, 3)))
        held = [p[rng.random(len(p)) < rng.uniform(0.4, 0.7)] for p in (world.profiles[o] for o in past)]
        transversal = rng.choice(TRANSVERSAL, int(rng.integers(3, 7)), p=world.transversal_p)
        cols = np.unique(np.concatenate((*held, transversal, [SKILLS + past[0]])))
        rows.append(cols)
        values.append(np.ones(len(cols), dtype=np.float32))
    return _csr(rows, values, SKILLS + OCCUPATIONS)
