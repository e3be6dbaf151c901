"""Action plans: who may add, edit, mark done and delete; the forms' field errors;
the plan page, the objective's delete confirmation and the team-leaving rule."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from actions.models import PlanAction
from actions.tests.factories import PlanActionFactory
from tests.factories import ContactFactory, KeyAccountFactory, TeamMemberFactory, role
from tests.fixtures import World

pytestmark = pytest.mark.django_db


def _objective(world: World):
    return world.plan.objectives.get()


def _member_action(world: World, **kwargs) -> PlanAction:
    """An action owned by the read-only member (not a lead)."""
    return PlanActionFactory(objective=_objective(world), owner=world.membership, **kwargs)


def _form(world: World, **overrides) -> dict[str, object]:
    data = {
        "title": "Call the buyer",
        "owner": world.membership.pk,
        "due_date": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
        "status": "open",
        "done_on": "",
        "contact": world.contact.pk,
        "note": "",
    }
    data.update(overrides)
    return data


def test_lead_adds_an_action_under_an_objective(world: World) -> None:
    objective = _objective(world)
    url = reverse("actions:create", args=[world.account.slug, objective.pk])
    response = world.client_for("lead").post(url, _form(world))
    assert response.status_code == 302
    action = PlanAction.objects.get()
    assert (action.objective, action.account, action.owner) == (
        objective,
        world.account,
        world.membership,
    )
    assert response["Location"].endswith(f"#objective-{objective.pk}")
    assert action.history.count() == 1


@pytest.mark.parametrize("actor", ["member", "manager"])
def test_readers_cannot_add_actions(world: World, actor: str) -> None:
    url = reverse("actions:create", args=[world.account.slug, _objective(world).pk])
    assert world.client_for(actor).post(url, _form(world)).status_code == 403
    assert not PlanAction.objects.exists()


def test_outsider_gets_404_for_every_action_page(world: World) -> None:
    action = _member_action(world)
    client = world.client_for("outsider")
    slug = world.account.slug
    for url in (
        reverse("actions:create", args=[slug, _objective(world).pk]),
        reverse("actions:edit", args=[slug, action.pk]),
        reverse("actions:delete", args=[slug, action.pk]),
        reverse("actions:done", args=[slug, action.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert PlanAction.objects.get().status == "open"


def test_another_accounts_objective_or_action_is_not_found(world: World) -> None:
    other = PlanActionFactory()
    slug = world.account.slug
    client = world.client_for("lead")
    assert client.get(reverse("actions:create", args=[slug, other.objective.pk])).status_code == 404
    assert client.get(reverse("actions:edit", args=[slug, other.pk])).status_code == 404
    assert client.post(reverse("actions:done", args=[slug, other.pk])).status_code == 404


def test_owner_marks_their_own_action_done_but_cannot_edit_it(world: World) -> None:
    action = _member_action(world)
    client = world.client_for("member")
    done = reverse("actions:done", args=[world.account.slug, action.pk])
    response = client.post(done, {"version": action.version})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    assert action.done_on == timezone.localdate()
    edit = reverse("actions:edit", args=[world.account.slug, action.pk])
    assert client.get(edit).status_code == 403
    # The same button opens it again.
    assert client.post(done, {"version": action.version}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.done_on) == ("open", None)


def test_member_cannot_mark_someone_elses_action_done(world: World) -> None:
    action = PlanActionFactory(objective=_objective(world), owner=world.lead_membership)
    url = reverse("actions:done", args=[world.account.slug, action.pk])
    assert world.client_for("member").post(url, {"version": action.version}).status_code == 403
    assert world.client_for("manager").post(url, {"version": action.version}).status_code == 403
    action.refresh_from_db()
    assert action.status == "open"


def test_marking_done_from_an_old_version_keeps_the_leads_edit(world: World) -> None:
    action = _member_action(world)
    stale = action.version
    edit = reverse("actions:edit", args=[world.account.slug, action.pk])
    data = _form(world, title="Call the buyer today", version=stale)
    assert world.client_for("lead").post(edit, data).status_code == 302
    done = reverse("actions:done", args=[world.account.slug, action.pk])
    response = world.client_for("member").post(done, {"version": stale})
    assert response.status_code == 409
    action.refresh_from_db()
    assert (action.title, action.status) == ("Call the buyer today", "open")


def test_owner_must_be_on_the_team_and_contact_of_the_account(world: World) -> None:
    stranger = TeamMemberFactory(account=KeyAccountFactory(), role=role("gkam"))
    foreign_contact = ContactFactory()
    url = reverse("actions:create", args=[world.account.slug, _objective(world).pk])
    data = _form(world, owner=stranger.pk, contact=foreign_contact.pk)
    response = world.client_for("lead").post(url, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert "owner" in form.errors and "contact" in form.errors
    former = _form(world, owner=world.former_membership.pk)
    assert "owner" in world.client_for("lead").post(url, former).context["form"].errors
    assert not PlanAction.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", ""),
        ("due_date", ""),
        ("due_date", "1999-12-31"),
        ("due_date", "2026-02-30"),
        ("status", "finished"),
        ("done_on", "2999-01-01"),
    ],
)
def test_bad_input_is_refused_at_the_field(world: World, field: str, value: str) -> None:
    url = reverse("actions:create", args=[world.account.slug, _objective(world).pk])
    data = _form(world, **{field: value})
    if field == "done_on":
        data["status"] = "done"
    response = world.client_for("lead").post(url, data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not PlanAction.objects.exists()


def test_done_status_gets_todays_date_and_open_clears_it(world: World) -> None:
    url = reverse("actions:create", args=[world.account.slug, _objective(world).pk])
    world.client_for("lead").post(url, _form(world, status="done"))
    action = PlanAction.objects.get()
    assert action.done_on == timezone.localdate()
    edit = reverse("actions:edit", args=[world.account.slug, action.pk])
    data = _form(world, status="in_progress", done_on="2026-01-05", version=action.version)
    assert world.client_for("lead").post(edit, data).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.done_on) == ("in_progress", None)


def test_lead_deletes_an_action_after_confirming(world: World) -> None:
    action = _member_action(world)
    url = reverse("actions:delete", args=[world.account.slug, action.pk])
    client = world.client_for("lead")
    assert client.get(url).status_code == 200
    assert PlanAction.objects.exists()
    assert client.post(url).status_code == 302
    assert not PlanAction.objects.exists()
    assert PlanAction.history.filter(history_type="-").count() == 1


def test_deleting_an_objective_says_how_many_actions_go_with_it(world: World) -> None:
    objective = _objective(world)
    PlanActionFactory.create_batch(2, objective=objective, owner=world.membership)
    url = reverse(
        "accounts:objective_delete", args=[world.account.slug, world.plan.pk, objective.pk]
    )
    client = world.client_for("lead")
    page = client.get(url)
    assert "Its 2 actions are deleted with it." in page.content.decode()
    assert client.post(url).status_code == 302
    assert not PlanAction.objects.exists()
    assert PlanAction.history.filter(history_type="-").count() == 2


def test_plan_page_lists_actions_under_their_objective(world: World) -> None:
    late = timezone.localdate() - datetime.timedelta(days=2)
    action = _member_action(world, title="Send the offer", due_date=late, contact=world.contact)
    PlanActionFactory(objective=_objective(world), owner=world.lead_membership, title="Visit")
    url = reverse("accounts:plan", args=[world.account.slug])
    as_member = world.client_for("member").get(url).content.decode()
    assert "Send the offer" in as_member and "(overdue)" in as_member
    assert "Max Member" in as_member and "Max Müller" in as_member
    # The owner sees "Mark done" on their own action only; no edit links.
    assert as_member.count(">Mark done<") == 1
    assert reverse("actions:done", args=[world.account.slug, action.pk]) in as_member
    assert reverse("actions:edit", args=[world.account.slug, action.pk]) not in as_member
    as_manager = world.client_for("manager").get(url).content.decode()
    assert "Send the offer" in as_manager and ">Mark done<" not in as_manager
    as_lead = world.client_for("lead").get(url).content.decode()
    assert as_lead.count(">Mark done<") == 2
    assert reverse("actions:edit", args=[world.account.slug, action.pk]) in as_lead


def test_archived_account_is_read_only_for_owners_too(world: World) -> None:
    action = _member_action(world)
    account_services.account_archive(account=world.account)
    url = reverse("actions:done", args=[world.account.slug, action.pk])
    assert world.client_for("member").post(url, {"version": action.version}).status_code == 403
    assert world.client_for("lead").post(url, {"version": action.version}).status_code == 403


def test_owner_of_open_actions_cannot_leave_the_team(world: World) -> None:
    action = _member_action(world)
    reasons = [r for hook in account_services.member_blockers for r in hook(world.membership)]
    assert any("still owns 1 open action" in r for r in reasons)
    action.status, action.done_on = "done", timezone.localdate()
    action.save()
    assert not [r for hook in account_services.member_blockers for r in hook(world.membership)]


def test_an_edit_from_an_old_version_gets_the_conflict_and_overwrites_nothing(
    world: World,
) -> None:
    action = _member_action(world)
    url = reverse("actions:edit", args=[world.account.slug, action.pk])
    client = world.client_for("lead")
    first = _form(world, title="First", version=action.version)
    assert client.post(url, first).status_code == 302
    second = _form(world, title="Second", version=action.version)
    assert client.post(url, second).status_code == 409
    action.refresh_from_db()
    assert action.title == "First"
    assert [h.title for h in action.history.order_by("history_date")][-1] == "First"


def test_database_refuses_a_done_action_without_a_done_date(world: World) -> None:
    from django.db import IntegrityError, transaction

    action = _member_action(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanAction.objects.filter(pk=action.pk).update(status="done")
