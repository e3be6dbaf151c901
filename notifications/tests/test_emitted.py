"""Every kind the app emits today, through the real action a person takes (client posts)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Kind, Notification
from raci.models import RaciAssignment, RaciTemplateAssignment
from tests.factories import UserFactory, role
from tests.fixtures import World
from touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db


def _got(user, kind: str | None = None) -> list[Notification]:
    found = Notification.objects.filter(recipient=user)
    return list(found.filter(kind=kind) if kind else found)


def _only(user, kind: str) -> Notification:
    notifications = _got(user)
    assert [n.kind for n in notifications] == [kind]
    return notifications[0]


# The team ------------------------------------------------------------------------


def test_a_person_added_to_the_team_is_told(world: World, lead_client) -> None:
    carla = UserFactory(username="carla")
    response = lead_client.post(
        reverse("accounts:member_add", args=[world.account.slug]),
        {"user": carla.pk, "role": role("engineering").pk, "team": "core"},
    )
    assert response.status_code == 302
    n = _only(carla, Kind.ADDED_TO_TEAM)
    assert (n.actor, n.account, n.url) == (world.lead, world.account, "/accounts/nordwind/")
    assert n.params["account"] == "Nordwind AG"
    engineering = role("engineering")
    assert n.params["role"] == {"en": engineering.name_en, "de": engineering.name_de}
    assert _got(world.lead) == []  # never about one's own change


def test_a_former_member_brought_back_is_told(world: World, lead_client) -> None:
    url = reverse("accounts:member_restore", args=[world.account.slug, world.former_membership.pk])
    assert lead_client.post(url).status_code == 302
    _only(world.former_membership.user, Kind.ADDED_TO_TEAM)


def test_the_first_lead_of_a_new_account_is_told(world: World) -> None:
    data = {
        "name": "Südwind GmbH",
        "slug": "suedwind",
        "hq_country": "AT",
        "classification": "B",
        "attractiveness": 4,
        "relative_position": 2,
        "first_lead": world.member.pk,
        "lead_role": role("gkam").pk,
    }
    response = world.client_for("manager").post(reverse("accounts:create"), data)
    assert response.status_code == 302
    n = _only(world.member, Kind.ADDED_TO_TEAM)
    assert (n.actor, n.account.slug) == (world.manager, "suedwind")


def test_a_person_taken_off_the_team_is_told_with_a_link_home(world: World, lead_client) -> None:
    url = reverse("accounts:member_remove", args=[world.account.slug, world.membership.pk])
    assert lead_client.post(url).status_code == 302
    n = _only(world.member, Kind.REMOVED_FROM_TEAM)
    assert n.url == "/"  # the account is closed to them now


def test_a_member_made_lead_is_told(world: World, lead_client) -> None:
    url = reverse("accounts:member_edit", args=[world.account.slug, world.membership.pk])
    data = {"role": role("inside-sales").pk, "team": "core", "is_lead": "on", "version": 1}
    assert lead_client.post(url, data).status_code == 302
    _only(world.member, Kind.MADE_LEAD)
    # Saving the lead again is no news.
    assert lead_client.post(url, {**data, "version": 2}).status_code == 302
    assert len(_got(world.member)) == 1


# Touchpoints ---------------------------------------------------------------------


def _touchpoint_data(world: World, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "contact": world.contact.pk,
        "quarter": 2,
        "year": 2026,
        "kind": "content",
        "title": "Reference story",
        "owner": world.membership.pk,
        "status": "planned",
        "date": "",
    }
    return data | overrides


def test_a_touchpoint_planned_for_someone_else_is_assigned_to_them(
    world: World, lead_client
) -> None:
    url = reverse("touchpoints:create", args=[world.account.slug])
    assert lead_client.post(url, _touchpoint_data(world)).status_code == 302
    n = _only(world.member, Kind.TOUCHPOINT_ASSIGNED)
    assert n.params == {
        "account": "Nordwind AG",
        "title": "Reference story",
        "contact": "Max Müller",
        "done": False,
    }
    assert n.url == "/accounts/nordwind/touchpoints/?year=2026"
    # Planned for oneself: nobody is told.
    lead_client.post(url, _touchpoint_data(world, owner=world.lead_membership.pk, quarter=3))
    assert _got(world.lead) == []


def test_a_touchpoint_handed_to_someone_else_is_assigned_to_them(world: World, lead_client) -> None:
    tp = world.touchpoint  # the lead's own
    url = reverse("touchpoints:edit", args=[world.account.slug, tp.pk])
    data = _touchpoint_data(world, title=tp.title, quarter=4, version=tp.version)
    assert lead_client.post(url, data).status_code == 302
    _only(world.member, Kind.TOUCHPOINT_ASSIGNED)


def test_the_owner_hears_of_a_change_by_someone_else_but_not_of_an_empty_save(
    world: World, lead_client
) -> None:
    tp = Touchpoint.objects.create(
        account=world.account,
        contact=world.contact,
        year=2026,
        quarter=2,
        title="Reference story",
        kind="content",
        owner=world.membership,
    )
    url = reverse("touchpoints:edit", args=[world.account.slug, tp.pk])
    assert lead_client.post(url, _touchpoint_data(world, version=1)).status_code == 302
    assert _got(world.member) == []  # sent back untouched: nothing changed
    data = _touchpoint_data(world, title="Reference story, signed", version=1)
    assert lead_client.post(url, data).status_code == 302
    n = _only(world.member, Kind.TOUCHPOINT_CHANGED)
    assert n.params["title"] == "Reference story, signed" and n.params["done"] is False


def test_the_owner_hears_when_a_lead_marks_their_touchpoint_done(world: World, lead_client) -> None:
    tp = Touchpoint.objects.create(
        account=world.account, contact=world.contact, year=2026, quarter=2, title="Call",
        owner=world.membership,
    )  # fmt: skip
    url = reverse("touchpoints:done", args=[world.account.slug, tp.pk])
    assert lead_client.post(url, {"outcome": "Went well.", "version": 1}).status_code == 302
    n = _only(world.member, Kind.TOUCHPOINT_CHANGED)
    assert n.params["done"] is True
    # The owner marking their own done tells nobody.
    tp2 = Touchpoint.objects.create(
        account=world.account, contact=world.contact, year=2026, quarter=3, title="Visit",
        owner=world.membership,
    )  # fmt: skip
    member = world.client_for("member")
    url = reverse("touchpoints:done", args=[world.account.slug, tp2.pk])
    assert member.post(url, {"outcome": "Done.", "version": 1}).status_code == 302
    assert Notification.objects.count() == 1


# RACI ----------------------------------------------------------------------------


def _toggle(client, world: World, role_code: str, letter: str):
    cell = f"{world.raci_task.pk}:{role(role_code).pk}:{letter}"
    return client.post(reverse("raci:toggle", args=[world.account.slug]), {"cell": cell})


def test_a_letter_given_and_taken_reaches_the_roles_holders(world: World, lead_client) -> None:
    assert _toggle(lead_client, world, "inside-sales", "C").status_code == 302
    given = _only(world.member, Kind.RACI_LETTER_GIVEN)
    assert given.params["task"] == "Framework contract" and given.params["letter"] == "C"
    assert given.params["role"]["de"] == "Innendienst"
    assert given.url == "/accounts/nordwind/raci/"
    assert _toggle(lead_client, world, "inside-sales", "C").status_code == 302
    assert len(_got(world.member, Kind.RACI_LETTER_TAKEN)) == 1
    # The lead's own role: she made the change herself.
    _toggle(lead_client, world, "gkam", "R")
    assert _got(world.lead) == []
    # A former member holds the role no more: not told.
    _toggle(lead_client, world, "engineering", "I")
    assert _got(world.former_membership.user) == []


def test_a_template_tells_each_person_once_how_many_letters_they_got(
    world: World, lead_client
) -> None:
    second = world.template.tasks.create(name="Pricing")
    for task, letter in ((world.template_task, "R"), (world.template_task, "A"), (second, "C")):
        RaciTemplateAssignment.objects.create(task=task, role=role("inside-sales"), letter=letter)
    url = reverse("raci:apply_template", args=[world.account.slug])
    assert lead_client.post(url, {"template": world.template.pk}).status_code == 302
    n = _only(world.member, Kind.RACI_LETTER_GIVEN)
    assert n.params == {"account": "Nordwind AG", "template": "Global account", "count": 3}


def test_deleting_a_task_tells_the_holders_of_its_letters(world: World, lead_client) -> None:
    for letter in "IC":
        RaciAssignment.objects.create(
            task=world.raci_task, role=role("inside-sales"), letter=letter
        )
    url = reverse("raci:task_delete", args=[world.account.slug, world.raci_task.pk])
    assert lead_client.post(url).status_code == 302
    n = _only(world.member, Kind.RACI_LETTER_TAKEN)
    assert (n.params["deleted"], n.params["letter"]) == (True, "CI")


def test_the_team_hears_once_that_its_matrix_was_agreed(world: World, lead_client) -> None:
    for letter in "RA":  # only a complete matrix can be agreed
        RaciAssignment.objects.create(task=world.raci_task, role=role("gkam"), letter=letter)
    url = reverse("raci:status", args=[world.account.slug])
    data = {"status": "agreed", "agreed_on": "2026-09-15"}
    assert lead_client.post(url, data).status_code == 302
    n = _only(world.member, Kind.MATRIX_AGREED)
    assert n.params == {"account": "Nordwind AG", "date": "2026-09-15"}
    assert _got(world.lead) == [] and _got(world.former_membership.user) == []
    # Saved again while agreed: no second notification.
    assert lead_client.post(url, {**data, "version": 1}).status_code == 302
    assert Notification.objects.count() == 1


# Plans ---------------------------------------------------------------------------


def test_the_leads_hear_that_a_manager_reviewed_their_plan(world: World) -> None:
    url = reverse("accounts:plan_review", args=[world.account.slug, world.plan.pk])
    response = world.client_for("manager").post(url, {"comment": "Strong SWOT."})
    assert response.status_code == 302
    n = _only(world.lead, Kind.PLAN_REVIEWED)
    assert n.params == {"account": "Nordwind AG", "period": world.plan.period}
    assert n.url == world.plan.get_absolute_url()
    assert _got(world.member) == []  # leads only
