"""The snapshot that refused-request tests compare covers every table kamteam owns."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory
from tests.snapshot import NOT_DATA, database_snapshot, kamteam_app_labels


def test_every_app_of_the_checkout_and_none_of_djangos() -> None:
    labels = set(kamteam_app_labels())
    assert {"users", "accounts", "opportunities", "coaching", "activities", "api"} <= labels
    assert not labels & {"auth", "admin", "sessions", "axes", "simple_history", "ninja"}


@pytest.mark.django_db
def test_the_link_tables_are_in_the_snapshot() -> None:
    """Django's own join tables (a user's groups, a meeting's participants) are
    not among an app's models unless asked for."""
    snapshot = database_snapshot()
    assert {"users.User_groups", "touchpoints.Touchpoint_companions"} <= set(snapshot)
    assert not set(snapshot) & NOT_DATA


@pytest.mark.django_db
def test_a_group_added_to_a_user_shows() -> None:
    user = UserFactory()
    group = Group.objects.create(name="Someone's group")
    before = database_snapshot()
    user.groups.add(group)
    assert database_snapshot() != before


@pytest.mark.django_db
def test_a_write_outside_the_four_apps_it_once_covered_shows() -> None:
    """It compared only accounts, profiles, raci and touchpoints: a user's name
    changed by a refused request went unseen."""
    user = UserFactory()
    before = database_snapshot()
    type(user).objects.filter(pk=user.pk).update(first_name="Changed")
    assert database_snapshot() != before
