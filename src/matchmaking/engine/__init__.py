"""The matching engine: plain data in, scores, rankings, allocations and explanations out.

Pure Python with numpy/scipy (and OR-Tools for optimisation). It never imports Django or any other
part of the project, so it can be used as a library, from the command line on files, and inside the
web app alike. Everything below is the public API; the modules' other names may change.

>>> from matchmaking.engine import Participant, Placement, Skill, match
>>> found = match(Participant("p1", skills=(Skill("cook"),)), Placement("q1", required_skills=("cook",)))
>>> found.score, found.reasons[0].text
(60.0, 'Has 1 of 1 required skills')

Meetings of a brokerage event get a slot and a table each (``Placement`` of the scheduler is
exported here as ``MeetingPlacement``):

>>> from matchmaking.engine import Meeting, ScheduleProblem, Table, schedule_meetings
>>> event = ScheduleProblem(n_slots=3, tables=(Table(),), meetings=(Meeting(1, (7, 8)), Meeting(2, (7, 9))))
>>> result = schedule_meetings(event, time_limit=5)
>>> result.status, result.total_breaks, sorted(p.slot for p in result.placements) in ([0, 1], [1, 2])
('optimal', 0, True)
"""

from matchmaking.engine.allocation import stable_allocation
from matchmaking.engine.allocation_round import (
    OPTIMAL,
    STABLE,
    Monitoring,
    Outcome,
    RoundResult,
    allocate_scored,
    preference_lists,
    run_round,
    score_all,
)
from matchmaking.engine.fairness import FairnessAudit, GroupRate, fairness_audit
from matchmaking.engine.meetings import (
    Conflict,
    DznError,
    Meeting,
    ScheduleProblem,
    ScheduleResult,
    Table,
    greedy_schedule,
    read_dzn,
    schedule_meetings,
)
from matchmaking.engine.meetings import Placement as MeetingPlacement
from matchmaking.engine.network import Network, Opportunity, Organisation
from matchmaking.engine.optimal import CandidatePairs, OptimalAllocation, optimal_allocation
from matchmaking.engine.partner_rules import explain_exclusion
from matchmaking.engine.partners import (
    PartnerSuggestion,
    PartnerWeights,
    organisations_to_invite,
    spread_across_countries,
    suggest_partners,
)
from matchmaking.engine.people import (
    Language,
    Participant,
    Placement,
    PlacementMatch,
    PlacementWeights,
    Skill,
    exclusions,
    match,
)
from matchmaking.engine.ranking import (
    TopK,
    participant_matrix,
    placement_weight_matrix,
    recall_at_k,
    top_k,
    vocabulary_of,
)
from matchmaking.engine.reasons import Reason, plain_label
from matchmaking.engine.scoring import ScorePart, breakdown

__all__ = [
    "OPTIMAL",
    "STABLE",
    "CandidatePairs",
    "Conflict",
    "DznError",
    "FairnessAudit",
    "GroupRate",
    "Language",
    "Meeting",
    "MeetingPlacement",
    "Monitoring",
    "Network",
    "Opportunity",
    "OptimalAllocation",
    "Organisation",
    "Outcome",
    "Participant",
    "PartnerSuggestion",
    "PartnerWeights",
    "Placement",
    "PlacementMatch",
    "PlacementWeights",
    "Reason",
    "RoundResult",
    "ScheduleProblem",
    "ScheduleResult",
    "ScorePart",
    "Skill",
    "Table",
    "TopK",
    "allocate_scored",
    "breakdown",
    "exclusions",
    "explain_exclusion",
    "fairness_audit",
    "greedy_schedule",
    "match",
    "optimal_allocation",
    "organisations_to_invite",
    "participant_matrix",
    "placement_weight_matrix",
    "plain_label",
    "preference_lists",
    "read_dzn",
    "recall_at_k",
    "run_round",
    "schedule_meetings",
    "score_all",
    "spread_across_countries",
    "stable_allocation",
    "suggest_partners",
    "top_k",
    "vocabulary_of",
]
