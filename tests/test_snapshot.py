"""The snapshot that refused-request tests compare covers every table kamteam owns."""

from __future__ import annotations

import pytest
from django.apps import apps

from tests.factories import UserFactory
from tests.snapshot import NOT_DATA, database_snapshot, kamteam_app_labels


def test_every_app_of_the_checkout_and_none_of_djangos() -> None:
    labels = set(kamteam_app_labels())
    assert {"users", "accounts", "opportunities", "coaching", "activities", "api"} <= labels
    assert not labels & {"auth", "admin", "sessions", "axes", "simple_history", "ninja"}


@pytest.mark.django_db
def test_every_model_of_those_apps_is_in_the_snapshot() -> None:
    snapshot = database_snapshot()
    for label in kamteam_app_labels():
        for model in apps.get_app_config(label).get_models():
            if model._meta.label not in NOT_DATA:
                assert model._meta.label in snapshot


@pytest.mark.django_db
def test_a_write_outside_the_four_apps_it_once_covered_shows() -> None:
    """It compared only accounts, profiles, raci and touchpoints: a user's name
    changed by a refused request went unseen."""
    user = UserFactory()
    before = database_snapshot()
    type(user).objects.filter(pk=user.pk).update(first_name="Changed")
    assert database_snapshot() != before
