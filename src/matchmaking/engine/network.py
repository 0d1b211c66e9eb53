"""The network as the engine sees it: organisations, their opportunities, and what is known about them.

The field names are those of the interchange format, so records read from a file (or built from the
database) convert with ``Organisation.from_record`` / ``Opportunity.from_record`` without a mapping.
``Network`` adds what scoring needs across the whole network: how rare each practice topic is, a
text index of descriptions, and which organisations have already had an exchange.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, TypeVar

import numpy as np

from matchmaking.engine.reasons import Labeller, plain_label
from matchmaking.engine.text import TextIndex

REQUEST = "request"
OFFER = "offer"
PROJECT_PARTNERSHIP = "project-partnership"

_Record = TypeVar("_Record", "Organisation", "Opportunity")


def _from_record(cls: type[_Record], record: Any) -> _Record:
    """Copy the fields we know from any object (dataclass, model, namespace) that has them."""
    values: dict[str, Any] = {}
    for f in fields(cls):
        if hasattr(record, f.name):
            value = getattr(record, f.name)
            values[f.name] = tuple(value) if isinstance(value, list) else value
    return cls(**values)


@dataclass(frozen=True)
class Organisation:
    """A member organisation's profile: what it can show (expertise) and wants to learn (interests).

    Field names are the interchange format's, so records convert without a mapping
    (``from_record``).

    Attributes
    ----------
    id : str
    name, kind, country : str
    region : str or None
    languages, target_groups, expertise, interests : tuple of str
        Codes of the network's code lists.
    hosting_capacity : int
        How many visitors it can take at once; 0 means not stated.
    description : str
        Free text, compared with other descriptions.
    """

    id: str
    name: str = ""
    kind: str = ""
    country: str = ""
    region: str | None = None
    languages: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    expertise: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    hosting_capacity: int = 0
    description: str = ""

    @classmethod
    def from_record(cls, record: Any) -> Organisation:
        return _from_record(cls, record)


@dataclass(frozen=True)
class Opportunity:
    """An offer (we host, we provide) or a request (we want to go, we seek) of one organisation.

    Attributes
    ----------
    id, organisation : str
    type : str
        The kind of opportunity (job shadowing, study visit, project partnership …).
    direction : {"offer", "request"}
    topics, target_groups, languages : tuple of str
    earliest, latest : datetime.date or None
        The window in which the visit can happen; ``None`` is open.
    duration_days : int
    group_size : int
    description : str
    """

    id: str
    organisation: str
    type: str
    direction: str
    topics: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    earliest: date | None = None
    latest: date | None = None
    duration_days: int = 1
    group_size: int = 1
    description: str = ""

    @classmethod
    def from_record(cls, record: Any) -> Opportunity:
        return _from_record(cls, record)


def pair(a: str, b: str) -> frozenset[str]:
    """An unordered pair of organisation ids (exchange history does not care who visited whom)."""
    return frozenset((a, b))


class Network:
    """Everything one partner-matching run looks at, with the statistics that need all of it.

    How rare a topic is and which words are distinctive depend on the whole network, so they are
    computed once here rather than per pair.

    Parameters
    ----------
    organisations : iterable of Organisation
    opportunities : iterable of Opportunity
    past_exchanges : iterable of (str, str), optional
        Pairs of organisation ids that have had an exchange (novelty counts against them).
    labels : callable, optional
        Code → label for the reasons' text.
    vectors : mapping of str to numpy.ndarray, optional
        Unit-length vectors of the descriptions by document key (``"org:<id>"``, ``"opp:<id>"``, the
        texts of ``description_texts``), from any multilingual text model; without them the meaning
        of descriptions is not compared (``semantic`` is ``None``).
    region_names : mapping of str to str, optional
        Region code → name(s), so that a request naming a region can be read (``places``).

    Examples
    --------
    >>> network = Network([Organisation("a", expertise=("outreach",)), Organisation("b")], [])
    >>> round(network.topic_weight("outreach"), 2), round(network.topic_weight("unheard-of"), 2)
    (1.41, 2.1)
    """

    def __init__(
        self,
        organisations: Iterable[Organisation],
        opportunities: Iterable[Opportunity],
        *,
        past_exchanges: Iterable[tuple[str, str]] = (),
        labels: Labeller | None = None,
        vectors: Mapping[str, np.ndarray] | None = None,
        region_names: Mapping[str, str] | None = None,
    ) -> None:
        self.organisations: dict[str, Organisation] = {o.id: o for o in organisations}
        self.opportunities: dict[str, Opportunity] = {o.id: o for o in opportunities}
        self.past_exchanges = frozenset(pair(a, b) for a, b in past_exchanges)
        self.labels: Labeller = labels or plain_label
        self.topic_counts = self._topic_counts()
        self.text = TextIndex(self.description_texts())
        self.vectors: Mapping[str, np.ndarray] = vectors or {}
        self.region_names: Mapping[str, str] = region_names or {}

    @classmethod
    def from_records(
        cls, organisations: Iterable[Any], opportunities: Iterable[Any], **kwargs: Any
    ) -> Network:
        """Build from interchange records (or any objects with the same attribute names)."""
        return cls(
            [Organisation.from_record(o) for o in organisations],
            [Opportunity.from_record(o) for o in opportunities],
            **kwargs,
        )

    def organisation(self, organisation_id: str) -> Organisation:
        """The organisation, or a bare placeholder if only its id is known."""
        return self.organisations.get(organisation_id) or Organisation(id=organisation_id)

    def opportunity(self, opportunity_id: str) -> Opportunity:
        try:
            return self.opportunities[opportunity_id]
        except KeyError:
            raise KeyError(f"unknown opportunity {opportunity_id!r}") from None

    def with_open_opportunities(self) -> frozenset[str]:
        """Organisations that have at least one opportunity in this network."""
        return frozenset(o.organisation for o in self.opportunities.values())

    def _topic_counts(self) -> Counter[str]:
        """In how many organisations' profiles or opportunities each topic appears (once per organisation)."""
        per_org: dict[str, set[str]] = {}
        for org in self.organisations.values():
            per_org.setdefault(org.id, set()).update(org.expertise, org.interests)
        for opp in self.opportunities.values():
            per_org.setdefault(opp.organisation, set()).update(opp.topics)
        counts: Counter[str] = Counter()
        for topics in per_org.values():
            counts.update(topics)
        return counts

    def topic_weight(self, topic: str) -> float:
        """Rarity weight: ``1 + ln((N + 1) / (n_t + 1))`` for N organisations, n_t mentioning the topic.

        A topic everyone mentions weighs about 1; one only a few mention weighs 2–4, so matching a
        rare practice counts for more than matching a common one.
        """
        total = len(self.organisations) or 1
        return 1.0 + math.log((total + 1) / (self.topic_counts.get(topic, 0) + 1))

    def description_texts(self) -> list[tuple[str, str]]:
        """(document key, text) of every description compared: an organisation's own, and each
        opportunity's followed by its organisation's."""
        docs = [(f"org:{o.id}", o.description) for o in self.organisations.values()]
        for opp in self.opportunities.values():
            org = self.organisation(opp.organisation)
            docs.append((f"opp:{opp.id}", f"{opp.description}\n{org.description}"))
        return docs

    def semantic(self, a: str, b: str) -> float | None:
        """Cosine of the description vectors of documents ``a`` and ``b``; ``None`` if either is missing."""
        va, vb = self.vectors.get(a), self.vectors.get(b)
        if va is None or vb is None:
            return None
        return float(np.dot(va, vb))

    def had_exchange(self, a: str, b: str) -> bool:
        return pair(a, b) in self.past_exchanges
