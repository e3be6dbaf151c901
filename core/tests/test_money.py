"""One currency per installation (KAMTEAM_CURRENCY), written as the language writes money."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from core.money import format_money, format_percent

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize(
    ("currency", "language", "expected"),
    [
        ("EUR", "en", "€4,200,000"),
        ("EUR", "de", "4.200.000\u00a0€"),
        ("USD", "en", "$4,200,000"),
        ("CHF", "en", "CHF\u00a04,200,000"),
        ("CHF", "de", "4.200.000\u00a0CHF"),
    ],
)
def test_amounts_follow_the_currency_and_the_language(
    settings, currency: str, language: str, expected: str
) -> None:
    settings.KAMTEAM_CURRENCY = currency
    with translation.override(language):
        assert format_money(Decimal("4200000.40")) == expected


@pytest.mark.parametrize(
    ("share", "english", "german"),
    [
        (Decimal("89.5"), "90%", "90\u00a0%"),
        (Decimal("105.0"), "105%", "105\u00a0%"),
        (0, "0%", "0\u00a0%"),
    ],
)
def test_percentages_are_whole_and_localised(share, english: str, german: str) -> None:
    with translation.override("en"):
        assert format_percent(share) == english
    with translation.override("de"):
        assert format_percent(share) == german


def _check(currency: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DEBUG="1", KAMTEAM_CURRENCY=currency, DJANGO_SETTINGS_MODULE="kamteam.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "from django.conf import settings; print(settings.KAMTEAM_CURRENCY)"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_a_bad_currency_stops_the_start() -> None:
    result = _check("euro")
    assert result.returncode != 0
    assert "KAMTEAM_CURRENCY must be a three-letter ISO 4217 code" in result.stderr


def test_a_currency_code_is_read_in_any_case() -> None:
    result = _check(" usd ")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "USD"
