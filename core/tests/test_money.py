"""One currency per installation (KAMTEAM_CURRENCY), written as the language writes money."""

from __future__ import annotations

import subprocess
from decimal import Decimal

import pytest
from django.utils import translation

from core.money import format_money, format_percent
from tests.snapshot import read_setting


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


def test_amounts_are_rounded_to_whole_units_and_nothing_has_no_sign(settings) -> None:
    settings.KAMTEAM_CURRENCY = "EUR"
    with translation.override("en"):
        assert format_money(Decimal("-1.50")) == "-€2"
        assert format_money(Decimal("1.49")) == "€1"
        assert format_money(Decimal("-0.40")) == "€0"
        assert format_money(Decimal("-0")) == "€0"
    with translation.override("de"):
        assert format_money(Decimal("-0.40")) == "0\u00a0€"


@pytest.mark.parametrize(
    ("currency", "language", "expected"),
    [
        ("EUR", "en", "-€300,000"),
        ("EUR", "de", "-300.000\u00a0€"),
        ("CHF", "en", "-CHF\u00a0300,000"),
    ],
)
def test_a_shortfall_keeps_its_sign_in_front(
    settings, currency: str, language: str, expected: str
) -> None:
    """The national plans' difference read "€-300,000" in English."""
    settings.KAMTEAM_CURRENCY = currency
    with translation.override(language):
        assert format_money(Decimal("-300000")) == expected


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
    return read_setting("KAMTEAM_CURRENCY", KAMTEAM_CURRENCY=currency)


def test_a_bad_currency_stops_the_start() -> None:
    result = _check("euro")
    assert result.returncode != 0
    assert "KAMTEAM_CURRENCY must be a three-letter ISO 4217 code" in result.stderr


def test_a_currency_code_is_read_in_any_case() -> None:
    result = _check(" usd ")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "USD"
