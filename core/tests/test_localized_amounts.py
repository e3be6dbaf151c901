"""Amounts of money typed and shown in the reader's number format (issue 13, point 17).

A German KAM types "4.700.000" or "4700000,50"; an English one "4,700,000".
Both read the amount back grouped the way they write it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from accounts.models import KeyAccountPlan, RevenueActual
from core.localized_numbers import LocalizedAmountField
from tests.fixtures import World
from tests.snapshot import database_snapshot


class AmountForm(forms.Form):
    amount = LocalizedAmountField(max_digits=14, decimal_places=2, min_value=Decimal(0))


@pytest.mark.parametrize(
    ("language", "typed", "amount"),
    [
        ("de", "4.700.000", Decimal("4700000")),
        ("de", "4.700.000,50", Decimal("4700000.50")),
        ("de", "4700000,5", Decimal("4700000.5")),
        ("de", "4 700 000", Decimal("4700000")),
        ("de", "4\u202f700\u202f000", Decimal("4700000")),
        ("de", "4.700", Decimal("4700")),
        ("de", "1.5", Decimal("1.5")),  # the decimal point, as in every number field
        ("de", "0", Decimal("0")),
        ("en", "4,700,000", Decimal("4700000")),
        ("en", "4,700,000.50", Decimal("4700000.50")),
        ("en", "4700000", Decimal("4700000")),
        ("en", "4'700'000", Decimal("4700000")),
    ],
)
def test_amounts_are_read_as_the_language_writes_them(
    language: str, typed: str, amount: Decimal
) -> None:
    with translation.override(language):
        form = AmountForm({"amount": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == amount


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("de", "4.70.000"),  # a group of two digits is no grouping
        ("de", "4,700,000"),  # English grouping in a German form
        ("en", "4.700.000"),  # German grouping in an English form
        ("en", "4,70,000"),
        ("en", "four million"),
        # Decimal() reads these; nobody types them as a number (a hostile tester did).
        ("en", "1_000"),
        ("de", "\uff11\uff12\uff13"),  # full-width one, two, three
        ("de", "\u0663"),  # Arabic-Indic three
        ("en", "4,700,00\u0660"),
    ],
)
def test_an_amount_in_neither_form_is_refused_at_the_field(language: str, typed: str) -> None:
    with translation.override(language):
        form = AmountForm({"amount": typed})
        assert not form.is_valid()
        assert form.errors["amount"] == [str(forms.DecimalField.default_error_messages["invalid"])]


@pytest.mark.parametrize(
    ("language", "shown"), [("de", "4.700.000"), ("en", "4,700,000"), ("de", "4.700.000,50")]
)
def test_amounts_are_shown_grouped(language: str, shown: str) -> None:
    value = Decimal("4700000.50") if shown.endswith(",50") else Decimal("4700000.00")
    with translation.override(language):
        html = str(AmountForm(initial={"amount": value})["amount"])
    assert f'value="{shown}"' in html
    assert 'inputmode="decimal"' in html


def _plan_data(world: World, **revenue: str) -> dict[str, object]:
    plan = world.plan
    return {
        "version": plan.version,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "status": "draft",
        "strategy": "From supplier to partner.",
        "revenue_2026": "",
        "revenue_2027": "",
        "revenue_2028": "",
        **revenue,
    }


def test_a_german_lead_saves_plan_targets_with_german_grouping(world: World, lead_client) -> None:
    url = reverse("accounts:plan_edit", args=[world.account.slug, world.plan.pk])
    lead_client.cookies["django_language"] = "de"
    response = lead_client.post(
        url, _plan_data(world, revenue_2026="4.700.000", revenue_2027="5100000,50")
    )
    assert response.status_code == 302
    plan = KeyAccountPlan.objects.get(pk=world.plan.pk)
    assert {t.year: t.amount for t in plan.revenue_targets.all()} == {
        2026: Decimal("4700000"),
        2027: Decimal("5100000.50"),
    }
    form = lead_client.get(url).content.decode()
    assert 'value="4.700.000"' in form and 'value="5.100.000,50"' in form


def test_a_mistyped_amount_writes_nothing(world: World, lead_client) -> None:
    url = reverse("accounts:plan_edit", args=[world.account.slug, world.plan.pk])
    lead_client.cookies["django_language"] = "de"
    before = database_snapshot()
    response = lead_client.post(url, _plan_data(world, revenue_2026="4.70.000"))
    assert response.status_code == 400
    assert "revenue_2026" in response.context["form"].errors
    assert database_snapshot() == before


def test_a_german_lead_records_revenue_with_german_grouping(world: World, lead_client) -> None:
    lead_client.cookies["django_language"] = "de"
    url = reverse("accounts:revenue_create", args=[world.account.slug])
    response = lead_client.post(url, {"year": "2025", "amount": "3.900.000"})
    assert response.status_code == 302, response.context["form"].errors
    assert RevenueActual.objects.get(account=world.account, year=2025).amount == Decimal(3900000)
