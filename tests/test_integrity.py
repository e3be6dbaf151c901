"""Every edit form of shared data has the version check; a clash caught by a
database constraint comes back as the form's message, never as a server error."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.forms import BaseForm
from django.test import Client
from django.urls import reverse

from accounts.forms import KeyAccountCreateForm, KeyAccountPlanCreateForm, TeamMemberForm
from accounts.models import KeyAccount, KeyAccountPlan
from raci.forms import RaciTaskForm
from raci.models import RaciAssignment, RaciMatrix, RaciTask
from tests.factories import KeyAccountFactory, PlanFactory, TeamMemberFactory, UserFactory, role
from tests.fixtures import World
from touchpoints.forms import RelationshipPairForm
from touchpoints.models import RelationshipPair

pytestmark = pytest.mark.django_db

# The version check -------------------------------------------------------------


@dataclass(frozen=True)
class EditForm:
    """One edit form of shared data: where it is, who edits, what a save sends."""

    url: Callable[[World], str]
    who: str
    row: Callable[[World], models.Model]
    data: Callable[[World, str], dict[str, Any]]
    field: str  # the text field each save writes its marker to


def _account(w: World, text: str) -> dict[str, Any]:
    a = w.account
    return {
        "name": text,
        "slug": a.slug,
        "hq_country": "DE",
        "classification": a.classification,
        "attractiveness": 3,
        "relative_position": 3,
    }


def _touchpoint(w: World, text: str) -> dict[str, Any]:
    tp = w.touchpoint
    return {
        "contact": tp.contact_id,
        "quarter": tp.quarter,
        "year": tp.year,
        "kind": tp.kind,
        "title": text,
        "owner": tp.owner_id,
        "status": "planned",
    }


def _pair(w: World, text: str) -> dict[str, Any]:
    return {
        "member": w.pair.member_id,
        "contact": w.pair.contact_id,
        "current_level": 1,
        "target_level": 3,
        "cadence": "quarterly",
        "notes": text,
    }


def _matrix(w: World) -> RaciMatrix:
    # Only a complete matrix can be agreed (raci.forms): the GKAM does and approves the task.
    for letter in "RA":
        RaciAssignment.objects.get_or_create(task=w.raci_task, role=role("gkam"), letter=letter)
    return RaciMatrix.objects.get_or_create(account=w.account)[0]


EDIT_FORMS = {
    "account": EditForm(
        lambda w: reverse("accounts:edit", args=[w.account.slug]),
        "lead",
        lambda w: w.account,
        _account,
        "name",
    ),
    "team member": EditForm(
        lambda w: reverse("accounts:member_edit", args=[w.account.slug, w.membership.pk]),
        "lead",
        lambda w: w.membership,
        lambda w, text: {"role": role("inside-sales").pk, "team": "core", "responsibilities": text},
        "responsibilities",
    ),
    "touchpoint": EditForm(
        lambda w: reverse("touchpoints:edit", args=[w.account.slug, w.touchpoint.pk]),
        "lead",
        lambda w: w.touchpoint,
        _touchpoint,
        "title",
    ),
    "touchpoint done": EditForm(
        lambda w: reverse("touchpoints:done", args=[w.account.slug, w.touchpoint.pk]),
        "lead",
        lambda w: w.touchpoint,
        lambda w, text: {"outcome": text},
        "outcome",
    ),
    "relationship": EditForm(
        lambda w: reverse("touchpoints:relationship_edit", args=[w.account.slug, w.pair.pk]),
        "lead",
        lambda w: w.pair,
        _pair,
        "notes",
    ),
    "team meeting": EditForm(
        lambda w: reverse("touchpoints:meeting_edit", args=[w.account.slug, w.meeting.pk]),
        "lead",
        lambda w: w.meeting,
        lambda w, text: {
            "year": 2026,
            "quarter": 1,
            "format": "video",
            "purpose": text,
            "status": "planned",
        },
        "purpose",
    ),
    "RACI task": EditForm(
        lambda w: reverse("raci:task_edit", args=[w.account.slug, w.raci_task.pk]),
        "lead",
        lambda w: w.raci_task,
        lambda w, text: {"name": text},
        "name",
    ),
    "RACI matrix status": EditForm(
        lambda w: reverse("raci:status", args=[w.account.slug]),
        "lead",
        _matrix,
        lambda w, text: {"status": "agreed", "agreed_on": f"2026-0{text[-1]}-01"},
        "agreed_on",
    ),
    "RACI template": EditForm(
        lambda w: reverse("raci:template_edit", args=[w.template.pk]),
        "manager",
        lambda w: w.template,
        lambda w, text: {"name": text},
        "name",
    ),
}


@pytest.mark.parametrize("name", EDIT_FORMS)
def test_a_save_from_an_old_version_gets_the_conflict_page_and_overwrites_nothing(
    world: World, name: str
) -> None:
    form = EDIT_FORMS[name]
    row = form.row(world)
    url = form.url(world)
    first, second = world.client_for(form.who), world.client_for(form.who)
    # Both open the form at version 1; the first saves, the second saves later.
    assert first.get(url).context["form"]["version"].value() == 1
    assert first.post(url, {**form.data(world, "First 1"), "version": 1}).status_code == 302
    response = second.post(url, {**form.data(world, "Stale 2"), "version": 1})
    assert response.status_code == 409
    assert "Someone else saved this" in response.text
    # The second editor's input is still in the form, to apply again.
    assert response.context["form"][form.field].value() == form.data(world, "Stale 2")[form.field]
    row.refresh_from_db()
    assert row.version == 2
    assert str(getattr(row, form.field)) == str(form.data(world, "First 1")[form.field])


def test_done_then_stale_edit_keeps_the_touchpoint_done_with_its_outcome(world: World) -> None:
    """The owner marks done while a lead has the edit form open at the old version."""
    tp = world.touchpoint
    owner = UserFactory()
    tp.owner = TeamMemberFactory(account=world.account, user=owner)
    tp.save()
    owner_client, lead = Client(), world.client_for("lead")
    owner_client.force_login(owner)
    edit = reverse("touchpoints:edit", args=[world.account.slug, tp.pk])
    loaded = lead.get(edit).context["form"]["version"].value()
    done = reverse("touchpoints:done", args=[world.account.slug, tp.pk])
    response = owner_client.post(done, {"outcome": "Max loved it.", "version": tp.version})
    assert response.status_code == 302
    data = {**_touchpoint(world, "Christmas gift, wrapped"), "owner": tp.owner_id}
    response = lead.post(edit, {**data, "version": loaded})
    assert response.status_code == 409
    tp.refresh_from_db()
    assert (tp.status, tp.outcome, tp.title) == ("done", "Max loved it.", "Christmas gift")


def test_marking_done_from_an_old_version_keeps_the_leads_edit(world: World) -> None:
    tp = world.touchpoint
    lead = world.client_for("lead")
    done = reverse("touchpoints:done", args=[world.account.slug, tp.pk])
    loaded = lead.get(done).context["form"]["version"].value()
    edit = reverse("touchpoints:edit", args=[world.account.slug, tp.pk])
    data = {**_touchpoint(world, "Christmas gift"), "status": "cancelled"}
    assert lead.post(edit, {**data, "version": loaded}).status_code == 302
    response = lead.post(done, {"outcome": "Sent.", "version": loaded})
    assert response.status_code == 409
    tp.refresh_from_db()
    assert (tp.status, tp.outcome) == ("cancelled", "")


def test_archiving_moves_the_version_on(world: World) -> None:
    """A form loaded before a team member left cannot bring them back by saving."""
    from accounts import services

    services.member_remove(member=world.membership)
    services.member_restore(member=world.membership)
    world.membership.refresh_from_db()
    assert world.membership.version == 3
    services.account_archive(account=world.account)
    world.account.refresh_from_db()
    assert world.account.version == 2


# Constraint violations become the form's message --------------------------------


@contextmanager
def inserted_after_validation(form_class: type[BaseForm], insert: Callable[[], Any]) -> Iterator:
    """Someone else's row appears after the form was validated and before it is saved.

    As in a real race: the form saw no clash, the database constraint does.
    """
    original = form_class._post_clean
    done: list[bool] = []

    def post_clean(self: BaseForm) -> None:
        original(self)
        if not done:
            done.append(True)
            insert()

    form_class._post_clean = post_clean
    try:
        yield
    finally:
        form_class._post_clean = original


def test_raci_task_created_twice_at_once_gets_the_form_message(world: World) -> None:
    url = reverse("raci:task_create", args=[world.account.slug])
    with inserted_after_validation(
        RaciTaskForm, lambda: RaciTask.objects.create(account=world.account, name="offers")
    ):
        response = world.client_for("lead").post(url, {"name": "Offers"})
    assert response.status_code == 400
    assert "This account already has a task “Offers”." in response.text
    assert world.account.raci_tasks.filter(name__iexact="offers").count() == 1


def test_plan_with_the_same_start_year_at_once_gets_the_form_message(world: World) -> None:
    url = reverse("accounts:plan_create", args=[world.account.slug])
    with inserted_after_validation(
        KeyAccountPlanCreateForm,
        lambda: PlanFactory(account=world.account, start_year=2030, end_year=2030),
    ):
        response = world.client_for("lead").post(url, {"start_year": 2030, "end_year": 2032})
    assert response.status_code == 400
    assert "overlaps the plan 2030–2030" in response.text
    assert world.account.plans.filter(start_year=2030).count() == 1


def test_team_seat_filled_twice_at_once_gets_the_form_message(world: World) -> None:
    newcomer = UserFactory(first_name="Nora", last_name="New")
    url = reverse("accounts:member_add", args=[world.account.slug])
    with inserted_after_validation(
        TeamMemberForm,
        lambda: TeamMemberFactory(account=world.account, user=newcomer, role=role("engineering")),
    ):
        response = world.client_for("lead").post(
            url, {"user": newcomer.pk, "role": role("engineering").pk, "team": "core"}
        )
    assert response.status_code == 400
    assert "already holds this role on this account" in response.text
    assert world.account.team_members.filter(user=newcomer).count() == 1


def test_relationship_pair_created_twice_at_once_gets_the_form_message(world: World) -> None:
    url = reverse("touchpoints:relationship_create", args=[world.account.slug])
    pair = {"member": world.membership.pk, "contact": world.contact.pk}
    with inserted_after_validation(
        RelationshipPairForm,
        lambda: RelationshipPair.objects.create(
            account=world.account, member=world.membership, contact=world.contact
        ),
    ):
        response = world.client_for("lead").post(
            url, {**pair, "current_level": 1, "target_level": 3, "cadence": "quarterly"}
        )
    assert response.status_code == 400
    assert "already exists" in response.text
    assert RelationshipPair.objects.filter(member=world.membership).count() == 1


def test_account_created_twice_at_once_gets_the_form_message(world: World) -> None:
    data = {
        **_account(world, "Südwind GmbH"),
        "slug": "suedwind",
        "first_lead": world.lead.pk,
        "lead_role": role("gkam").pk,
    }
    with inserted_after_validation(
        KeyAccountCreateForm, lambda: KeyAccountFactory(name="Südwind AG", slug="suedwind")
    ):
        response = world.client_for("manager").post(reverse("accounts:create"), data)
    assert response.status_code == 400
    assert "Another key account already uses “suedwind”" in response.text
    assert KeyAccount.objects.filter(slug="suedwind").count() == 1


def test_a_clash_the_form_cannot_name_gets_the_general_message(world: World) -> None:
    """Two first saves of the matrix status: the form has no check of its own for it."""
    from raci.forms import RaciMatrixStatusForm

    url = reverse("raci:status", args=[world.account.slug])
    with inserted_after_validation(
        RaciMatrixStatusForm, lambda: RaciMatrix.objects.create(account=world.account)
    ):
        response = world.client_for("lead").post(url, {"status": "draft"})
    assert response.status_code == 400
    assert "clashes with an entry someone else saved at the same moment" in response.text


# Plan periods never overlap in the database (PostgreSQL) --------------------------


def _needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints need PostgreSQL; CI runs it")


def test_overlapping_plan_periods_are_refused_by_the_database(world: World) -> None:
    _needs_postgresql()
    account = world.account  # its plan covers 2026 to 2028
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyAccountPlan.objects.create(account=account, start_year=2028, end_year=2030)
    # Adjacent periods and other accounts' plans are fine.
    KeyAccountPlan.objects.create(account=account, start_year=2029, end_year=2031)
    PlanFactory(start_year=2027, end_year=2029)


def test_overlapping_plan_created_at_once_gets_the_form_message(world: World) -> None:
    _needs_postgresql()
    url = reverse("accounts:plan_create", args=[world.account.slug])
    with inserted_after_validation(
        KeyAccountPlanCreateForm,
        lambda: PlanFactory(account=world.account, start_year=2031, end_year=2033),
    ):
        response = world.client_for("lead").post(url, {"start_year": 2029, "end_year": 2031})
    assert response.status_code == 400
    assert "overlaps the plan 2031–2033" in response.text
    assert not world.account.plans.filter(start_year=2029).exists()
