"""No input produces a server error: junk posted to every endpoint, as the case worker and the coordinator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchmaking.placements.models import Contest, Proposal, Round
from tests.factories_participants import placement

JUNK = [
    {},
    {"x": "'"},
    {"step": "1e9", "status": "??", "gap_uri": "x", "referral": "-1", "check": "0", "revoke": "", "end": "9"},
    {
        "purpose": "sharing",
        "organisation": "nope",
        "given_on": "31-31-2026",
        "barriers_form": "1",
        "barriers": "x",
    },
    {"new_goal": "1", "title": "", "new_step": "1", "goal": "abc", "owner": "zz", "type": "magic"},
    {"meeting": "1", "held_on": "2999-01-01", "assessment": "1", "motivation": "11", "recorded_on": "x"},
    {
        "offer": "1",
        "type": "job",
        "offered_on": "2999-01-01",
        "outcome": "1",
        "exit_type": "none",
        "exit_on": "",
    },
    {"placement": "abc", "reason": "r", "decision": "decline", "upheld": "maybe", "answer": ""},
    {
        "email": "nobody@example.org",
        "organisation": "boras",
        "kind": "participants",
        "name": "",
        "method": "x",
    },
    {
        "uri": "http://data.europa.eu/esco/occupation/x",
        "label": "x",
        "action": "remove",
        "pseudonym": "P-NOPE",
    },
]


def _urls(world, found, proposal, contest, pl):
    p = world.person.pseudonym
    names = [
        "participants:participant-edit",
        "participants:identity-edit",
        "participants:languages",
        "participants:consents",
        "participants:group",
        "participants:key-worker",
        "participants:skills",
        "participants:skill-add",
        "participants:skill-reject",
        "participants:skill-remove",
        "participants:occupation-interest",
        "privacy:erase",
        "pathways:plan",
        "pathways:progress",
        "pathways:referrals",
        "pathways:outcome",
    ]
    urls = [reverse(n, args=[p]) for n in names]
    urls += [
        reverse("participants:participant-create"),
        reverse("placements:import"),
        reverse("placements:round-create"),
        reverse("placements:placement-create"),
        reverse("placements:round-propose", args=[found.pk]),
        reverse("placements:round-confirm", args=[found.pk]),
        reverse("placements:proposal-override", args=[found.pk, proposal.pk]),
        reverse("placements:proposal-decide", args=[proposal.pk]),
        reverse("placements:proposal-contest", args=[proposal.pk]),
        reverse("placements:contest-answer", args=[contest.pk]),
        reverse("placements:waiting-list", args=[pl.key]),
        reverse("placements:placement-edit", args=[pl.key]),
        reverse("pathways:directory"),
    ]
    return urls


@pytest.mark.parametrize("who", ["worker", "coordinator", "admin"])
def test_junk_never_500(client, world, coordinator, who):
    world.coordinator = coordinator
    pl = placement(world.home, key="junk-place")
    found = Round.objects.create(name="Junk", status=Round.Status.PROPOSED)
    found.placements.add(pl)
    found.participants.add(world.person)
    proposal = Proposal.objects.create(round=found, participant=world.person, placement=pl)
    contest = Contest.objects.create(proposal=proposal, reason="x")
    client.force_login(getattr(world, who))
    for url in _urls(world, found, proposal, contest, pl):
        for data in JUNK:
            response = client.post(url, data)
            assert response.status_code < 500, (url, data)
        assert client.get(url + "?page=x&q=%00&clock=zz&kind=occupation").status_code < 500, url
