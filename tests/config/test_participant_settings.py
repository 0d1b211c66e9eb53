"""The participants and pathways settings come from the environment and are documented."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = {
    "YOUTH_GUARANTEE_AGE_LIMIT": ("30", "25"),
    "YOUTH_GUARANTEE_YOUNG_MONTHS": ("4", "3"),
    "YOUTH_GUARANTEE_ADULT_MONTHS": ("12", "9"),
    "PARTICIPANT_RETENTION_DAYS": ("1095", "400"),
    "PARTICIPANT_INACTIVE_RETENTION_DAYS": ("1825", "900"),
    "REFERRAL_REMINDER_DAYS": ("14", "7"),
    "ROUND_BACKGROUND_PAIRS": ("2000", "50"),
}


def test_every_setting_is_in_the_configuration_table():
    table = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for name, (default, _value) in SETTINGS.items():
        assert f"| `{name}` | `{default}` |" in table, name
    assert "| `ESCO_WARM_ON_START` |" in table


def test_settings_are_read_from_the_environment():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "matchmaking.config.settings.test"}
    env.update({name: value for name, (_default, value) in SETTINGS.items()})
    code = (
        "from django.conf import settings; "
        f"print(','.join(str(getattr(settings, n)) for n in {list(SETTINGS)!r}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip().split(",") == [value for _default, value in SETTINGS.values()]
