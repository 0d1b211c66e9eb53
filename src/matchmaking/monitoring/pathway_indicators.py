"""Indicators of the pathways of people furthest from the labour market: placements by labour-market
type, the Youth Guarantee clock, exits and retention, drop-out reasons and referrals. Every figure
counts people and is disclosure-controlled. A person is *in* a place (country, region, organisation,
kind) and in the caller's scope through the organisation whose caseload they are on.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.monitoring import disclosure
from matchmaking.monitoring import labels as names
from matchmaking.monitoring.cockpit import Table
from matchmaking.monitoring.filters import CockpitFilters, period, side
from matchmaking.participants.clock import add_months
from matchmaking.participants.models import AgeGroup, Participant
from matchmaking.pathways.models import Offer, Outcome, Referral, RetentionCheck
from matchmaking.placements import fairness_groups
from matchmaking.placements.models import Assignment, Proposal, Round


def _people(f: CockpitFilters, scope: set[int] | None, prefix: str) -> Q:
    return side(f, scope, prefix)


def placed_by_labour_market(f: CockpitFilters, scope: set[int] | None) -> Table:
    """Distinct people placed, by the placement's labour market: through a round (the host accepted
    the proposal) or through a single proposal the host accepted, by the decision's date."""
    people = _people(f, scope, "participant__organisation")
    in_rounds = (
        Proposal.objects.filter(people, status=Proposal.Status.ACCEPTED)
        .filter(period(f, "decided_at__date"))
        .values_list("placement__labour_market", "participant_id")
        .order_by()
    )
    single = (
        Assignment.objects.filter(people, proposal__isnull=True, status__in=Assignment.PLACED)
        .filter(period(f, "decided_at__date"))
        .values_list("placement__labour_market", "participant_id")
        .order_by()
    )
    placed = Counter(market for market, _person in in_rounds.union(single))  # UNION: each pair once
    counts = sorted(placed.items())
    table = Table(
        "placed-by-labour-market",
        _("People placed by labour-market type"),
        [("labour_market", _("Labour market")), ("people", _("People placed"))],
        people=True,
        labels=names.LABOUR_MARKETS,
    )
    if counts:
        shown = disclosure.protect([[n] for _code, n in counts], row_totals=False).shown()
        table.rows = [[code or "none", s[0]] for (code, _n), s in zip(counts, shown[:-1], strict=True)]
        table.total = ["total", shown[-1][0]]
    return table


def youth_guarantee(f: CockpitFilters, scope: set[int] | None) -> Table:
    """People whose clock started in the period: an offer within the limit, after it (a breach), or
    none yet (still running, or overdue)."""
    first_offer = (
        Offer.objects.filter(participant=OuterRef("pk"), offered_on__gte=OuterRef("clock_start_on"))
        .values("participant")
        .annotate(first=Min("offered_on"))
        .values("first")
    )
    people = (
        Participant.objects.filter(_people(f, scope, "organisation"), clock_start_on__isnull=False)
        .filter(period(f, "clock_start_on"))
        .annotate(first_offer=Subquery(first_offer))
        .values_list("age_group", "clock_start_on", "first_offer")
    )
    counts: dict[str, Counter[str]] = {"young": Counter(), "adult": Counter()}
    today = timezone.localdate()
    for age_group, started, offered in people.iterator():
        if started is None:  # excluded by the query; for the type checker
            continue
        group = "young" if age_group == AgeGroup.YOUNG else "adult"
        months = (
            settings.YOUTH_GUARANTEE_YOUNG_MONTHS
            if group == "young"
            else settings.YOUTH_GUARANTEE_ADULT_MONTHS
        )
        due = add_months(started, months)
        if offered:
            counts[group]["within" if offered <= due else "breach"] += 1
        else:
            counts[group]["overdue" if today > due else "running"] += 1
    columns = ["within", "breach", "running", "overdue"]
    table = Table(
        "youth-guarantee",
        _("Youth Guarantee: offers within the limit"),
        [
            ("age_group", _("Age group")),
            ("within", _("Offer within the limit")),
            ("breach", _("Offer after the limit")),
            ("running", _("No offer yet, within the limit")),
            ("overdue", _("No offer, past the limit")),
            ("people", _("People")),
        ],
        people=True,
        labels=names.AGE_GROUPS,
    )
    rows = [g for g in ("young", "adult") if counts[g]]
    if rows:
        shown = disclosure.protect([[counts[g][c] for c in columns] for g in rows]).shown()
        table.rows = [[g, *values] for g, values in zip(rows, shown[:-1], strict=True)]
        table.total = ["total", *shown[-1]]
    return table


def exits(f: CockpitFilters, scope: set[int] | None) -> Table:
    """Exits recorded in the period, by type."""
    outcomes = Outcome.objects.filter(_people(f, scope, "participant__organisation")).filter(
        period(f, "exit_on")
    )
    counts = dict(outcomes.values_list("exit_type").annotate(n=Count("pk")).order_by())
    table = Table(
        "exits-by-type",
        _("Exits by type"),
        [("exit_type", _("Exit")), ("people", _("People"))],
        people=True,
        labels=names.EXIT_TYPES,
    )
    codes = [c for c in Outcome.ExitType.values if counts.get(c)]
    if codes:
        shown = disclosure.protect([[counts[c]] for c in codes], row_totals=False).shown()
        table.rows = [[c, s[0]] for c, s in zip(codes, shown[:-1], strict=True)]
        table.total = ["total", shown[-1][0]]
    return table


def retention(f: CockpitFilters, scope: set[int] | None) -> Table:
    """Of the people who left in the period, who was still in work or education at the 3, 6 and
    12-month checks done."""
    outcomes = Outcome.objects.filter(_people(f, scope, "participant__organisation")).filter(
        period(f, "exit_on")
    )
    checks = {
        (months, still): n
        for months, still, n in RetentionCheck.objects.filter(
            outcome__in=outcomes.values("pk"), done_on__isnull=False
        )
        .values_list("months", "still_there")
        .annotate(n=Count("pk"))
        .order_by()
    }
    table = Table(
        "retention",
        _("Retention at 3, 6 and 12 months"),
        [
            ("months", _("Months after leaving")),
            ("still_there", _("Still in work or education")),
            ("not_there", _("No longer")),
            ("checks_done", _("Checks done")),
            ("retention_percent", _("Retention (%)")),
        ],
        people=True,
    )
    months = [m for m in RetentionCheck.MONTHS if checks.get((m, True)) or checks.get((m, False))]
    if months:
        shown = disclosure.protect(
            [[checks.get((m, True), 0), checks.get((m, False), 0)] for m in months], column_totals=False
        ).shown()
        for m, (still, gone, done) in zip(months, shown, strict=True):
            rate = (
                disclosure.share(still, done) if isinstance(still, int) and isinstance(done, int) else still
            )
            table.rows.append([m, still, gone, done, rate])
    return table


def drop_out_reasons(f: CockpitFilters, scope: set[int] | None) -> Table:
    """People who dropped out, by reason (a person may give several, so there is no total of reasons)."""
    outcomes = (
        Outcome.objects.filter(_people(f, scope, "participant__organisation"), dropped_out=True)
        .filter(period(f, "exit_on"))
        .values_list("drop_out_reasons", flat=True)
    )
    reasons: Counter[str] = Counter()
    people = 0
    for listed in outcomes.iterator():
        people += 1
        reasons.update({r for r in listed or [] if isinstance(r, str)} or {"not-recorded"})
    table = Table(
        "drop-out-reasons",
        _("Drop-out reasons"),
        [("reason", _("Reason")), ("people", _("People"))],
        people=True,
        labels=names.DROP_OUT_REASONS,
    )
    if people:
        table.rows = [[code, disclosure.suppress(n)] for code, n in sorted(reasons.items())]
        table.total = ["people-who-dropped-out", disclosure.suppress(people)]
    return table


def referrals(f: CockpitFilters, scope: set[int] | None) -> Table:
    qs = (
        Referral.objects.filter(_people(f, scope, "participant__organisation"))
        .filter(period(f, "sent_on"))
        .values_list("service__category", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, Counter[str]] = {}
    for category, status, n in qs:
        counts.setdefault(category, Counter())[status] = n
    statuses = list(Referral.Status.values)
    table = Table(
        "referrals",
        _("Referrals by service category and outcome"),
        [
            ("category", _("Service category")),
            *[(s, Referral.Status(s).label) for s in statuses],
            ("referrals", _("Referrals")),
        ],
        people=True,
        labels=names.SERVICE_CATEGORIES,
    )
    categories = sorted(counts)
    if categories:
        shown = disclosure.protect([[counts[c][s] for s in statuses] for c in categories]).shown()
        table.rows = [[c, *values] for c, values in zip(categories, shown[:-1], strict=True)]
        table.total = ["total", *shown[-1]]
    return table


def allocation_fairness(f: CockpitFilters, scope: set[int] | None) -> Table:
    """The fairness audits of the allocation rounds confirmed in the period, rolled up: per audit and
    group, the people in the rounds and those placed, and the mean fit of those placed (each round's
    mean weighted by the people it placed). A round mixes organisations, so this table is the
    coordinator's only (empty for a member)."""
    table = Table(
        "allocation-fairness",
        _("Fairness of allocation rounds"),
        [
            ("group", _("Audit: group")),
            ("placed", _("Placed")),
            ("not_placed", _("Not placed")),
            ("participants", _("Participants")),
            ("placement_rate_percent", _("Placement rate (%)")),
            ("mean_fit_placed", _("Mean fit of those placed (0–100)")),
        ],
        people=True,
    )
    if scope is not None or f.has_place or f.activity_type or f.target_group:
        return table
    rounds = Round.objects.filter(status=Round.Status.CONFIRMED).filter(period(f, "confirmed_at__date"))
    counts: dict[tuple[str, str], list[int]] = {}  # (audit, group code): [placed, not placed]
    fit: dict[tuple[str, str], list[float]] = {}  # (audit, group code): [sum of fit × placed, placed]
    for audits in rounds.values_list("fairness", flat=True):
        for audit, body in (audits or {}).items():
            for group in body.get("groups", []):
                key = (audit, fairness_groups.stored_code(audit, str(group.get("group", ""))))
                n_placed, n_people = int(group.get("placed", 0)), int(group.get("participants", 0))
                counts.setdefault(key, [0, 0])
                counts[key][0] += n_placed
                counts[key][1] += n_people - n_placed
                if group.get("mean_fit_placed") is not None and n_placed:
                    fit.setdefault(key, [0.0, 0])
                    fit[key][0] += float(group["mean_fit_placed"]) * n_placed
                    fit[key][1] += n_placed
    if counts:
        keys = sorted(counts)
        shown = disclosure.protect([counts[k] for k in keys], column_totals=False).shown()
        for key, (placed, unplaced, people) in zip(keys, shown, strict=True):
            rate = (
                disclosure.share(placed, people)
                if isinstance(placed, int) and isinstance(people, int)
                else placed
            )
            audit, group = key
            label = f"{fairness_groups.audit_label(audit)}: {fairness_groups.group_label(audit, group)}"
            table.rows.append([label, placed, unplaced, people, rate, _mean_fit(fit.get(key), placed)])
        table.note = _(
            "The mean fit of a group is shown only where at least as many people as the "
            "small-figure threshold were placed, like every figure about people."
        )
    return table


def _mean_fit(fit: list[float] | None, placed: disclosure.Cell) -> disclosure.Cell | float | None:
    """The weighted mean fit of a group's placed people; hidden ("<k") when the number placed is, and
    also when it is hidden beside another ("x")."""
    if not isinstance(placed, int):
        return placed
    if not fit or not fit[1]:
        return None
    if disclosure.small(int(fit[1])):
        return disclosure.suppress(int(fit[1]))
    return round(fit[0] / fit[1], 1)
