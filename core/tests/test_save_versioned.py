"""save_versioned: the version check and the write are one UPDATE (core.models.
Versioned.save_at_version); a stale or vanished row is refused and nothing is
written or recorded. The race itself: core/tests/test_concurrency.py."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import KeyAccountPlan
from core.concurrency import VersionConflict, save_versioned
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def test_the_check_and_the_write_are_one_update() -> None:
    plan = PlanFactory()
    plan.strategy = "Grow with the customer"
    with CaptureQueriesContext(connection) as queries:
        save_versioned(plan, expected_version=1)
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    where = updates[0].split("WHERE", 1)[1]
    assert '"version" = 1' in where
    saved = KeyAccountPlan.objects.get(pk=plan.pk)
    assert (saved.version, saved.strategy, plan.version) == (2, "Grow with the customer", 2)
    assert plan.history.first().strategy == "Grow with the customer"


def test_a_stale_save_is_refused_and_writes_and_records_nothing() -> None:
    plan = PlanFactory()
    KeyAccountPlan.objects.filter(pk=plan.pk).update(version=2, strategy="Theirs")
    records = plan.history.count()
    plan.strategy = "Mine"
    with pytest.raises(VersionConflict), transaction.atomic():  # the caller's, as in a view
        save_versioned(plan, expected_version=1)
    saved = KeyAccountPlan.objects.get(pk=plan.pk)
    assert (saved.version, saved.strategy) == (2, "Theirs")
    assert plan.history.count() == records
    assert plan.version == 1  # as loaded: the form says so and keeps the input
    plan.strategy = "Mine, on theirs"
    save_versioned(plan, expected_version=2)  # the next try, at their version, goes through
    assert KeyAccountPlan.objects.get(pk=plan.pk).strategy == "Mine, on theirs"


def test_a_row_deleted_meanwhile_is_a_conflict_not_a_new_row() -> None:
    plan = PlanFactory()
    pk = plan.pk
    KeyAccountPlan.objects.filter(pk=pk).delete()
    with pytest.raises(VersionConflict), transaction.atomic():  # the caller's, as in a view
        save_versioned(plan, expected_version=1)
    assert not KeyAccountPlan.objects.filter(pk=pk).exists()
