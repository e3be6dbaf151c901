"""Opportunities: the rules in the database and the forms, who may do what, the list page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import PlanObjective, PlanPotential
from opportunities.forms import CloseForm, OpportunityForm
from opportunities.models import Opportunity, OpportunityStage
from opportunities.tests.factories import OpportunityFactory, stage
from tests.factories import KeyAccountFactory, PlanFactory, PotentialFactory, TeamMemberFactory
from tests.fixtures import World

pytestmark = pytest.mark.django_db


def _form_data(world: World, **overrides: object) -> dict[str, object]:
    data = {
        "title": "Retrofit Hamburg",
        "value": "200000",
        "stage": stage("Negotiate").pk,
        "probability": "",
        "expected_close": "2026-11-30",
        "owner": world.lead_membership.pk,
        "next_step": "Price round",
        "potential": "",
        "whitespace_cell": "",
        "objective": "",
    }
    return {**data, **overrides}


def _saves_badly(**fields: object) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=fields.pop("pk")).update(**fields)


# The database's rules --------------------------------------------------------


def test_stages_are_seeded_with_default_probabilities() -> None:
    stages = OpportunityStage.objects.all()
    assert [(s.name_en, s.default_probability) for s in stages] == [
        ("Qualify", 10),
        ("Develop", 30),
        ("Propose", 50),
        ("Negotiate", 75),
    ]


def test_database_refuses_a_value_of_zero(world: World) -> None:
    opportunity = OpportunityFactory(owner=world.lead_membership)
    _saves_badly(pk=opportunity.pk, value=Decimal(0))


def test_database_refuses_a_probability_over_100(world: World) -> None:
    opportunity = OpportunityFactory(owner=world.lead_membership)
    _saves_badly(pk=opportunity.pk, probability=101)


def test_database_refuses_won_without_reason(world: World) -> None:
    opportunity = OpportunityFactory(owner=world.lead_membership)
    _saves_badly(pk=opportunity.pk, status="won", closed_on=datetime.date(2026, 5, 1))


def test_database_refuses_an_open_one_with_a_close_date(world: World) -> None:
    opportunity = OpportunityFactory(owner=world.lead_membership)
    _saves_badly(pk=opportunity.pk, closed_on=datetime.date(2026, 5, 1))


def test_weighted_value_is_value_times_probability(world: World) -> None:
    opportunity = OpportunityFactory(
        owner=world.lead_membership, value=Decimal("200000"), probability=75
    )
    assert opportunity.weighted_value == Decimal("150000")


# The forms ---------------------------------------------------------------------


def test_empty_probability_takes_the_stage_default(world: World) -> None:
    form = OpportunityForm(_form_data(world), account=world.account)
    assert form.is_valid(), form.errors
    assert form.save_checked().probability == 75


def test_value_of_zero_is_refused_at_the_field(world: World) -> None:
    form = OpportunityForm(_form_data(world, value="0"), account=world.account)
    assert form.errors["value"] == ["Enter a value above zero."]


def test_probability_over_100_is_refused_at_the_field(world: World) -> None:
    form = OpportunityForm(_form_data(world, probability="150"), account=world.account)
    assert form.errors["probability"] == ["Enter a probability from 0 to 100."]


def test_owner_of_another_account_is_refused(world: World) -> None:
    stranger = TeamMemberFactory()
    form = OpportunityForm(_form_data(world, owner=stranger.pk), account=world.account)
    assert "owner" in form.errors


def test_former_team_member_cannot_own_a_new_one(world: World) -> None:
    form = OpportunityForm(
        _form_data(world, owner=world.former_membership.pk), account=world.account
    )
    assert "owner" in form.errors


def test_potential_of_another_account_is_refused(world: World) -> None:
    other = PotentialFactory(plan=PlanFactory(account=KeyAccountFactory()))
    form = OpportunityForm(_form_data(world, potential=other.pk), account=world.account)
    assert "potential" in form.errors


def test_links_to_potential_and_objective_of_the_account(world: World) -> None:
    potential = PlanPotential.objects.get(plan=world.plan)
    objective = PlanObjective.objects.get(plan=world.plan)
    form = OpportunityForm(
        _form_data(world, potential=potential.pk, objective=objective.pk), account=world.account
    )
    assert form.is_valid(), form.errors
    saved = form.save_checked()
    assert (saved.potential, saved.objective) == (potential, objective)


def test_closing_needs_a_reason(world: World) -> None:
    opportunity = OpportunityFactory(owner=world.lead_membership)
    data = {"status": "won", "reason": "", "closed_on": "2026-05-01", "version": 1}
    form = CloseForm(data, instance=opportunity)
    assert form.errors["reason"] == ["Say why it was won or lost."]


def test_closing_in_the_future_is_refused(world: World) -> None:
    opportunity = OpportunityFactory(owner=world.lead_membership)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = {"status": "lost", "reason": "Price", "closed_on": tomorrow.isoformat(), "version": 1}
    assert "closed_on" in CloseForm(data, instance=opportunity).errors


# Who may do what -----------------------------------------------------------------


def _url(world: World, name: str, opportunity: Opportunity | None = None) -> str:
    args = [world.account.slug] + ([opportunity.pk] if opportunity else [])
    return reverse(f"opportunities:{name}", args=args)


def test_lead_adds_an_opportunity(world: World) -> None:
    response = world.client_for("lead").post(_url(world, "create"), _form_data(world))
    assert response.status_code == 302
    assert world.account.opportunities.get().title == "Retrofit Hamburg"


@pytest.mark.parametrize("who", ["member", "manager"])
def test_member_and_manager_read_but_cannot_add(world: World, who: str) -> None:
    client = world.client_for(who)
    assert client.get(_url(world, "list")).status_code == 200
    assert client.get(_url(world, "create")).status_code == 403
    assert client.post(_url(world, "create"), _form_data(world)).status_code == 403
    assert not Opportunity.objects.exists()


def test_outsider_gets_404(world: World) -> None:
    opportunity = OpportunityFactory(owner=world.lead_membership)
    client = world.client_for("outsider")
    for name in ("list", "create"):
        assert client.get(_url(world, name)).status_code == 404
    for name in ("edit", "close", "delete"):
        assert client.get(_url(world, name, opportunity)).status_code == 404


def test_owner_who_is_no_lead_edits_and_closes_their_own(world: World) -> None:
    own = OpportunityFactory(owner=world.membership)
    client = world.client_for("member")
    data = _form_data(world, owner=world.membership.pk, version=own.version, title="Mine")
    assert client.post(_url(world, "edit", own), data).status_code == 302
    close = {"status": "won", "reason": "Best offer", "closed_on": "2026-06-01", "version": 2}
    assert client.post(_url(world, "close", own), close).status_code == 302
    own.refresh_from_db()
    assert (own.title, own.status, own.reason) == ("Mine", "won", "Best offer")
    # Deleting stays with the leads.
    assert client.post(_url(world, "delete", own)).status_code == 403


def test_member_cannot_edit_someone_elses(world: World) -> None:
    other = OpportunityFactory(owner=world.lead_membership)
    client = world.client_for("member")
    assert client.get(_url(world, "edit", other)).status_code == 403
    assert client.get(_url(world, "close", other)).status_code == 403


def test_owner_is_read_only_on_an_archived_account(world: World) -> None:
    own = OpportunityFactory(owner=world.membership)
    world.account.status = "archived"
    world.account.save()
    assert world.client_for("member").get(_url(world, "edit", own)).status_code == 403


def test_lead_deletes_after_confirming(world: World) -> None:
    opportunity = OpportunityFactory(owner=world.lead_membership)
    client = world.client_for("lead")
    assert client.get(_url(world, "delete", opportunity)).status_code == 200
    assert client.post(_url(world, "delete", opportunity)).status_code == 302
    assert not Opportunity.objects.exists()
    assert Opportunity.history.filter(history_type="-").count() == 1


# The list ----------------------------------------------------------------------


def test_list_shows_open_first_by_close_then_closed_with_totals(world: World) -> None:
    make = OpportunityFactory
    make(owner=world.lead_membership, title="Late", expected_close=datetime.date(2027, 3, 1))
    make(owner=world.lead_membership, title="Early", expected_close=datetime.date(2026, 2, 1))
    make(
        owner=world.lead_membership,
        title="Won one",
        expected_close=datetime.date(2025, 1, 1),
        status="won",
        reason="Good offer",
        closed_on=datetime.date(2025, 1, 5),
    )
    response = world.client_for("member").get(_url(world, "list"))
    assert [o.title for o in response.context["rows"]] == ["Early", "Late", "Won one"]
    totals = response.context["totals"]
    assert (totals.open_value, totals.open_weighted) == (Decimal(200000), Decimal(100000))
    won = world.client_for("member").get(_url(world, "list") + "?status=won")
    assert [o.title for o in won.context["rows"]] == ["Won one"]
    assert won.context["totals"].open_count == 2  # totals stay those of the open ones


def test_list_names_an_unknown_status_filter(world: World) -> None:
    response = world.client_for("member").get(_url(world, "list") + "?status=maybe", follow=True)
    assert "were ignored: status" in response.content.decode()
