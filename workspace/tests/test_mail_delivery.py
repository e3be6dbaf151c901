"""Mail that reaches people (issue 14): reminders, notification e-mails, the weekly digest,
and one-click unsubscribe. Sent through a real SMTP server (tests/smtp.py) and
parsed as it arrived; the task backend of the tests runs each mail at once.
"""

from __future__ import annotations

import datetime
import re
from email.message import EmailMessage
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import schedule
from notifications.digest_models import DigestOptOut, DigestSent
from notifications.emails import DIGEST, unsubscribe_path
from notifications.kinds import Channel, Kind
from notifications.models import Notification, NotificationPreference
from notifications.services import channel_for, notify
from tests.fixtures import World
from tests.smtp import SmtpServer
from touchpoints.reminders import send_reminders
from users.models import User
from workspace import digest as digest_module
from workspace.digest import send_digests, week_of

TODAY = datetime.date(2026, 12, 2)  # a Wednesday in Q4


def _parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def _dated_tomorrow(world: World, owner: str = "lead") -> None:
    tp = world.touchpoint
    tp.date = TODAY + datetime.timedelta(days=1)
    tp.owner = world.lead_membership if owner == "lead" else world.membership
    tp.save()


@pytest.fixture
def addresses(world: World) -> World:
    User.objects.filter(pk=world.lead.pk).update(email="lena@example.com", language="de")
    User.objects.filter(pk=world.member.pk).update(email="max@example.com", language="en")
    User.objects.filter(pk=world.outsider.pk).update(email="otto@example.com")
    for who in ("lead", "member", "outsider"):
        getattr(world, who).refresh_from_db()
    return world


def test_reminder_the_day_before_arrives_by_mail_in_the_owners_language(
    addresses: World, smtp_server: SmtpServer, django_capture_on_commit_callbacks
) -> None:
    _dated_tomorrow(addresses)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(today=TODAY) == 1
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "lena@example.com"
    assert message["Content-Language"] == "de"
    text, html = _parts(message)
    assert "Christmas gift" in text and "Christmas gift" in html
    assert '<html lang="de">' in html
    # Links work from a mail program: absolute, to the touchpoint plan.
    grid = reverse("touchpoints:grid", args=[addresses.account.slug])
    assert re.search(r"https?://[^\s]+/notifications/\d+/open/", text)
    notification = Notification.objects.get(kind=Kind.TOUCHPOINT_REMINDER)
    assert notification.url.startswith(grid) and notification.recipient == addresses.lead
    # One-click unsubscribe (RFC 8058).
    # (A long header is folded: the parsed value may start with the fold's space.)
    assert str(message["List-Unsubscribe"]).strip().startswith("<http")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_reminders_run_twice_remind_once(
    addresses: World, smtp_server: SmtpServer, django_capture_on_commit_callbacks
) -> None:
    _dated_tomorrow(addresses)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(today=TODAY)
        assert send_reminders(today=TODAY) == 0
    smtp_server.wait_for(1)
    assert Notification.objects.filter(kind=Kind.TOUCHPOINT_REMINDER).count() == 1
    assert len(smtp_server.messages) == 1


@pytest.mark.parametrize(("channel", "stored", "mailed"), [("app", 1, 0), ("off", 0, 0)])
def test_reminders_follow_the_owners_choice(
    addresses: World,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks,
    channel: str,
    stored: int,
    mailed: int,
) -> None:
    NotificationPreference.objects.create(
        user=addresses.lead, kind=Kind.TOUCHPOINT_REMINDER, channel=channel
    )
    _dated_tomorrow(addresses)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(today=TODAY)
    assert Notification.objects.filter(kind=Kind.TOUCHPOINT_REMINDER).count() == stored
    assert len(smtp_server.messages) == mailed


def test_no_reminder_for_done_touchpoints_or_other_days(
    addresses: World, smtp_server: SmtpServer
) -> None:
    _dated_tomorrow(addresses)
    assert send_reminders(today=TODAY + datetime.timedelta(days=1)) == 0
    addresses.touchpoint.status = "done"
    addresses.touchpoint.save()
    assert send_reminders(today=TODAY) == 0


def test_a_notification_by_mail_and_its_one_click_unsubscribe(
    addresses: World, smtp_server: SmtpServer, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            kind=Kind.MADE_LEAD,
            recipients=[addresses.member],
            actor=addresses.lead,
            account=addresses.account,
            url=addresses.account.get_absolute_url(),
            params={"account": addresses.account.name, "role": "GKAM"},
        )
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "max@example.com" and message["Content-Language"] == "en"
    text, _html = _parts(message)
    assert f"You are now a lead of {addresses.account.name}" in text
    link = str(message["List-Unsubscribe"]).strip().strip("<>")
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    # The mail program's one-click POST: no login, no CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert channel_for(addresses.member, Kind.MADE_LEAD) == Channel.APP
    # The same in the browser: it asks first.
    page = Client().get(path)
    assert page.status_code == 200 and b'method="post"' in page.content


def test_unsubscribing_leaves_a_later_choice_alone(addresses: World) -> None:
    NotificationPreference.objects.create(
        user=addresses.member, kind=Kind.MADE_LEAD, channel=Channel.OFF
    )
    Client().post(unsubscribe_path(addresses.member.pk, Kind.MADE_LEAD))
    assert channel_for(addresses.member, Kind.MADE_LEAD) == Channel.OFF


@pytest.mark.parametrize("token", ["nonsense", "a" * 300])
def test_a_forged_unsubscribe_link_is_404(addresses: World, token: str) -> None:
    response = Client().post(reverse("unsubscribe", args=[token]))
    assert response.status_code == 404
    assert not NotificationPreference.objects.exists() and not DigestOptOut.objects.exists()


def _overdue_for_member(world: World) -> None:
    tp = world.touchpoint
    tp.owner, tp.quarter, tp.date = world.membership, 3, None  # Q3 is over: overdue
    tp.save()


def test_digest_one_per_person_with_items_none_to_others_and_once_a_week(
    addresses: World, smtp_server: SmtpServer, django_capture_on_commit_callbacks
) -> None:
    _overdue_for_member(addresses)
    with django_capture_on_commit_callbacks(execute=True):
        run = send_digests(today=TODAY)
    wanted = set(DigestSent.objects.values_list("user__email", flat=True))
    assert "max@example.com" in wanted and "otto@example.com" not in wanted
    messages = smtp_server.wait_for(run.sent)
    assert run.sent == len(wanted) == len(messages)
    assert {m["To"] for m in messages} == wanted
    digest = next(m for m in messages if m["To"] == "max@example.com")
    text, html = _parts(digest)
    assert "Christmas gift" in text and "Christmas gift" in html
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Twice in a week: nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        again = send_digests(today=TODAY + datetime.timedelta(days=1))
    assert again.sent == 0 and len(smtp_server.messages) == len(messages)
    assert DigestSent.objects.filter(week=week_of(TODAY)).count() == run.sent


def test_a_failing_digest_is_logged_and_does_not_stop_the_others(
    addresses: World,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _overdue_for_member(addresses)
    real = digest_module.digest_for

    def broken_for_max(*, user: User, **kwargs: object) -> digest_module.Digest:
        if user.username == "member":
            raise RuntimeError("template broke")
        return real(user=user, **kwargs)

    with (
        mock.patch.object(digest_module, "digest_for", broken_for_max),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run = send_digests(today=TODAY)
    assert run.failed == ["member"] and "template broke" in caplog.text
    assert not DigestSent.objects.filter(user=addresses.member).exists()
    # The next run tries again, and only Max gets a digest now.
    before = len(smtp_server.messages)
    with django_capture_on_commit_callbacks(execute=True):
        retry = send_digests(today=TODAY)
    assert retry.sent == 1 and retry.failed == []
    assert smtp_server.wait_for(before + 1)[-1]["To"] == "max@example.com"


def test_digest_unsubscribe_stops_the_next_digests(
    addresses: World, smtp_server: SmtpServer, django_capture_on_commit_callbacks
) -> None:
    _overdue_for_member(addresses)
    Client().post(unsubscribe_path(addresses.member.pk, DIGEST))
    assert DigestOptOut.objects.filter(user=addresses.member).exists()
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(today=TODAY)
    assert "max@example.com" not in {m["To"] for m in smtp_server.messages}


def test_digest_holds_the_notifications_chosen_for_it(addresses: World) -> None:
    _overdue_for_member(addresses)
    notify(
        kind=Kind.MATRIX_AGREED,  # by default in the digest
        recipients=[addresses.member],
        actor=addresses.lead,
        account=addresses.account,
        url="/",
        params={"account": addresses.account.name, "date": "2026-11-30"},
    )
    found = digest_module.digest_for(user=addresses.member, today=TODAY, now=timezone.now())
    assert any("agreed the RACI matrix" in n["text"] for n in found.news)


def test_digests_and_reminders_are_scheduled() -> None:
    jobs = schedule.jobs()
    assert str(jobs["workspace.digests"].cadence) == "weekly on Monday at 06:00"
    assert str(jobs["touchpoints.reminders"].cadence) == "daily at 06:00"
    assert str(jobs["portfolio.health_snapshot"].cadence) == "weekly on Monday at 05:30"
