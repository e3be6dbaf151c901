"""Touchpoint and relationship plans, team rhythm, my touchpoints, calendar feeds."""

from __future__ import annotations

import datetime
import io
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from accounts.models import BuyingCentreRole
from activities.models import Activity
from core import fragments
from notifications.kinds import Kind
from notifications.models import Notification
from tests.factories import (
    ContactFactory,
    KeyAccountFactory,
    TeamMemberFactory,
    UserFactory,
    role,
)
from tests.fixtures import World
from tests.queries import page_queries
from tests.snapshot import database_snapshot
from touchpoints import selectors, services
from touchpoints.models import CalendarFeed, RelationshipPair, TeamMeeting, Touchpoint


def _today(day: datetime.date):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def _data(world: World, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "contact": world.contact.pk,
        "quarter": 2,
        "year": 2026,
        "kind": "content",
        "title": "Reference story as a letter",
        "owner": world.membership.pk,
        "status": "planned",
        "date": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("day", "overdue"),
    [
        (datetime.date(2026, 12, 31), False),  # last day of Q4: not yet
        (datetime.date(2027, 1, 1), True),  # the quarter is over
    ],
)
def test_overdue_is_derived_at_the_quarter_boundary(world: World, day, overdue) -> None:
    tp = world.touchpoint  # planned, Q4 2026
    with _today(day):
        assert tp.is_overdue is overdue
    tp.status = Touchpoint.Status.DONE
    with _today(day):
        assert tp.is_overdue is False


def test_a_planned_touchpoint_whose_date_passed_is_overdue_on_every_page(world: World) -> None:
    """The home page called a touchpoint dated 3 December overdue on the 7th, my
    touchpoints called it upcoming and the grid planned: one rule for all now
    (touchpoints.models.overdue_condition)."""
    from portfolio.selectors import signals_queryset
    from touchpoints.mine import my_touchpoints
    from workspace.today_items import is_late

    day = datetime.date(2026, 12, 7)
    late = Touchpoint.objects.create(
        account=world.account,
        contact=world.contact,
        year=2026,
        quarter=4,
        date=datetime.date(2026, 12, 3),
        title="Annual review at headquarters",
        owner=world.membership,
    )
    due_today = Touchpoint.objects.create(
        account=world.account,
        contact=world.contact,
        year=2026,
        quarter=4,
        date=day,
        title="Call today",
        owner=world.membership,
    )
    with _today(day):
        assert late.is_overdue and is_late(late, day)
        assert not due_today.is_overdue and not is_late(due_today, day)
        overdue = set(Touchpoint.objects.filter(account=world.account).overdue(day))
        assert late in overdue and due_today not in overdue
        mine = my_touchpoints(world.membership.user)
        assert late in mine["overdue"] and due_today in mine["upcoming"]
        assert mine["overdue_count"] == sum(tp.is_overdue for tp in mine["overdue"])
        coverage = selectors.coverage(world.account)
        assert late in coverage.overdue and due_today not in coverage.overdue
        signals = signals_queryset(today=day).get(pk=world.account.pk)  # the health score's
        assert signals.tp_year_overdue == signals.tp_overdue - (
            Touchpoint.objects.filter(account=world.account).overdue(day).exclude(year=2026).count()
        )
        assert signals.tp_overdue == len(overdue)


def test_lead_adds_a_touchpoint_in_the_grid_with_htmx(world: World, lead_client) -> None:
    url = reverse("touchpoints:create", args=[world.account.slug])
    form = lead_client.get(
        f"{url}?contact={world.contact.pk}&quarter=2&year=2026", HTTP_HX_REQUEST="true"
    )
    assert "<form" in form.content.decode() and "<html" not in form.content.decode()
    response = lead_client.post(f"{url}?year=2026", _data(world), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith(f'<td id="cell-{world.contact.pk}-2"')
    assert "Reference story as a letter" in html
    assert world.account.touchpoints.filter(quarter=2).count() == 1
    # The form swapped itself into the cell; the saved cell replaces the whole <td>.
    assert response["HX-Retarget"] == f"#cell-{world.contact.pk}-2"
    assert response["HX-Reswap"] == "outerHTML"


def test_a_touchpoint_added_or_marked_done_in_the_grid_costs_the_same_queries_at_any_size(
    world: World,
    lead_client,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
    monkeypatch,
    database_queue,
) -> None:
    """The in-place edits of `make bench`, pinned: no query grows with the plan.
    With the production queue (django_tasks_db), as `make bench` measures them.

    Added (10): session, user, access, the form's contact (the owner is the
    lead's own seat, which the access check read: core.forms.HeldChoiceField), the
    transaction (no savepoint inside it: core.forms.save_checked), insert,
    history (a new row has no companions to read: core.models), the counter,
    and the redrawn cell's touchpoints (its contact is the form's). The model
    checks of quarter, status, kind, contact and owner read nothing
    (core.validation). Marked done (10; 11 off PostgreSQL): session, user,
    access, the touchpoint with its owner, contact and companions' links (for
    its history entry: core.models.links_known; off PostgreSQL a query of its
    own), the transaction, the versioned update (the version check in its
    WHERE: core.models.Versioned) with its history (a changed row: no history
    read, core.history_guard), one queued task for what follows from it (its
    activity and the owner's notification: core.task_queue.queued_as_one), the
    counter. The activity's seven statements and the notification's one are
    the worker's, not the request's."""
    done_queries = 10 if connection.vendor == "postgresql" else 11
    # The cache counters move after the commit, as in production (the suite
    # moves them at once, one statement per save).
    monkeypatch.setattr(fragments, "_after_commit", transaction.on_commit)
    create = reverse("touchpoints:create", args=[world.account.slug])

    def add_and_mark_done(n: int) -> None:
        data = _data(world, title=f"Story {n}", owner=world.lead_membership.pk)
        with django_assert_num_queries(10), django_capture_on_commit_callbacks(execute=True):
            response = lead_client.post(f"{create}?year=2026", data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        added = world.account.touchpoints.get(title=f"Story {n}")
        # Owned by the lead's colleague, so that the owner hears of it.
        added.owner = world.membership
        added.save()
        done = reverse("touchpoints:done", args=[world.account.slug, added.pk])
        with (
            django_assert_num_queries(done_queries),
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = lead_client.post(
                done, {"outcome": "Went well.", "version": added.version}, HTTP_HX_REQUEST="true"
            )
        assert response.status_code == 200
        assert database_queue.waiting() == ["core.task_queue.run_together"]
        assert not Activity.objects.filter(touchpoint=added).exists()
        told = Notification.objects.filter(recipient=world.member, kind=Kind.TOUCHPOINT_CHANGED)
        before = told.count()
        assert database_queue.run() == 1
        assert Activity.objects.get(touchpoint=added).note == "Went well."
        assert told.count() == before + 1
        assert told.first().params["title"] == f"Story {n}"

    lead_client.get("/")  # warm up
    add_and_mark_done(1)
    for i in range(40):
        contact = ContactFactory(account=world.account)
        Touchpoint.objects.create(
            account=world.account,
            contact=contact,
            year=2026,
            quarter=1 + i % 4,
            title=f"More {i}",
            owner=world.membership,
        )
    add_and_mark_done(2)


def test_invalid_touchpoint_in_the_grid_keeps_the_form_and_its_error(
    world: World, lead_client
) -> None:
    url = reverse("touchpoints:create", args=[world.account.slug])
    form = lead_client.get(
        f"{url}?contact={world.contact.pk}&quarter=2&year=2026", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'hx-target="this"' in form  # errors replace the form, inside its cell
    response = lead_client.post(f"{url}?year=2026", _data(world, title=""), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith("<form") and "is-invalid" in html
    assert "HX-Retarget" not in response
    assert world.account.touchpoints.filter(quarter=2).count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"quarter": 5}, "quarter"),
        ({"date": "2025-05-01"}, "date"),  # another year
        ({"date": "2026-08-01"}, "date"),  # another quarter
        ({"title": ""}, "title"),
    ],
)
def test_bad_touchpoints_are_refused_at_the_field(world, lead_client, overrides, field) -> None:
    before = database_snapshot()
    response = lead_client.post(
        reverse("touchpoints:create", args=[world.account.slug]), _data(world, **overrides)
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert database_snapshot() == before


def test_contact_of_another_account_and_owner_off_the_team_are_refused(world, lead_client):
    stranger = ContactFactory()
    outsider_member = TeamMemberFactory()
    before = database_snapshot()
    response = lead_client.post(
        reverse("touchpoints:create", args=[world.account.slug]),
        _data(world, contact=stranger.pk, owner=outsider_member.pk),
    )
    assert response.status_code == 400
    assert {"contact", "owner"} <= set(response.context["form"].errors)
    assert database_snapshot() == before


def test_a_held_seat_is_taken_as_owner_only_if_the_queryset_would_take_it(world: World) -> None:
    """The view hands the form the seats its access check read; a seat there of
    another account, or archived since, is still looked up (and refused)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from touchpoints.forms import TouchpointForm

    elsewhere = TeamMemberFactory(user=world.lead, role=role("gkam"))
    held = (world.lead_membership, elsewhere, world.former_membership)

    def owner_errors(owner: int) -> tuple[list[str], int]:
        form = TouchpointForm(_data(world, owner=owner), account=world.account, own_seats=held)
        with CaptureQueriesContext(connection) as ctx:
            errors = form.errors.get("owner", [])
        lookups = [q for q in ctx.captured_queries if "accountteammember" in q["sql"]]
        return errors, len(lookups)

    assert owner_errors(world.lead_membership.pk) == ([], 0)  # held: no lookup
    for seat in (elsewhere, world.former_membership):
        errors, lookups = owner_errors(seat.pk)
        assert errors and lookups == 1


def test_owner_marks_their_touchpoint_done_from_my_touchpoints(world: World) -> None:
    tp = Touchpoint.objects.create(
        account=world.account,
        contact=world.contact,
        year=2026,
        quarter=4,
        title="Price list",
        owner=world.membership,
    )
    client = world.client_for("member")
    page = client.get(reverse("my_touchpoints"))
    assert tp in page.context["upcoming"]
    url = reverse("touchpoints:done", args=[world.account.slug, tp.pk])
    response = client.post(
        f"{url}?next=/me/touchpoints/", {"outcome": "Sent, thanked.", "version": 1}
    )
    assert response["Location"] == "/me/touchpoints/"
    tp.refresh_from_db()
    assert tp.status == "done" and tp.outcome == "Sent, thanked."
    # Not someone else's: the lead's own touchpoint stays closed to the member.
    other = reverse("touchpoints:done", args=[world.account.slug, world.touchpoint.pk])
    assert client.post(other, {"outcome": "x"}).status_code == 403


def test_done_refuses_foreign_redirects(world: World, lead_client) -> None:
    url = reverse("touchpoints:done", args=[world.account.slug, world.touchpoint.pk])
    response = lead_client.post(f"{url}?next=https://evil.example/", {"outcome": "", "version": 1})
    assert "evil" not in response["Location"]


@pytest.mark.parametrize("target", ["0", "-1", "²", "home", "//evil.example/x"])
def test_done_goes_to_the_grid_when_next_is_not_a_local_path(
    world: World, lead_client, target: str
) -> None:
    """Found by the extended fuzz run: a bare word was taken for a view name (500)."""
    url = reverse("touchpoints:done", args=[world.account.slug, world.touchpoint.pk])
    response = lead_client.post(
        url, {"outcome": "Sent.", "version": 1}, QUERY_STRING=f"next={target}"
    )
    assert response.status_code == 302
    grid = reverse("touchpoints:grid", args=[world.account.slug])
    assert response["Location"] == f"{grid}?year={world.touchpoint.year}"
    world.touchpoint.refresh_from_db()
    assert world.touchpoint.status == "done"


def test_coverage_points_at_real_gaps(world: World) -> None:
    decider = BuyingCentreRole.objects.get(code="decider")
    boss = ContactFactory(account=world.account, last_name="Boss")
    boss.buying_roles.add(decider)
    Touchpoint.objects.create(
        account=world.account,
        contact=boss,
        year=2026,
        quarter=2,
        title="Old call",
        owner=world.lead_membership,
    )
    with _today(datetime.date(2026, 11, 25)):
        c = selectors.coverage(world.account)
    assert boss in c.no_touchpoint_this_quarter and boss not in c.no_touchpoint_this_year
    assert world.contact not in c.no_touchpoint_this_quarter  # the world's Q4 touchpoint
    assert c.deciders_without_owner == [boss]  # world.contact has a relationship owner
    assert [tp.title for tp in c.overdue] == ["Old call"]
    assert c.no_in_person_meeting
    TeamMeeting.objects.create(
        account=world.account,
        year=2026,
        quarter=3,
        purpose="Workshop",
        format="in_person",
        status="held",
    )
    with _today(datetime.date(2026, 11, 25)):
        assert not selectors.coverage(world.account).no_in_person_meeting


def _planned(world: World, year: int, quarter: int, title: str) -> Touchpoint:
    """A planned touchpoint of the lead's with the world's contact."""
    return Touchpoint.objects.create(
        account=world.account,
        contact=world.contact,
        year=year,
        quarter=quarter,
        title=title,
        owner=world.lead_membership,
    )


def test_the_overview_names_the_oldest_overdue_and_counts_them_all(world: World) -> None:
    """An account whose plan nobody kept: the overview lists OVERDUE_SHOWN of its
    overdue touchpoints, the oldest first, says how many there are and links the rest."""
    for i in range(selectors.OVERDUE_SHOWN + 3):
        _planned(world, 2025 if i < 2 else 2026, 4 - i % 4 if i < 2 else 1 + i % 3, f"Late {i}")
    with _today(datetime.date(2026, 11, 25)):
        c = selectors.coverage(world.account)
        page = world.client_for("member").get(reverse("accounts:detail", args=["nordwind"]))
    assert c.overdue_count == selectors.OVERDUE_SHOWN + 3 and c.overdue_more == 3
    assert [(tp.year, tp.quarter) for tp in c.overdue][:2] == [(2025, 3), (2025, 4)]
    assert len(c.overdue) == selectors.OVERDUE_SHOWN
    html = page.content.decode()
    assert f"{selectors.OVERDUE_SHOWN + 3} overdue touchpoints:" in html
    grid = reverse("touchpoints:grid", args=["nordwind"])
    assert f'<a href="{grid}?year=2025">and 3 more in the touchpoint plan</a>' in html
    assert html.count("Late ") == selectors.OVERDUE_SHOWN


def test_a_few_overdue_are_all_named_without_a_more_link(world: World) -> None:
    _planned(world, 2026, 1, "Late")
    with _today(datetime.date(2026, 11, 25)):
        c = selectors.coverage(world.account)
    assert (c.overdue_count, c.overdue_more, [tp.title for tp in c.overdue]) == (1, 0, ["Late"])
    assert selectors.coverage(KeyAccountFactory()).overdue_count == 0


def test_rhythm_warns_without_in_person_meeting(world: World) -> None:
    page = world.client_for("member").get(
        reverse("touchpoints:rhythm", args=[world.account.slug]) + "?year=2026"
    )
    assert "No in-person team meeting" in page.content.decode()


def test_roll_forward_copies_once_as_planned(world: World, lead_client) -> None:
    world.touchpoint.status = "done"
    world.touchpoint.outcome = "Liked it"
    world.touchpoint.date = datetime.date(2026, 12, 15)
    world.touchpoint.save()
    url = reverse("touchpoints:roll_forward", args=[world.account.slug]) + "?year=2026"
    assert lead_client.get(url).status_code == 200
    lead_client.post(url)
    copy = world.account.touchpoints.get(year=2027)
    assert (copy.status, copy.outcome, copy.date) == ("planned", "", datetime.date(2027, 12, 15))
    assert world.account.meetings.filter(year=2027).count() == 1
    lead_client.post(url)
    assert world.account.touchpoints.filter(year=2027).count() == 1


def test_relationship_plan_shows_fit_and_suggests_owners(world: World, lead_client) -> None:
    from profiles.models import Profile

    Profile.objects.create(user=world.lead, primary_colour="red")
    Profile.objects.create(contact=world.contact, primary_colour="green")
    lonely = ContactFactory(account=world.account, last_name="Lonely")
    Profile.objects.create(contact=lonely, primary_colour="blue")
    page = lead_client.get(reverse("touchpoints:relationships", args=[world.account.slug]))
    html = page.content.decode()
    assert "opposite colour" in html  # red lead with green contact
    suggestions = dict(page.context["suggestions"])
    assert [m.user for m in suggestions[lonely]] == [world.lead]  # red fits blue


def test_duplicate_relationship_pair_is_refused(world: World, lead_client) -> None:
    response = lead_client.post(
        reverse("touchpoints:relationship_create", args=[world.account.slug]),
        {
            "member": world.lead_membership.pk,
            "contact": world.contact.pk,
            "current_level": 1,
            "target_level": 3,
            "cadence": "quarterly",
        },
    )
    assert response.status_code == 400
    assert RelationshipPair.objects.count() == 1


def test_calendar_feed_works_without_login_and_can_be_revoked(world: World, lead_client):
    world.touchpoint.date = datetime.date(2026, 12, 15)
    world.touchpoint.save()
    lead_client.post(reverse("calendar_renew"))
    token = CalendarFeed.objects.get(user=world.lead).token
    url = reverse("calendar_feed", args=[token])
    response = Client().get(url)
    assert response["Content-Type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(response.content).walk("VEVENT")]
    assert [str(e["summary"]) for e in events] == ["Max Müller: Christmas gift"]
    assert events[0].decoded("dtstart") == datetime.date(2026, 12, 15)
    lead_client.post(reverse("calendar_renew"))
    assert Client().get(url).status_code == 404  # the old address is dead
    lead_client.post(reverse("calendar_revoke"))
    assert not CalendarFeed.objects.exists()
    assert Client().get(reverse("calendar_feed", args=["never-existed"])).status_code == 404


def test_account_calendar_download(world: World) -> None:
    world.touchpoint.date = datetime.date(2026, 12, 15)
    world.touchpoint.save()
    response = world.client_for("member").get(
        reverse("touchpoints:account_ics", args=[world.account.slug])
    )
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 1


def test_export_matches_the_grid(world: World) -> None:
    client = world.client_for("member")
    response = client.get(
        reverse("touchpoints:export_xlsx", args=[world.account.slug]) + "?year=2026"
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[3]] == ["Customer contact", "Q1", "Q2", "Q3", "Q4"]
    row = [c.value for c in ws[4]]
    assert row[0].startswith("Max Müller")
    assert row[1:4] == [None, None, None]
    assert row[4].startswith("Christmas gift") and world.lead.display_name in row[4]


def test_only_owner_of_planned_touchpoints_cannot_leave_silently(world: World) -> None:
    from accounts.services import member_removal_blockers

    Touchpoint.objects.create(
        account=world.account,
        contact=world.contact,
        year=2026,
        quarter=4,
        title="Price list",
        owner=world.membership,
    )
    assert any("touchpoints" in r for r in member_removal_blockers(world.membership))


def test_feed_service_renews_token(world: World) -> None:
    first = services.feed_renew(user=world.member).token
    assert services.feed_renew(user=world.member).token != first


def _grow(world: World, n: int) -> None:
    members = [
        TeamMemberFactory(account=world.account, user=UserFactory(), role=role("engineering"))
        for _ in range(3)
    ]
    contacts = [ContactFactory(account=world.account) for _ in range(5)]
    Touchpoint.objects.bulk_create(
        Touchpoint(
            account=world.account,
            contact=contacts[i % 5],
            year=2026,
            quarter=i % 4 + 1,
            title=f"T{i}",
            owner=members[i % 3],
        )
        for i in range(n)
    )
    Touchpoint.objects.bulk_create(
        Touchpoint(
            account=world.account,
            contact=world.contact,
            year=2026,
            quarter=i % 4 + 1,
            title=f"Mine {i}",
            owner=world.membership,
        )
        for i in range(n // 5)
    )
    RelationshipPair.objects.bulk_create(
        RelationshipPair(account=world.account, member=members[i % 3], contact=c)
        for i, c in enumerate(contacts)
    )


def _queries(world: World, actor: str, url: str) -> int:
    return page_queries(world.client_for(actor), url)


@pytest.mark.parametrize("page", ["grid", "relationships", "mine"])
def test_query_counts_from_5_to_200_touchpoints(world: World, page: str) -> None:
    url = {
        "grid": reverse("touchpoints:grid", args=[world.account.slug]) + "?year=2026",
        "relationships": reverse("touchpoints:relationships", args=[world.account.slug]),
        "mine": reverse("my_touchpoints"),
    }[page]
    _grow(world, 5)
    small = _queries(world, "member", url)
    _grow(world, 195)
    assert _queries(world, "member", url) == small


def test_roll_forward_stops_at_the_last_plan_year(world: World, lead_client) -> None:
    before = database_snapshot()
    url = reverse("touchpoints:roll_forward", args=[world.account.slug]) + "?year=2100"
    response = lead_client.post(url, follow=True)
    assert "last year kamteam plans for" in response.content.decode()
    assert database_snapshot() == before
