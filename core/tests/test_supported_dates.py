"""Every date a user enters lies in the years the app supports (core.validators).

A consent date in the year 1 or an expected close in 9999 was stored and then
sorted, exported and shown; now the forms refuse it at the field.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from coaching.tests.test_coaching import _answers, _check_url
from core.forms import DateInput
from core.validators import SupportedDatesModel
from opportunities.tests.test_opportunities import _form_data as _opportunity_data
from profiles.models import Profile
from tests.fixtures import World
from tests.snapshot import database_snapshot

pytestmark = pytest.mark.django_db

# Dates the app computes itself (the week of a snapshot, the day of a score),
# never typed by a user.
COMPUTED = {
    "notifications.DigestSent",
    "portfolio.HealthSnapshot",
    "portfolio.HealthScore",
    "portfolio.HealthScoreSweep",
}
MESSAGE = "Choose a date between 2000 and 2100."


def _has_editable_date(model: type[models.Model]) -> bool:
    return any(
        isinstance(field, models.DateField)
        and not isinstance(field, models.DateTimeField)
        and field.editable
        for field in model._meta.concrete_fields
    )


def test_every_model_with_a_date_a_user_enters_bounds_it() -> None:
    # kamteam's apps are top-level packages; Django's and the libraries' are not
    # (django.contrib.*) or have no models with dates.
    app_names = {config.name for config in apps.get_app_configs()}
    ours = [
        model
        for model in apps.get_models()
        if model.__module__.split(".")[0] in app_names
        and not model.__name__.startswith("Historical")
        and _has_editable_date(model)
    ]
    assert ours, "the walk found no model with a date field"
    unbounded = sorted(
        model._meta.label
        for model in ours
        if not issubclass(model, SupportedDatesModel) and model._meta.label not in COMPUTED
    )
    assert unbounded == []


def test_the_date_picker_offers_only_the_supported_years() -> None:
    html = DateInput().render("day", None)
    assert 'min="2000-01-01"' in html and 'max="2100-12-31"' in html


def _refused(response, field: str, before: object) -> None:
    assert response.status_code == 400
    assert MESSAGE in response.context["form"].errors[field]
    assert database_snapshot() == before


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31"])
def test_a_contacts_consent_date_before_2000_is_refused(world: World, day: str) -> None:
    before = database_snapshot()
    url = reverse("accounts:contact_profile_edit", args=[world.account.slug, world.contact.pk])
    response = world.client_for("lead").post(
        url,
        {
            "primary_colour": "green",
            "motive_power": "1.5",
            "legal_basis": Profile.LegalBasis.CONSENT,
            "consent_date": day,
        },
    )
    _refused(response, "consent_date", before)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_plans_workshop_date_outside_the_supported_years_is_refused(
    world: World, day: str
) -> None:
    from accounts.tests.test_plan import _edit_url, _plan_data

    before = database_snapshot()
    response = world.client_for("lead").post(_edit_url(world), _plan_data(world, workshop_date=day))
    _refused(response, "workshop_date", before)


@pytest.mark.parametrize("day", ["0001-01-01", "2101-01-01", "9999-12-31"])
def test_an_opportunitys_expected_close_outside_the_supported_years_is_refused(
    world: World, day: str
) -> None:
    before = database_snapshot()
    url = reverse("opportunities:create", args=[world.account.slug])
    response = world.client_for("lead").post(url, _opportunity_data(world, expected_close=day))
    _refused(response, "expected_close", before)
    page = response.content.decode()
    assert MESSAGE in page


def test_a_self_check_dated_in_the_year_1_is_refused(world: World) -> None:
    before = database_snapshot()
    response = world.client_for("lead").post(
        _check_url(world), {"answered_on": "0001-01-01", **_answers(q0="Yes")}
    )
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert database_snapshot() == before


def test_a_date_in_the_supported_years_is_saved(world: World) -> None:
    url = reverse("opportunities:create", args=[world.account.slug])
    data = _opportunity_data(world, expected_close="2100-12-31")
    assert world.client_for("lead").post(url, data).status_code == 302
    assert str(world.account.opportunities.get().expected_close) == "2100-12-31"
