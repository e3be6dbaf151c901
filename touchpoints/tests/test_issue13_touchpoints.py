"""Issue 13, the touchpoint points: one "mark done" rule, delete offered, meetings
held in the future, relationship levels and pairs, out-of-range years, and the
calendar address asked for before it changes."""

from __future__ import annotations

import datetime
import re
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.access import account_access
from accounts.models import KeyAccount
from tests.fixtures import World
from tests.snapshot import database_snapshot
from touchpoints.access import can_mark_done
from touchpoints.models import CalendarFeed, RelationshipPair, TeamMeeting, Touchpoint


def _today(day: datetime.date):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def _members_touchpoint(world: World) -> Touchpoint:
    return Touchpoint.objects.create(
        account=world.account,
        contact=world.contact,
        year=2026,
        quarter=4,
        title="Price list",
        owner=world.membership,
    )


def _archive(world: World) -> None:
    world.account.status = KeyAccount.Status.ARCHIVED
    world.account.save()


def _grid(client: Client, world: World) -> str:
    url = reverse("touchpoints:grid", args=[world.account.slug]) + "?year=2026"
    return client.get(url).content.decode()


# Point 7: one rule for "may mark done" ------------------------------------------


def _done_url(world: World, tp: Touchpoint) -> str:
    return reverse("touchpoints:done", args=[world.account.slug, tp.pk])


def test_archived_account_offers_no_mark_done_and_refuses_it(world: World) -> None:
    tp = _members_touchpoint(world)
    member = world.client_for("member")
    assert _done_url(world, tp) in _grid(member, world)  # the owner's own, account active
    _archive(world)
    assert _done_url(world, tp) not in _grid(member, world)
    assert _done_url(world, world.touchpoint) not in _grid(world.client_for("lead"), world)
    before = database_snapshot()
    response = member.post(_done_url(world, tp), {"outcome": "Sent.", "version": 1})
    assert response.status_code == 403
    assert database_snapshot() == before


@pytest.mark.parametrize("actor", ["lead", "member", "manager"])
@pytest.mark.parametrize("archived", [False, True])
def test_grid_offers_mark_done_exactly_where_the_view_allows_it(
    world: World, actor: str, archived: bool
) -> None:
    """The grid's link and the view's answer come from one rule (touchpoints.access)."""
    mine = _members_touchpoint(world)
    if archived:
        _archive(world)
    client = world.client_for(actor)
    html = _grid(client, world)
    for tp in (mine, world.touchpoint):
        offered = _done_url(world, tp) in html
        allowed = client.get(_done_url(world, tp)).status_code == 200
        assert offered == allowed, (actor, archived, tp.title)
        access = account_access(getattr(world, actor), world.account.slug)
        assert can_mark_done(access, tp) == allowed


# Point 10: delete offered in the grid and on the edit form ------------------------


def test_grid_offers_delete_to_leads_only(world: World, lead_client) -> None:
    delete = reverse("touchpoints:delete", args=[world.account.slug, world.touchpoint.pk])
    assert delete in _grid(lead_client, world)
    assert delete not in _grid(world.client_for("member"), world)


def test_edit_form_offers_delete_which_asks_first(world: World, lead_client) -> None:
    slug = world.account.slug
    delete = reverse("touchpoints:delete", args=[slug, world.touchpoint.pk])
    edit = lead_client.get(reverse("touchpoints:edit", args=[slug, world.touchpoint.pk]))
    assert edit.status_code == 200 and delete in edit.content.decode()
    new = lead_client.get(reverse("touchpoints:create", args=[slug]))
    assert "/delete/" not in new.content.decode()  # nothing to delete yet
    confirm = lead_client.get(delete)
    assert confirm.status_code == 200 and "Christmas gift" in confirm.content.decode()
    assert Touchpoint.objects.filter(pk=world.touchpoint.pk).exists()
    response = lead_client.post(delete)
    assert response.status_code == 302
    assert not Touchpoint.objects.filter(pk=world.touchpoint.pk).exists()


def test_delete_is_refused_to_members_and_hidden_from_outsiders(world: World) -> None:
    delete = reverse("touchpoints:delete", args=[world.account.slug, world.touchpoint.pk])
    before = database_snapshot()
    assert world.client_for("member").post(delete).status_code == 403
    assert world.client_for("outsider").post(delete).status_code == 404
    assert database_snapshot() == before


# Point 12: a team meeting in the future cannot have been held ----------------------


def _meeting(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "year": 2027,
        "quarter": 1,
        "date": "",
        "format": "in_person",
        "purpose": "Kick-off",
        "status": "held",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "overrides",
    [
        {},  # Q1 2027, no date: the quarter has not begun
        {"year": 2026, "quarter": 4, "date": "2026-12-10"},  # later this quarter
    ],
)
def test_meeting_in_the_future_marked_held_is_refused_at_the_field(
    world: World, lead_client, overrides
) -> None:
    url = reverse("touchpoints:meeting_create", args=[world.account.slug])
    before = database_snapshot()
    with _today(datetime.date(2026, 12, 1)):
        response = lead_client.post(url, _meeting(**overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["status"]
    assert "cannot have been held yet" in errors["status"][0]
    assert database_snapshot() == before


@pytest.mark.parametrize(
    "overrides",
    [
        {"year": 2026, "quarter": 4, "date": "2026-12-01"},  # today
        {"year": 2026, "quarter": 4},  # this quarter, undated
        {"year": 2027, "status": "planned"},  # the future, planned
    ],
)
def test_meeting_held_today_or_before_or_planned_later_is_saved(
    world: World, lead_client, overrides
) -> None:
    url = reverse("touchpoints:meeting_create", args=[world.account.slug])
    with _today(datetime.date(2026, 12, 1)):
        response = lead_client.post(url, _meeting(**overrides))
    assert response.status_code == 302
    assert world.account.meetings.filter(purpose="Kick-off").exists()


def test_meeting_edit_keeps_its_own_year(world: World, lead_client) -> None:
    """The edit form took the year from the address (this year) over the meeting's own."""
    meeting = TeamMeeting.objects.create(
        account=world.account, year=2027, quarter=2, purpose="Workshop"
    )
    with _today(datetime.date(2026, 12, 1)):
        page = lead_client.get(
            reverse("touchpoints:meeting_edit", args=[world.account.slug, meeting.pk])
        )
    assert page.context["form"]["year"].value() == 2027


# Point 13: relationship levels and the duplicate pair -----------------------------


def _pair(world: World, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "member": world.membership.pk,
        "contact": world.contact.pk,
        "current_level": 3,
        "target_level": 2,
        "cadence": "quarterly",
    }
    data.update(overrides)
    return data


def test_target_level_below_current_is_refused_at_the_field(world: World, lead_client) -> None:
    before = database_snapshot()
    response = lead_client.post(
        reverse("touchpoints:relationship_create", args=[world.account.slug]), _pair(world)
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["target_level"]
    assert "cannot be below the current level (good relationship)" in errors["target_level"][0]
    assert database_snapshot() == before
    # The same level is a target too: hold what the relationship has.
    response = lead_client.post(
        reverse("touchpoints:relationship_create", args=[world.account.slug]),
        _pair(world, target_level=3),
    )
    assert response.status_code == 302


def test_target_level_below_current_is_refused_by_the_database(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        RelationshipPair.objects.create(
            account=world.account,
            member=world.membership,
            contact=world.contact,
            current_level=4,
            target_level=1,
        )


def test_duplicate_pair_is_refused_in_a_kams_words(world: World, lead_client) -> None:
    before = database_snapshot()
    response = lead_client.post(
        reverse("touchpoints:relationship_create", args=[world.account.slug]),
        _pair(world, member=world.lead_membership.pk, target_level=4),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["contact"]
    assert errors["contact"] == [
        "A relationship between Lena Lead and Max Müller already exists. Edit that one "
        "instead of adding a second."
    ]
    html = response.content.decode()
    assert "with this Our team member" not in html and "Relationship with this" not in html
    assert database_snapshot() == before


def test_editing_a_pair_is_no_duplicate_of_itself(world: World, lead_client) -> None:
    url = reverse("touchpoints:relationship_edit", args=[world.account.slug, world.pair.pk])
    response = lead_client.post(
        url, _pair(world, member=world.lead_membership.pk, target_level=4, version=1)
    )
    assert response.status_code == 302
    world.pair.refresh_from_db()
    assert world.pair.target_level == 4


# Point 14: out-of-range years on create --------------------------------------------


def _warnings(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("year", ["1800", "2101", "99999999"])
def test_out_of_range_year_on_create_is_named_not_clamped(
    world: World, lead_client, year: str
) -> None:
    url = reverse("touchpoints:create", args=[world.account.slug]) + f"?year={year}"
    with _today(datetime.date(2026, 12, 1)):
        response = lead_client.get(url)
    assert response.status_code == 200
    assert response.context["form"]["year"].value() == 2026  # this year, not 2000 or 2100
    html = response.content.decode()
    assert "were not understood and were ignored: year" in html
    # The year the touchpoint goes to is in view on the page, not hidden.
    assert re.search(r'<input type="number" name="year" value="2026"', html)


def test_out_of_range_year_in_the_grid_cell_form_is_named_in_the_cell(
    world: World, lead_client
) -> None:
    url = reverse("touchpoints:create", args=[world.account.slug])
    response = lead_client.get(
        f"{url}?contact={world.contact.pk}&quarter=2&year=1800", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith("<form") and "ignored: year" in html
    assert 'name="year" value="1800"' not in html and 'name="year" value="2000"' not in html


def test_out_of_range_year_posted_is_refused_at_the_year_field(world: World, lead_client):
    before = database_snapshot()
    response = lead_client.post(
        reverse("touchpoints:create", args=[world.account.slug]) + "?year=1800",
        {
            "contact": world.contact.pk,
            "quarter": 2,
            "year": 1800,
            "kind": "content",
            "title": "Old news",
            "owner": world.membership.pk,
            "status": "planned",
        },
    )
    assert response.status_code == 400
    assert "year" in response.context["form"].errors
    assert "greater than or equal to 2000" in response.content.decode()  # shown, not hidden
    assert database_snapshot() == before


def test_touchpoint_edit_keeps_its_own_year(world: World, lead_client) -> None:
    """The edit form took the year from the address (this year) over the touchpoint's own."""
    tp = Touchpoint.objects.create(
        account=world.account,
        contact=world.contact,
        year=2027,
        quarter=1,
        title="New year call",
        owner=world.lead_membership,
    )
    with _today(datetime.date(2026, 12, 1)):
        page = lead_client.get(reverse("touchpoints:edit", args=[world.account.slug, tp.pk]))
    assert page.context["form"]["year"].value() == 2027


# Point 21: the calendar address asks before it changes -----------------------------


def test_renew_asks_first_and_warns_about_outlook(world: World, lead_client) -> None:
    feed = CalendarFeed.objects.create(user=world.lead)
    page = lead_client.get(reverse("calendar_renew"))
    assert page.status_code == 200
    assert "Outlook" in page.content.decode() and "stops working" in page.content.decode()
    feed.refresh_from_db()
    assert CalendarFeed.objects.get(user=world.lead).token == feed.token  # nothing changed yet
    lead_client.post(reverse("calendar_renew"))
    assert CalendarFeed.objects.get(user=world.lead).token != feed.token


def test_revoke_asks_first(world: World, lead_client) -> None:
    CalendarFeed.objects.create(user=world.lead)
    page = lead_client.get(reverse("calendar_revoke"))
    assert page.status_code == 200 and "stops working" in page.content.decode()
    assert CalendarFeed.objects.filter(user=world.lead).exists()
    lead_client.post(reverse("calendar_revoke"))
    assert not CalendarFeed.objects.filter(user=world.lead).exists()


def test_revoke_without_an_address_has_nothing_to_confirm(world: World, lead_client) -> None:
    page = lead_client.get(reverse("calendar_revoke"))
    assert page.status_code == 200 and "nothing to revoke" in page.content.decode()
    assert "<button" not in page.content.decode().split('id="main"')[1]


def test_my_touchpoints_leads_to_the_questions_not_straight_to_the_change(
    world: World, lead_client
) -> None:
    CalendarFeed.objects.create(user=world.lead)
    html = lead_client.get(reverse("my_touchpoints")).content.decode()
    for name in ("calendar_renew", "calendar_revoke"):
        assert f'href="{reverse(name)}"' in html
        assert f'action="{reverse(name)}"' not in html


def test_creating_the_first_address_needs_no_question(world: World, lead_client) -> None:
    html = lead_client.get(reverse("my_touchpoints")).content.decode()
    assert f'action="{reverse("calendar_renew")}"' in html  # nothing subscribed can break
    lead_client.post(reverse("calendar_renew"))
    assert CalendarFeed.objects.filter(user=world.lead).exists()
