"""Companions: colleagues who join a touchpoint (the handbook: take inside sales along)
see it in their My touchpoints and calendar; the owner stays in charge and marks it done;
done, it is an activity with all of them."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from activities.models import Activity
from tests.factories import TeamMemberFactory, UserFactory, role
from tests.fixtures import World
from tests.queries import page_queries
from touchpoints.models import CalendarFeed, Touchpoint

pytestmark = pytest.mark.django_db


def _edit(world: World, **overrides: object) -> object:
    tp = world.touchpoint
    tp.refresh_from_db()
    data: dict[str, object] = {
        "contact": world.contact.pk,
        "quarter": tp.quarter,
        "year": tp.year,
        "kind": tp.kind,
        "title": tp.title,
        "owner": world.lead_membership.pk,
        "status": tp.status,
        "date": "2026-12-15",
        "outcome": tp.outcome,
        "companions": [world.membership.pk],
        "version": tp.version,
    }
    data.update(overrides)
    url = reverse("touchpoints:edit", args=[world.account.slug, tp.pk])
    return world.client_for("lead").post(url, data)


def test_a_lead_names_a_companion_who_then_sees_it_in_my_touchpoints(world: World) -> None:
    assert _edit(world).status_code == 302
    assert list(world.touchpoint.companions.all()) == [world.membership]
    page = world.client_for("member").get(reverse("my_touchpoints"))
    assert "Christmas gift" in page.text
    assert "You join Lena Lead" in page.text
    # The owner marks it done, not the companion: no button for them here.
    done = reverse("touchpoints:done", args=[world.account.slug, world.touchpoint.pk])
    assert done not in page.text
    assert world.client_for("member").get(done).status_code == 403


def test_the_owner_is_not_their_own_companion(world: World) -> None:
    response = _edit(world, companions=[world.lead_membership.pk])
    assert response.status_code == 400
    assert "The owner goes anyway" in response.text
    assert not world.touchpoint.companions.exists()


def test_only_the_accounts_active_team_can_join(world: World) -> None:
    elsewhere = TeamMemberFactory(user=UserFactory(), role=role("engineering"))
    assert _edit(world, companions=[elsewhere.pk]).status_code == 400
    assert _edit(world, companions=[world.former_membership.pk]).status_code == 400
    assert _edit(world, companions=["99999999999999999999"]).status_code == 400
    assert not world.touchpoint.companions.exists()


def test_a_companions_calendar_has_the_touchpoint_with_who_joins(world: World) -> None:
    _edit(world)
    world.client_for("member").post(reverse("calendar_renew"))
    token = CalendarFeed.objects.get(user=world.member).token
    response = Client().get(reverse("calendar_feed", args=[token]))
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == "Max Müller: Christmas gift"
    assert event.decoded("dtstart") == datetime.date(2026, 12, 15)
    assert "with Max Member" in str(event["description"])


def test_done_the_companions_are_the_activitys_participants(world: World) -> None:
    _edit(world, status="done", outcome="She liked it.")
    activity = Activity.objects.get(touchpoint=world.touchpoint)
    assert set(activity.participants.all()) == {world.lead, world.member}
    # Taking the companion off later takes them off the activity too.
    _edit(world, status="done", outcome="She liked it.", companions=[])
    assert list(activity.participants.all()) == [world.lead]


def test_marked_done_its_companions_are_read_once_and_the_worker_makes_them_participants(
    world: World, database_queue
) -> None:
    """Marking done reads the link table once, for the history entry
    (touchpoints.services); the worker's task gives the activity the companion
    as a participant (activities.tasks)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _edit(world)  # the member joins, still planned
    world.touchpoint.refresh_from_db()
    url = reverse("touchpoints:done", args=[world.account.slug, world.touchpoint.pk])
    with CaptureQueriesContext(connection) as ctx:
        response = world.client_for("lead").post(
            url, {"outcome": "Went well.", "version": world.touchpoint.version}
        )
    assert response.status_code == 302
    reads = [q for q in ctx.captured_queries if '"touchpoints_touchpoint_companions"' in q["sql"]]
    assert len(reads) == 1
    entry = world.touchpoint.history.first()
    assert (entry.status, [c.accountteammember_id for c in entry.companions.all()]) == (
        "done",
        [world.membership.pk],
    )
    assert not Activity.objects.filter(touchpoint=world.touchpoint).exists()
    database_queue.run()
    activity = Activity.objects.get(touchpoint=world.touchpoint)
    assert set(activity.participants.all()) == {world.lead, world.member}


def test_the_companions_history_is_kept(world: World) -> None:
    _edit(world)
    history = world.client_for("lead").get(
        reverse("accounts:history", args=[world.account.slug]) + "?kind=touchpoints"
    )
    assert history.status_code == 200
    assert world.touchpoint.history.first().companions.count() == 1


def test_a_new_touchpoints_entry_reads_no_link_table(world: World) -> None:
    """Created, a row has no companions yet: its "created" entry says so without a
    query; the companions added next get an entry of their own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        tp = Touchpoint.objects.create(
            account=world.account, contact=world.contact, year=2026, quarter=2,
            title="Plant tour", owner=world.lead_membership,
        )  # fmt: skip
    assert not [q for q in ctx.captured_queries if "touchpoint_companions" in q["sql"]]
    tp.companions.add(world.membership)
    created, added = tp.history.order_by("history_id")
    assert (created.history_type, created.companions.count()) == ("+", 0)
    assert [c.accountteammember_id for c in added.companions.all()] == [world.membership.pk]


@pytest.mark.parametrize("size", [2, 12])
def test_my_touchpoints_reads_companions_in_fixed_queries(world: World, size: int) -> None:
    for i in range(size):
        seat = TeamMemberFactory(account=world.account, user=UserFactory(), role=role("gkam"))
        tp = Touchpoint.objects.create(
            account=world.account,
            contact=world.contact,
            year=2026,
            quarter=4,
            title=f"Visit {i}",
            owner=seat,
        )
        tp.companions.set([world.membership])
    client = world.client_for("member")
    # A page of them: its rows, and how many are overdue and upcoming in all.
    assert page_queries(client, reverse("my_touchpoints")) == 9
    assert f"Visit {size - 1}" in client.get(reverse("my_touchpoints")).text


def test_marked_done_with_several_companions_each_link_keeps_its_seat(world: World) -> None:
    """The companions' links come with the touchpoint (two arrays on PostgreSQL:
    selectors.touchpoint_to_mark_done); the history entry pairs each link with
    its own seat, as the link table holds them."""
    third = TeamMemberFactory(account=world.account, user=UserFactory(), role=role("engineering"))
    second = TeamMemberFactory(account=world.account, user=UserFactory(), role=role("inside-sales"))
    _edit(world, companions=[third.pk, world.membership.pk, second.pk])
    world.touchpoint.refresh_from_db()
    held = set(
        Touchpoint.companions.through.objects.filter(touchpoint=world.touchpoint).values_list(
            "id", "accountteammember_id"
        )
    )
    assert len(held) == 3
    response = world.client_for("lead").post(
        reverse("touchpoints:done", args=[world.account.slug, world.touchpoint.pk]),
        {"outcome": "All three came.", "version": world.touchpoint.version},
    )
    assert response.status_code == 302
    entry = world.touchpoint.history.first()
    assert entry.status == "done"
    # The entry's rows keep the link's id beside its seat.
    assert {(c.id, c.accountteammember_id) for c in entry.companions.all()} == held
