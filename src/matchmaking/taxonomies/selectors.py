"""Read paths for code-list terms."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from matchmaking.taxonomies.models import Region, Term


def terms_by_code(*, scheme: str, codes: Iterable[str], field: str) -> list[Term]:
    """The terms for ``codes``, in that order; unknown codes are a validation error on ``field``."""
    wanted = list(codes)
    found = {t.code: t for t in Term.objects.filter(scheme=scheme, code__in=wanted)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise ValidationError({field: _("Unknown code(s): %(codes)s") % {"codes": ", ".join(missing)}})
    return [found[c] for c in wanted]


def is_region_code(code: str) -> bool:
    """Whether ``code`` is a NUTS 2024 level-2 region."""
    return Region.objects.filter(code=code).exists()
