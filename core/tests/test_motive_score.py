"""Motive scores signed as the profile chart's axis writes them (core.templatetags.kam)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from core.templatetags.kam import motive_score


@pytest.mark.parametrize(
    ("language", "score", "shown"),
    [
        ("en", Decimal("1.4"), "+1.4"),
        ("en", Decimal("-1.6"), "\u22121.6"),  # the minus sign of the axis, not a hyphen
        ("de", Decimal("-0.3"), "\u22120,3"),
        ("de", Decimal("2"), "+2,0"),
        ("en", Decimal("0.0"), "0.0"),
        ("en", Decimal("-0.0"), "0.0"),
        ("de", None, "–"),
    ],
)
def test_a_score_carries_its_sign_in_the_readers_format(
    language: str, score: Decimal | None, shown: str
) -> None:
    with translation.override(language):
        assert motive_score(score) == shown
