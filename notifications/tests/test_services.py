"""notify() and the choices: who is told, who is not, and what goes on to e-mail."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.kinds import DEFAULT_CHANNELS, EXPLANATIONS, GROUPS
from notifications.models import Channel, Kind, Notification, NotificationPreference
from notifications.services import (
    channel_for,
    channels_for,
    notify,
    notify_health_band_dropped,
    notify_touchpoint_reminder,
)
from notifications.signals import notifications_created
from tests.factories import KeyAccountFactory, TeamMemberFactory, UserFactory, role
from tests.fixtures import World

pytestmark = pytest.mark.django_db


def _notify(world: World, recipients, kind: str = Kind.MATRIX_AGREED, actor=None):
    return notify(
        kind=kind,
        recipients=recipients,
        actor=actor,
        account=world.account,
        url="/accounts/nordwind/raci/",
        params={"account": "Nordwind AG", "date": "2026-09-15"},
    )


def _prefer(user, kind: str, channel: str) -> None:
    NotificationPreference.objects.create(user=user, kind=kind, channel=channel)


def test_every_kind_has_a_default_a_group_and_an_explanation() -> None:
    grouped = [kind for _title, kinds in GROUPS for kind in kinds]
    assert sorted(grouped) == sorted(Kind.values)  # each once
    assert set(DEFAULT_CHANNELS) == set(Kind.values) == set(EXPLANATIONS)
    assert Channel.OFF not in DEFAULT_CHANNELS.values()


def test_the_actor_is_never_told_of_their_own_change(world: World) -> None:
    created = _notify(world, [world.lead, world.member], actor=world.lead)
    assert [n.recipient for n in created] == [world.member]
    assert not Notification.objects.filter(recipient=world.lead).exists()


def test_off_stores_nothing_and_the_other_channels_store_one_each(world: World) -> None:
    _prefer(world.member, Kind.MATRIX_AGREED, Channel.OFF)
    _prefer(world.lead, Kind.MATRIX_AGREED, Channel.APP)
    assert [n.recipient for n in _notify(world, [world.lead, world.member])] == [world.lead]
    assert not Notification.objects.filter(recipient=world.member).exists()
    # Off for one kind is not off for another.
    assert len(_notify(world, [world.member], kind=Kind.MATRIX_AGREED)) == 0
    assert len(_notify(world, [world.member], kind=Kind.RACI_LETTER_GIVEN)) == 1


def test_inactive_people_and_people_off_the_team_are_not_told(world: World) -> None:
    gone = UserFactory(username="gone", is_active=False)
    TeamMemberFactory(account=world.account, user=gone, role=role("engineering"))
    former = world.former_membership.user
    created = _notify(world, [gone, former, world.outsider, world.manager, world.member])
    # Only the active member: nobody hears of an account they may not see.
    assert [n.recipient for n in created] == [world.member]
    # The one exception: being taken off the team is told to the person who left.
    created = _notify(world, [former], kind=Kind.REMOVED_FROM_TEAM)
    assert [n.recipient for n in created] == [former]


def test_channel_for_is_the_choice_else_the_default(world: World) -> None:
    assert channel_for(world.member, Kind.PLAN_REVIEWED) == Channel.EMAIL
    assert channel_for(world.member, Kind.TOUCHPOINT_CHANGED) == Channel.DIGEST
    _prefer(world.member, Kind.PLAN_REVIEWED, Channel.APP)
    assert channel_for(world.member.pk, Kind.PLAN_REVIEWED) == Channel.APP


def test_channels_for_many_people_cost_one_query(world: World) -> None:
    people = [UserFactory() for _ in range(20)]
    _prefer(people[3], Kind.MADE_LEAD, Channel.DIGEST)
    with CaptureQueriesContext(connection) as ctx:
        channels = channels_for(people, Kind.MADE_LEAD)
    assert len(ctx.captured_queries) == 1
    assert channels[people[3].pk] == Channel.DIGEST
    assert {channels[p.pk] for p in people if p != people[3]} == {Channel.EMAIL}


def test_notify_costs_the_same_queries_for_one_or_twenty_people(world: World) -> None:
    def queries(count: int) -> int:
        account = KeyAccountFactory()
        people = [UserFactory() for _ in range(count)]
        for person in people:
            TeamMemberFactory(account=account, user=person, role=role("engineering"))
        with CaptureQueriesContext(connection) as ctx:
            created = notify(
                kind=Kind.MADE_LEAD, recipients=people, actor=None, account=account, url="/",
                params={"account": account.name},
            )  # fmt: skip
        assert len(created) == count
        return len(ctx.captured_queries)

    # PostgreSQL: one INSERT ... SELECT reads the people with their choices and
    # writes; elsewhere a read and a bulk insert.
    expected = 1 if connection.vendor == "postgresql" else 2
    assert queries(1) == queries(20) == expected


def test_notify_returns_what_it_stored(world: World) -> None:
    """The one-statement insert hands back saved rows: ids, time and details as stored."""
    account = KeyAccountFactory()
    people = [UserFactory() for _ in range(3)]
    for person in people:
        TeamMemberFactory(account=account, user=person, role=role("engineering"))
    _prefer(people[1], Kind.MADE_LEAD, Channel.OFF)
    created = notify(
        kind=Kind.MADE_LEAD, recipients=people, actor=people[0], account=account, url="/x/",
        params={"account": account.name, "n": [1, "ü"]},
    )  # fmt: skip
    assert [n.recipient_id for n in created] == [people[2].pk]  # not the actor, not "off"
    stored = Notification.objects.get(pk=created[0].pk)
    assert (stored.kind, stored.actor_id, stored.account_id, stored.url) == (
        Kind.MADE_LEAD, people[0].pk, account.pk, "/x/",
    )  # fmt: skip
    assert stored.params == {"account": account.name, "n": [1, "ü"]}
    assert stored.created_at == created[0].created_at
    assert stored.read_at is None and not created[0]._state.adding


def test_the_signal_carries_exactly_the_notifications_to_send_by_email(
    world: World, django_capture_on_commit_callbacks
) -> None:
    third = UserFactory(username="third")
    TeamMemberFactory(account=world.account, user=third, role=role("engineering"))
    _prefer(world.member, Kind.PLAN_REVIEWED, Channel.DIGEST)
    _prefer(third, Kind.PLAN_REVIEWED, Channel.APP)
    received: list[list[Notification]] = []

    def listener(sender, notifications, **kwargs) -> None:
        received.append(notifications)

    notifications_created.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            created = _notify(world, [world.lead, world.member, third], kind=Kind.PLAN_REVIEWED)
            assert received == []  # not before the commit
        assert len(created) == 3
        assert len(received) == 1
        assert [n.recipient for n in received[0]] == [world.lead]  # EMAIL is the default
        assert received[0][0].pk is not None and received[0][0].kind == Kind.PLAN_REVIEWED
        # Nobody by e-mail: no signal at all.
        _prefer(world.lead, Kind.MATRIX_AGREED, Channel.APP)
        with django_capture_on_commit_callbacks(execute=True):
            _notify(world, [world.lead, world.member])
        assert len(received) == 1
    finally:
        notifications_created.disconnect(listener)


def test_the_later_kinds_reach_the_leads_and_the_owner(world: World) -> None:
    dropped = notify_health_band_dropped(
        account=world.account,
        previous={"en": "healthy", "de": "gesund"},
        band={"en": "at risk", "de": "gefährdet"},
        url="/accounts/nordwind/health/",
    )
    # The leads and the managers (on no team of theirs); staff are not managers' group members.
    assert [(n.recipient, n.kind) for n in dropped] == [
        (world.lead, Kind.HEALTH_BAND_DROPPED),
        (world.manager, Kind.HEALTH_BAND_DROPPED),
    ]
    reminded = notify_touchpoint_reminder(
        owner=world.member,
        account=world.account,
        touchpoint_id=world.touchpoint.pk,
        title="Christmas gift",
        contact="Max Müller",
        date=datetime.date(2026, 12, 18),
        url="/accounts/nordwind/touchpoints/?year=2026",
    )
    assert [(n.recipient, n.kind) for n in reminded] == [(world.member, Kind.TOUCHPOINT_REMINDER)]
    assert reminded[0].params["touchpoint"] == world.touchpoint.pk
    assert reminded[0].actor is None


def test_a_failing_listener_is_logged_and_stops_neither_the_others_nor_the_change(
    world: World, django_capture_on_commit_callbacks, caplog
) -> None:
    received: list[list[Notification]] = []

    def broken(sender, notifications, **kwargs) -> None:
        raise ConnectionError("mail queue down")

    def listener(sender, notifications, **kwargs) -> None:
        received.append(notifications)

    notifications_created.connect(broken)
    notifications_created.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            created = _notify(world, [world.lead], kind=Kind.PLAN_REVIEWED)
    finally:
        notifications_created.disconnect(broken)
        notifications_created.disconnect(listener)
    assert received == [created]
    assert "mail queue down" in caplog.text
    assert Notification.objects.filter(recipient=world.lead).exists()
