"""`manage.py demo` builds the handbook's example, and running it twice is harmless."""

from __future__ import annotations

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command

from accounts.models import AccountTeamMember, CustomerContact, KeyAccount
from tests.snapshot import current_content, database_snapshot
from users.models import User


def _demo(password: str = "demo") -> str:
    out = StringIO()
    call_command("demo", password=password, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_builds_the_handbook_example() -> None:
    output = _demo("s3cret-demo")
    assert "s3cret-demo" in output  # the password is printed for the user
    nordstern = KeyAccount.objects.get(slug="nordstern")
    roles = {
        (m.user.username, m.role.code, m.country.code or "", m.team)
        for m in nordstern.team_members.select_related("user", "role")
    }
    assert roles == {
        ("kam", "gkam", "", "core"),
        ("nkam", "nkam", "DE", "core"),
        ("nkam-china", "nkam", "CN", "core"),
        ("innendienst", "inside-sales", "", "core"),
        ("management", "management", "", "extended"),
        ("engineering", "engineering", "", "extended"),
    }
    mueller = CustomerContact.objects.get(last_name="Müller")
    assert mueller.position == "Bereichsleiter"
    assert mueller.reports_to is not None and mueller.direct_reports.count() == 2
    plan = nordstern.plans.get()
    assert (plan.start_year, plan.end_year) == (2026, 2028)
    assert plan.potentials.count() == 3 and plan.objectives.count() == 4
    assert KeyAccount.objects.count() == 12
    assert User.objects.get(username="manager").is_manager
    assert not AccountTeamMember.objects.filter(user__username="outsider").exists()
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.check_password("s3cret-demo")


@pytest.mark.django_db
def test_demo_fills_the_portfolio_with_mixed_health() -> None:
    """Issue 6: enough accounts across A/B/C, countries and health to show something real."""
    from coaching.models import CoachingCheck
    from portfolio.selectors import band_of, portfolio_queryset

    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2026, 11, 25)):
        _demo()
        accounts = list(portfolio_queryset(today=datetime.date(2026, 11, 25)))
    assert {a.classification for a in accounts} == {"A", "B", "C"}
    assert len({a.hq_country.code for a in accounts}) >= 6
    bands = {band_of(a.health).code for a in accounts}
    assert bands == {"healthy", "watch", "risk"}
    # The manager's walk: A accounts at risk exist.
    assert any(a.classification == "A" and band_of(a.health).code == "risk" for a in accounts)
    nordstern = KeyAccount.objects.get(slug="nordstern")
    assert CoachingCheck.objects.filter(account=nordstern).count() == 2
    assert nordstern.appreciations.count() == 3


@pytest.mark.django_db
def test_demo_is_idempotent() -> None:
    _demo()
    first = database_snapshot()
    _demo()
    second = database_snapshot()
    assert current_content(first) == current_content(second)
