"""Rules for participants, skills, placements, allocation rounds, action plans, referrals and outcomes."""

from __future__ import annotations
