"""Write paths after the visit: the completion report, feedback, quotes with consent, follow-up and a
reciprocal visit in one click."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.core.audit import audit_record, changed_values
from matchmaking.exchanges.models import CompletionReport, Exchange, State, Testimonial
from matchmaking.exchanges.services import acting_side, exchange_today, follow_up_opens
from matchmaking.mobility.models import Direction, Opportunity
from matchmaking.mobility.services import opportunity_create
from matchmaking.permissions.roles import AnyUser, signed_in

REPORT_FIELDS = ("summary", "outcomes", "host_lessons", "visitor_lessons", "follow_up_actions")
REPORT_STATES = (State.UNDER_WAY, State.COMPLETED)
FEEDBACK_STATES = (State.COMPLETED, State.REPORTED)


def _report_data(report: CompletionReport) -> dict[str, Any]:
    return {
        f: getattr(report, f)
        for f in (*REPORT_FIELDS, "host_feedback", "visitor_feedback", "host_follow_up", "visitor_follow_up")
    }


@transaction.atomic
def report_save(*, actor: AnyUser, exchange: Exchange, data: dict[str, Any]) -> CompletionReport:
    """Write or change the completion report (both organisations write in the same report)."""
    side = acting_side(actor, exchange)
    if exchange.state not in REPORT_STATES:
        raise ValidationError(
            _("The report is written after the visit, before the exchange is marked reported.")
        )
    report, _created = CompletionReport.objects.get_or_create(exchange=exchange)
    before = _report_data(report)
    for name in REPORT_FIELDS:
        if name in data:
            setattr(report, name, (data[name] or "").strip())
    report.save()
    old, new = changed_values(before, _report_data(report))
    if new:
        audit_record(
            actor=actor, action="exchange.report", obj=exchange, before=old, after=new, organisation_id=side
        )
    return report


@transaction.atomic
def feedback_save(
    *, actor: AnyUser, exchange: Exchange, feedback: str = "", follow_up: str = ""
) -> CompletionReport:
    """Each side's feedback right after the visit, and its answer six months later."""
    side = acting_side(actor, exchange)
    if exchange.state not in FEEDBACK_STATES:
        raise ValidationError(_("Feedback is given once the visit is completed."))
    report, _created = CompletionReport.objects.get_or_create(exchange=exchange)
    before = _report_data(report)
    prefix = "host" if side == exchange.host_id else "visitor"
    if feedback:
        setattr(report, f"{prefix}_feedback", feedback)
    if follow_up:
        opens = follow_up_opens(exchange)
        if exchange_today(exchange) < opens:
            raise ValidationError(
                {
                    "follow_up": _("The six-month question opens on %(date)s, six months after the last day.")
                    % {"date": opens}
                }
            )
        setattr(report, f"{prefix}_follow_up", follow_up)
    report.full_clean()
    report.save()
    old, new = changed_values(before, _report_data(report))
    if new:
        audit_record(
            actor=actor, action="exchange.feedback", obj=exchange, before=old, after=new, organisation_id=side
        )
    return report


@transaction.atomic
def quote_add(
    *,
    actor: AnyUser,
    exchange: Exchange,
    author_name: str,
    text: str,
    consent: bool,
    organisation_id: int | None = None,
) -> Testimonial:
    """A quote; ``consent`` records that the person agreed to publication under their name (who, when)."""
    side = acting_side(actor, exchange)
    if exchange.state not in (State.UNDER_WAY, State.COMPLETED, State.REPORTED):
        raise ValidationError(_("Quotes are collected during and after the visit."))
    if not author_name.strip() or not text.strip():
        raise ValidationError(_("Give the quote and the name of the person quoted."))
    org = organisation_id if organisation_id in (exchange.host_id, exchange.visitor_id) else side
    quote = Testimonial.objects.create(
        exchange=exchange,
        organisation_id=org,
        author_name=author_name.strip(),
        text=text.strip(),
        consent=consent,
        consent_recorded_by=signed_in(actor) if consent else None,
        consent_recorded_at=timezone.now() if consent else None,
    )
    audit_record(
        actor=actor, action="exchange.quote-added", obj=quote, after={"author": quote.author_name,
        "consent": consent},
        organisation_id=side,
    )  # fmt: skip
    return quote


@transaction.atomic
def quote_set_consent(*, actor: AnyUser, testimonial: Testimonial, consent: bool) -> Testimonial:
    """Record or withdraw consent; a withdrawn quote disappears from the story at once."""
    side = acting_side(actor, testimonial.exchange)
    before = testimonial.consent
    testimonial.consent = consent
    testimonial.consent_recorded_by = signed_in(actor)
    testimonial.consent_recorded_at = timezone.now()
    testimonial.save()
    audit_record(
        actor=actor, action="exchange.quote-consent", obj=testimonial, before={"consent": before},
        after={"consent": consent}, organisation_id=side,
    )  # fmt: skip
    return testimonial


@transaction.atomic
def reciprocal_visit_draft(*, actor: AnyUser, exchange: Exchange) -> Opportunity:
    """One click after a visit: a draft the other way round. The host drafts a request to visit the
    visitors; the visitors draft an offer to host their hosts."""

    side = acting_side(actor, exchange)
    if exchange.state not in FEEDBACK_STATES:
        raise ValidationError(_("A reciprocal visit is planned once the visit is completed."))
    ours = exchange.host if side == exchange.host_id else exchange.visitor
    theirs = exchange.visitor if side == exchange.host_id else exchange.host
    direction = Direction.REQUEST if side == exchange.host_id else Direction.OFFER
    visitor_org = ours if direction == Direction.REQUEST else theirs
    host_org = theirs if direction == Direction.REQUEST else ours
    wanted = set(visitor_org.interests.values_list("code", flat=True))
    shown = set(host_org.expertise.values_list("code", flat=True))
    topics = sorted(wanted & shown) or sorted(shown)[:5]
    languages = sorted(
        set(ours.languages.values_list("code", flat=True))
        & set(theirs.languages.values_list("code", flat=True))
    ) or sorted(ours.languages.values_list("code", flat=True))
    description = _(
        "Reciprocal visit after the exchange “%(title)s” (%(start)s – %(end)s): %(visitor)s visits %(host)s."
    ) % {
        "title": exchange.title,
        "start": exchange.start,
        "end": exchange.end,
        "visitor": visitor_org,
        "host": host_org,
    }
    opportunity = opportunity_create(
        actor=actor,
        organisation=ours,
        data={
            "type": exchange.type.code,
            "direction": direction,
            "topics": topics,
            "target_groups": sorted(visitor_org.target_groups.values_list("code", flat=True)),
            "languages": languages,
            "duration_days": exchange.days,
            "group_size": exchange.group_size,
            "description": description,
            "funding": exchange.funding,
            "activity_code": exchange.activity_code,
            "status": Opportunity.Status.DRAFT,
        },
    )
    report, _created = CompletionReport.objects.get_or_create(exchange=exchange)
    line = _("Reciprocal visit: %(org)s visits %(host)s (draft created)") % {
        "org": visitor_org,
        "host": host_org,
    }
    if line not in report.follow_up_actions:
        report.follow_up_actions = (report.follow_up_actions + "\n" + line).strip()
        report.save(update_fields=["follow_up_actions", "updated_at"])
    audit_record(
        actor=actor, action="exchange.reciprocal-draft", obj=exchange, after={"opportunity": opportunity.key},
        organisation_id=side,
    )  # fmt: skip
    return opportunity
