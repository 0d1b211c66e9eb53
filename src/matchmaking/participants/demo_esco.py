"""The ESCO occupations and skills the demo participants and placements are drawn from.

Real ESCO entries, looked up in the taxonomy by label: each occupation's skills are ESCO's own
occupation–skill relations where the data has them, otherwise the skills that best match the
occupation's label and description. Deterministic for a given data file.
"""

from __future__ import annotations

from functools import cache
from typing import TypedDict

from matchmaking.participants.esco_lookup import (
    EscoItem,
    esco,
    occupation_skills,
    search_occupations,
    search_skills,
)

# Jobs the seed documents' people are placed in (hospitality, care, logistics, retail, trades, ICT),
# each with the skills a host would ask for, found by ESCO label search. The ICT occupations have no
# phrases: their skills are ESCO's own occupation-skill relations.
DEMO_OCCUPATIONS: dict[str, tuple[str, ...]] = {
    "kitchen assistant": (
        "comply with food safety and hygiene",
        "clean kitchen equipment",
        "store kitchen supplies",
        "wash dishes",
        "prepare vegetables",
    ),
    "cook": (
        "cook meat dishes",
        "cook vegetable products",
        "comply with food safety and hygiene",
        "use food preparation techniques",
        "cooking techniques",
    ),
    "warehouse worker": (
        "store warehouse goods",
        "perform warehousing operations",
        "pack goods",
        "operate forklift",
        "manage warehouse inventory",
    ),
    "healthcare assistant": (
        "support nurses",
        "assist patients with personal hygiene",
        "communicate in healthcare",
        "measure vital signs",
        "apply hygiene standards",
    ),
    "shop assistant": (
        "assist customers",
        "stock shelves",
        "operate cash register",
        "maintain store cleanliness",
    ),
    "landscape gardener": (
        "perform ground maintenance activities",
        "use gardening equipment",
        "prune plants",
        "plant trees",
        "create garden areas",
    ),
    "child care worker": (
        "supervise children",
        "play with children",
        "attend to children's basic physical needs",
        "assist children in developing personal skills",
    ),
    "waiter/waitress": (
        "serve food in table service",
        "take food and beverage orders from customers",
        "serve beverages",
        "prepare the restaurant for service",
        "greet guests",
    ),
    "electrician": (
        "install electricity sockets",
        "electrical wiring diagrams",
        "test electrical equipment",
        "use measurement instruments",
        "electrical safety regulations",
    ),
    "office clerk": (
        "perform clerical duties",
        "perform office routine activities",
        "communicate by telephone",
        "organise business documents",
        "use spreadsheets software",
    ),
    "welder": (
        "operate welding equipment",
        "welding techniques",
        "join metals",
        "perform welding inspection",
    ),
    "carpenter": (
        "use power tools",
        "construct wood roofs",
        "install wood elements in structures",
        "measure materials",
        "saw wood",
    ),
    "hand packer": (
        "pack goods",
        "label components",
        "use packaging equipment",
        "ensure correct goods labelling",
    ),
    "care at home worker": (
        "provide domestic care",
        "tend to elderly people",
        "support social service users to live at home",
        "assist with personal hygiene",
    ),
    "social care worker": (
        "support social service users to live at home",
        "communicate with social service users",
        "support social service users in skills management",
    ),
    "bicycle mechanic": (
        "perform repairs on bicycles",
        "assemble bicycles",
        "tune bicycles",
        "advise customers on bicycles",
    ),
    "cashier": ("operate cash register", "process payments", "handle cash flow", "assist customers"),
    "security guard": (
        "patrol areas",
        "write security reports",
        "monitor building security",
        "alarm systems",
    ),
    "sales assistant": ("assist customers", "sell products", "contact customers", "stock shelves"),
    "domestic cleaner": (
        "clean building floors",
        "vacuum surfaces",
        "remove dust",
        "perform cleaning duties",
        "handle cleaning chemical agents",
    ),
    "construction painter": (
        "paint surfaces",
        "use painting equipment",
        "prepare surface for painting",
        "apply primer",
    ),
    "building cleaner": (
        "clean building floors",
        "perform cleaning duties",
        "cleaning techniques",
        "vacuum surfaces",
    ),
    "barista": (
        "prepare specialised coffee",
        "set up the coffee area",
        "handle bar equipment",
        "serve beverages",
    ),
    "forklift operator": (
        "operate forklift",
        "conduct forklift inspections",
        "pallets loading",
        "store warehouse goods",
    ),
    "youth worker": (
        "plan youth activities",
        "reach out to diverse youth",
        "youth work principles",
        "communicate with youth",
    ),
    "ICT help desk agent": (),
    "ICT technician": (),
    "web developer": (),
    "audio-visual technician": (),
}
# Skills useful in any job, added to some people and placements.
TRANSVERSAL = ("satisfy customers", "teamwork principles", "manage time", "have computer literacy")
SKILLS_PER_OCCUPATION = 8


class SkillRow(TypedDict):
    uri: str
    label: str


class OccupationRow(TypedDict):
    uri: str
    label: str
    skills: list[SkillRow]


def _exact(found: list[EscoItem], label: str) -> EscoItem | None:
    for item in found:
        if item.label.lower() == label.lower():
            return item
    return found[0] if found else None


def _row(item: EscoItem) -> SkillRow:
    return {"uri": item.uri, "label": item.label}


def _skills_for(occupation: EscoItem, phrases: tuple[str, ...]) -> list[SkillRow]:
    """ESCO's relations where present, else the best label-search hit of each phrase, else the
    skills suggested from the occupation's label and description."""
    if esco().skills_of_occupation(occupation.uri) or not phrases:
        return [_row(s) for s in occupation_skills(occupation.uri, limit=SKILLS_PER_OCCUPATION)]
    found: dict[str, SkillRow] = {}
    for phrase in phrases:
        hits = search_skills(phrase, limit=1)
        if hits:
            found.setdefault(hits[0].uri, _row(hits[0]))
    return list(found.values())


@cache
def demo_occupations() -> tuple[OccupationRow, ...]:
    rows: list[OccupationRow] = []
    for label, phrases in DEMO_OCCUPATIONS.items():
        occupation = _exact(search_occupations(label, limit=5), label)
        if occupation is None:
            continue
        skills = _skills_for(occupation, phrases)
        if skills:
            rows.append({"uri": occupation.uri, "label": occupation.label, "skills": skills})
    return tuple(rows)


@cache
def transversal_skills() -> tuple[SkillRow, ...]:
    found = (_exact(search_skills(label, limit=5), label) for label in TRANSVERSAL)
    return tuple(_row(item) for item in found if item is not None)
