"""Issue 14's "done when": each demo user's home shows their real items."""

from __future__ import annotations

import datetime
import re
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from users.models import User

TODAY = datetime.date(2026, 12, 2)  # the demo's December


@pytest.fixture
def demo_home(db: None):
    """The home page of a demo user, after `manage.py demo`, on the demo's day."""
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        call_command("demo", stdout=StringIO())

        def home(username: str) -> str:
            client = Client()
            client.force_login(User.objects.get(username=username))
            response = client.get(reverse("home"))
            assert response.status_code == 200
            return response.text

        yield home


def _section(text: str, code: str) -> str:
    found = re.search(rf'<section[^>]*id="today-{code}".*?</section>', text, re.S)
    assert found, f"no {code} group"
    return found.group(0)


def test_nkam_sees_the_overdue_framework_renewal_call(demo_home) -> None:
    overdue = _section(demo_home("nkam"), "overdue")
    assert "Call about the framework renewal timeline" in overdue
    assert "Clara Hoffmann · Q3 2026" in overdue
    assert "Mark done" in overdue


def test_kam_is_reminded_to_thank_engineering(demo_home) -> None:
    care = _section(demo_home("kam"), "care")
    assert "Time to say thank you?" in care
    assert "Eva Weber (Engineering): last thanked 157 days ago" in care


def test_manager_sees_the_portfolio_summary_with_a_dropped_account(demo_home) -> None:
    text = demo_home("manager")
    assert "Portfolio: 12 active accounts" in text
    assert "Dropped a band since last week" in text and "Brightline Pharma plc" in text
    assert "Expired plans" in text and "Fjord Energy ASA" in text
    assert "Plans to review" in text
    assert "You are not on any key account team yet." not in text


def test_innendienst_gets_one_line_per_account_and_her_own_work(demo_home) -> None:
    text = demo_home("innendienst")
    assert text.count('my-account"') == 11
    assert "Send the 2027 price list early" in _section(text, "soon")


def test_outsider_is_pointed_to_the_directory(demo_home) -> None:
    text = demo_home("outsider")
    assert "You are not on any key account team yet." in text
    assert "Nordstern" not in text
