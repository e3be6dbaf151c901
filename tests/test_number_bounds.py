"""Every number a request brings in is bounded before any code computes with it.

Editing a plan with end_year=999…9 (30 digits) built set(range(start, end + 1))
in the form's cross-field check before the model's 2000-2100 and 10-year
checks ran: the process grew to 24 GB and was killed, and end_year=8000000
took a worker from 65 MB to 603 MB. Each number field now refuses such input
itself, with a message at the field, and the cross-field checks compare years
by arithmetic.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from importlib import import_module
from typing import Any

import pytest
from django import forms
from django.urls import reverse

from accounts.forms import KeyAccountPlanForm
from profiles.forms import MotiveScoresForm
from profiles.models import Motive
from tests.fixtures import World
from tests.memory import metered
from tests.snapshot import database_snapshot

HUGE = "9" * 30
MILLIONS = "8000000"
NEGATIVE_HUGE = "-1e30"
# A refusal takes milliseconds (more under tracemalloc on a busy machine); the
# 30-digit year never finished. The memory peak is the precise check.
SECONDS = 10.0


def _plan_edit(w: World) -> dict[str, Any]:
    return {
        "version": str(w.plan.version),
        "start_year": "2026",
        "end_year": "2028",
        "status": "draft",
        "revenue_2026": "1100000",
    }


def _account(w: World) -> dict[str, Any]:
    return {
        "version": str(w.account.version),
        "name": w.account.name,
        "slug": w.account.slug,
        "industry": "Machinery",
        "hq_country": "DE",
        "classification": "A",
        "attractiveness": "3",
        "relative_position": "3",
    }


def _revenue(w: World) -> dict[str, Any]:
    return {"year": "2025", "amount": "1000000"}


def _contact(w: World) -> dict[str, Any]:
    return {"first_name": "Ada", "last_name": "Bound", "attitude": "0", "influence": "3"}


def _touchpoint(w: World) -> dict[str, Any]:
    return {
        "contact": str(w.contact.pk),
        "quarter": "2",
        "year": "2026",
        "kind": "call",
        "title": "Call",
        "owner": str(w.lead_membership.pk),
        "status": "planned",
    }


def _meeting(w: World) -> dict[str, Any]:
    return {
        "year": "2026",
        "quarter": "2",
        "format": "video",
        "purpose": "Kickoff",
        "status": "planned",
    }


def _potential(w: World) -> dict[str, Any]:
    return {"description": "Spare parts", "estimated_value": "10000", "year": "2026"}


# (URL name, its kwargs, a valid submission, the number field broken, bad values)
CASES: list[tuple[str, Callable[[World], dict], Callable[[World], dict], str, list[str]]] = [
    *(
        (
            "accounts:plan_edit",
            lambda w: {"slug": w.account.slug, "plan_id": w.plan.pk},
            _plan_edit,
            name,
            [HUGE, MILLIONS, NEGATIVE_HUGE, "1999", "2101"],
        )
        for name in ("end_year", "start_year")
    ),
    (
        "accounts:plan_edit",
        lambda w: {"slug": w.account.slug, "plan_id": w.plan.pk},
        _plan_edit,
        "revenue_2026",
        [HUGE, NEGATIVE_HUGE, "-1"],
    ),
    (
        "accounts:plan_edit",
        lambda w: {"slug": w.account.slug, "plan_id": w.plan.pk},
        _plan_edit,
        "version",
        [HUGE, MILLIONS + "000", "-1"],
    ),
    *(
        (
            "accounts:plan_create",
            lambda w: {"slug": w.account.slug},
            lambda w: {"start_year": "2029", "end_year": "2031"},
            name,
            [HUGE, MILLIONS, NEGATIVE_HUGE, "2101"],
        )
        for name in ("end_year", "start_year")
    ),
    *(
        ("accounts:edit", lambda w: {"slug": w.account.slug}, _account, name, values)
        for name, values in (
            ("attractiveness", [HUGE, MILLIONS, "0", "6"]),
            ("relative_position", [HUGE, MILLIONS, "-1", "6"]),
        )
    ),
    *(
        ("accounts:revenue_create", lambda w: {"slug": w.account.slug}, _revenue, name, values)
        for name, values in (
            ("year", [HUGE, MILLIONS, NEGATIVE_HUGE, "1999", "2101"]),
            ("amount", [HUGE, NEGATIVE_HUGE, "-1"]),
        )
    ),
    (
        "accounts:contact_create",
        lambda w: {"slug": w.account.slug},
        _contact,
        "influence",
        [HUGE, MILLIONS, "0", "6"],
    ),
    (
        "accounts:potential_create",
        lambda w: {"slug": w.account.slug, "plan_id": w.plan.pk},
        _potential,
        "estimated_value",
        [HUGE, NEGATIVE_HUGE, "-1"],
    ),
    (
        "touchpoints:create",
        lambda w: {"slug": w.account.slug},
        _touchpoint,
        "year",
        [HUGE, MILLIONS, NEGATIVE_HUGE, "1999"],
    ),
    (
        "touchpoints:meeting_create",
        lambda w: {"slug": w.account.slug},
        _meeting,
        "year",
        [HUGE, MILLIONS, NEGATIVE_HUGE, "2101"],
    ),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "valid", "field", "value"),
    [(n, k, v, f, value) for n, k, v, f, values in CASES for value in values],
    ids=[f"{n}-{f}-{value[:12]}" for n, _k, _v, f, values in CASES for value in values],
)
def test_out_of_range_number_is_refused_at_the_field(
    world: World,
    lead_client,
    name: str,
    kwargs: Callable[[World], dict],
    valid: Callable[[World], dict],
    field: str,
    value: str,
) -> None:
    url = reverse(name, kwargs=kwargs(world))
    # The valid submission is valid: only the broken field makes the difference.
    assert lead_client.post(url, valid(world)).status_code == 302
    world.plan.refresh_from_db()
    world.account.refresh_from_db()
    before = database_snapshot()
    meter = metered(lead_client)
    started = time.perf_counter()
    response = lead_client.post(url, {**valid(world), field: value})
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert database_snapshot() == before
    assert meter.last_peak < meter.last_limit, f"{meter.last_peak / 2**20:.0f} MB"
    assert elapsed < SECONDS


def test_huge_end_year_names_the_allowed_years(world: World, lead_client) -> None:
    url = reverse("accounts:plan_edit", args=[world.account.slug, world.plan.pk])
    response = lead_client.post(url, {**_plan_edit(world), "end_year": HUGE})
    errors = response.context["form"].errors["end_year"]
    assert errors == ["Ensure this value is less than or equal to 2100."]


def test_period_check_never_materialises_the_years(world: World) -> None:
    """The cross-field check compares years, so unbounded numbers cannot blow it up."""
    form = KeyAccountPlanForm(instance=world.plan)
    form.cleaned_data = {"start_year": 2026, "end_year": 10**30, "revenue_2028": Decimal(1)}
    form._errors = {}
    started = time.perf_counter()
    form._check_period_keeps_rows(form.cleaned_data)
    assert time.perf_counter() - started < SECONDS
    form.cleaned_data = {"start_year": 2027, "end_year": 10**30, "revenue_2026": Decimal(1)}
    form._check_period_keeps_rows(form.cleaned_data)
    assert "start_year" in form.errors  # the target of 2026 would be left out


def test_period_check_is_skipped_when_a_year_failed(world: World) -> None:
    form = KeyAccountPlanForm(
        {**_plan_edit(world), "start_year": "2027", "end_year": HUGE}, instance=world.plan
    )
    assert not form.is_valid()
    # Only the field's own message: no second one about rows left out.
    assert form.errors["end_year"] == ["Ensure this value is less than or equal to 2100."]
    assert "start_year" not in form.errors


@pytest.mark.parametrize(
    ("value", "year"),
    [(HUGE, 2026), (MILLIONS, 2100), ("1" * 5000, 2026), ("-5", 2026), ("1999", 2000)],
)
def test_year_in_query_string_is_bounded(
    world: World, lead_client, monkeypatch, value: str, year: int
) -> None:
    from touchpoints import selectors

    monkeypatch.setattr(selectors, "this_quarter", lambda: (2026, 2))
    meter = metered(lead_client)
    response = lead_client.get(
        reverse("touchpoints:print", args=[world.account.slug]), {"year": value}
    )
    assert response.status_code == 200
    assert response.context["year"] == year
    assert meter.last_peak < meter.last_limit


def test_raci_cell_with_huge_ids_is_refused(world: World, lead_client) -> None:
    before = database_snapshot()
    response = lead_client.post(
        reverse("raci:toggle", args=[world.account.slug]), {"cell": f"{HUGE}:{HUGE}:R"}
    )
    assert response.status_code == 302
    assert database_snapshot() == before


FORM_MODULES = [
    "accounts.forms",
    "coaching.forms",
    "portfolio.forms",
    "profiles.forms",
    "raci.forms",
    "touchpoints.forms",
    "whitespace.forms",
]


def _number_fields() -> list[tuple[str, forms.Field]]:
    found = []
    for module_name in FORM_MODULES:
        module = import_module(module_name)
        for cls in vars(module).values():
            if isinstance(cls, type) and issubclass(cls, forms.BaseForm):
                for name, f in cls.base_fields.items():
                    if isinstance(f, forms.IntegerField):
                        found.append((f"{cls.__module__}.{cls.__name__}.{name}", f))
    return found


def _assert_bounded(label: str, f: forms.Field) -> None:
    assert f.min_value is not None, label
    if isinstance(f, forms.DecimalField):
        # max_digits caps a decimal's size as firmly as a maximum would.
        assert f.max_value is not None or f.max_digits is not None, label
    else:
        assert f.max_value is not None, label


def test_every_number_field_of_every_form_has_bounds() -> None:
    """A new number field joins the rule, whichever app its form is in."""
    fields = _number_fields()
    assert len(fields) >= 10
    for label, f in fields:
        _assert_bounded(label, f)


def test_number_fields_added_at_run_time_have_bounds(world: World) -> None:
    plan_form = KeyAccountPlanForm(instance=world.plan)
    motives = MotiveScoresForm(motives=list(Motive.objects.all()), initial_scores={})
    for form in (plan_form, motives):
        for name, f in form.fields.items():
            if isinstance(f, forms.IntegerField):
                _assert_bounded(name, f)


@pytest.mark.parametrize("where", ["body", "query"])
def test_a_flood_of_percent_escapes_is_refused_before_it_is_decoded(
    world: World, lead_client, where: str
) -> None:
    """2.4 MB of "%00" used to take a worker to 185 MB while the form was decoded."""
    from django.conf import settings

    from tests.memory import MAX_REQUEST_PEAK, metered
    from tests.snapshot import database_snapshot

    url = reverse("accounts:edit", args=[world.account.slug])
    flood = "%00" * (settings.MAX_PERCENT_ESCAPES + 1)
    meter = metered(lead_client)
    before = database_snapshot()
    if where == "body":
        response = lead_client.post(
            url, "name=" + flood, content_type="application/x-www-form-urlencoded"
        )
    else:
        response = lead_client.get(url + "?q=" + flood)
    assert response.status_code == 400
    assert "encoded characters" in response.content.decode()
    assert meter.last_peak < MAX_REQUEST_PEAK
    assert database_snapshot() == before
    # A long German text is far below the limit: the form reads it as usual.
    text = "Größere Aufträge für Österreich, Schweiz & Südtirol.\r\n" * 70
    response = lead_client.post(url, {"description": text})
    assert "encoded characters" not in response.content.decode()
    # Line ends as a browser sends them read as "\n" (no phantom change, issue 13).
    value = response.context["form"]["description"].value()
    assert value == text.replace("\r\n", "\n")
