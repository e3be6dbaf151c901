"""The home page (workspace.today): what needs the person now, one test per kind of item."""

from __future__ import annotations

import datetime
import re
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import BuyingCentreRole, CustomerContact, KeyAccountPlan
from coaching.models import Appreciation
from portfolio.models import PlanReview, PlanReviewRead
from raci.models import RaciAssignment
from tests.factories import (
    ContactFactory,
    KeyAccountFactory,
    ObjectiveFactory,
    TeamMemberFactory,
    UserFactory,
    role,
)
from tests.fixtures import World
from touchpoints.models import Touchpoint

TODAY = datetime.date(2026, 12, 2)  # a Wednesday in Q4


@pytest.fixture(autouse=True)
def _clock():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def home(client: Client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.text


def section(text: str, code: str) -> str:
    """The HTML of one group of the page ("overdue", "soon", "new", "care"); "" if absent."""
    found = re.search(rf'<section[^>]*id="today-{code}".*?</section>', text, re.S)
    return found.group(0) if found else ""


def touchpoint(world: World, **fields: object) -> Touchpoint:
    values = {
        "account": world.account,
        "contact": world.contact,
        "year": 2026,
        "quarter": 4,
        "title": "Call about prices",
        "kind": "call",
        "owner": world.membership,
    }
    return Touchpoint.objects.create(**(values | fields))


# Touchpoints ---------------------------------------------------------------


def test_my_overdue_touchpoint_is_listed_with_mark_done_in_place(world: World) -> None:
    tp = touchpoint(world, quarter=3, title="Call about the framework")
    overdue = section(home(world.client_for("member")), "overdue")
    assert "Call about the framework" in overdue
    done = reverse("touchpoints:done", args=[world.account.slug, tp.pk])
    assert f'action="{done}?next=/"' in overdue  # the plain form, without JavaScript
    assert f'data-hx-post="{done}"' in overdue  # in place, with htmx
    assert f'name="version" value="{tp.version}"' in overdue
    grid = reverse("touchpoints:grid", args=[world.account.slug]) + "?year=2026"
    assert f'href="{grid}"' in overdue  # where it is fixed


def test_a_touchpoint_dated_before_today_is_overdue(world: World) -> None:
    touchpoint(world, date=datetime.date(2026, 11, 30), title="Visit last Monday")
    text = home(world.client_for("member"))
    assert "Visit last Monday" in section(text, "overdue")
    assert "Visit last Monday" not in section(text, "soon")


def test_touchpoints_due_in_the_next_14_days_are_coming_up(world: World) -> None:
    touchpoint(world, date=datetime.date(2026, 12, 16), title="In two weeks")
    touchpoint(world, date=datetime.date(2026, 12, 17), title="In fifteen days")
    touchpoint(world, title="Undated this quarter")  # due 31 December: 29 days away
    text = home(world.client_for("member"))
    assert "In two weeks" in section(text, "soon")
    assert "In fifteen days" not in text
    assert "Undated this quarter" not in text


def test_an_undated_touchpoint_is_due_when_its_quarter_ends(world: World) -> None:
    touchpoint(world, title="Undated this quarter")
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2026, 12, 20)):
        text = home(world.client_for("member"))
    assert "Undated this quarter" in section(text, "soon")


def test_only_my_planned_touchpoints_are_listed(world: World) -> None:
    touchpoint(world, quarter=3, title="The lead's call", owner=world.lead_membership)
    touchpoint(world, quarter=3, title="Done already", status="done")
    touchpoint(world, quarter=3, title="Cancelled", status="cancelled")
    text = home(world.client_for("member"))
    assert "The lead&#x27;s call" not in text and "The lead's call" not in text
    assert "Done already" not in text and "Cancelled" not in text


def test_touchpoints_of_an_archived_account_are_not_listed(world: World) -> None:
    touchpoint(world, quarter=3, title="Call about the framework")
    world.account.status = "archived"
    world.account.save()
    assert "Call about the framework" not in home(world.client_for("member"))


# Objectives ----------------------------------------------------------------


def _objective(world: World, text: str, due: datetime.date | None, status: str = "open"):
    return ObjectiveFactory(plan=world.plan, text=text, due_date=due, status=status)


def test_leads_see_open_objectives_overdue_first(world: World) -> None:
    late = _objective(world, "Late objective", datetime.date(2026, 11, 1))
    _objective(world, "Soon objective", datetime.date(2026, 12, 20), "in_progress")
    _objective(world, "Far objective", datetime.date(2027, 6, 30))
    _objective(world, "Achieved objective", datetime.date(2026, 11, 1), "achieved")
    text = home(world.client_for("lead"))
    assert "Late objective" in section(text, "overdue")
    assert "Soon objective" in section(text, "soon")
    assert "Far objective" not in text and "Achieved objective" not in text
    edit = reverse("accounts:objective_edit", args=[world.account.slug, world.plan.pk, late.pk])
    assert f'href="{edit}"' in text


def test_members_see_no_objectives(world: World) -> None:
    _objective(world, "Late objective", datetime.date(2026, 11, 1))
    assert "Late objective" not in home(world.client_for("member"))


# RACI changes --------------------------------------------------------------


def _letter(world: World, code: str, letter: str, by, ago: datetime.timedelta | None = None):
    """Give `code` the `letter` on the world's task, as `by` would; `ago` backdates it."""
    assignment = RaciAssignment(task=world.raci_task, role=role(code), letter=letter)
    assignment._history_user = by  # who made the change, as the request would record it
    assignment.save()
    if ago is not None:
        assignment.history.update(history_date=timezone.now() - ago)
    return assignment


@pytest.fixture
def old_task(world: World) -> None:
    """The world's RACI task was created long before anyone's last visit."""
    world.raci_task.history.update(history_date=timezone.now() - datetime.timedelta(days=60))


@pytest.mark.usefixtures("old_task")
def test_raci_tasks_where_i_hold_r_or_a_changed_by_someone_else_are_new(world: World) -> None:
    _letter(world, "gkam", "R", world.member)  # the lead's role gets the R
    text = home(world.client_for("lead"))
    new = section(text, "new")
    assert "Framework contract" in new and "You hold R" in new
    assert reverse("raci:matrix", args=[world.account.slug]) in new
    # The member's role (inside sales) holds no R or A: nothing new for them.
    assert "Framework contract" not in home(world.client_for("member"))


@pytest.mark.usefixtures("old_task")
def test_a_role_i_hold_on_another_account_is_not_mine_here(world: World) -> None:
    """The member holds gkam on another account only: gkam's R on this account's task
    is the lead's job, not theirs (the seat is an account and a role)."""
    from raci.models import RaciTask

    other = KeyAccountFactory()
    TeamMemberFactory(account=other, user=world.member, role=role("gkam"))
    theirs = RaciTask.objects.create(account=other, name="Price list", order=1)
    mine = RaciAssignment(task=theirs, role=role("gkam"), letter="A")
    mine._history_user = world.lead
    mine.save()
    _letter(world, "gkam", "R", world.lead)
    new = section(home(world.client_for("member")), "new")
    assert "Price list" in new and "You hold A" in new
    assert "Framework contract" not in new


@pytest.mark.usefixtures("old_task")
def test_my_own_raci_changes_are_not_news_to_me(world: World) -> None:
    _letter(world, "gkam", "A", world.lead)
    assert "Framework contract" not in home(world.client_for("lead"))


@pytest.mark.usefixtures("old_task")
def test_raci_changes_stay_new_for_the_whole_visit_and_go_with_the_next(world: World) -> None:
    from workspace.models import HomeVisit

    client = world.client_for("lead")
    _letter(world, "gkam", "R", world.member, ago=datetime.timedelta(hours=2))
    assert "Framework contract" in home(client)  # a first visit: the last 14 days
    assert "Framework contract" in home(client)  # a reload does not make it vanish
    # The visit ended an hour ago, after the change: the next visit has no news.
    HomeVisit.objects.filter(user=world.lead).update(
        seen_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert "Framework contract" not in section(home(client), "new")
    _letter(world, "management", "A", world.member)  # a change during this visit
    assert "Framework contract" in section(home(client), "new")


# Plans and reviews ---------------------------------------------------------


def test_an_expired_plan_is_overdue_for_everyone_on_the_account(world: World) -> None:
    world.plan.start_year, world.plan.end_year = 2023, 2025
    world.plan.save()
    member = section(home(world.client_for("member")), "overdue")
    assert "The plan 2023–2025 expired at the end of 2025." in member
    assert reverse("accounts:plan", args=[world.account.slug]) in member
    lead = section(home(world.client_for("lead")), "overdue")
    assert reverse("accounts:plan_create", args=[world.account.slug]) in lead


def test_only_leads_are_told_the_plan_runs_out(world: World) -> None:
    world.plan.start_year, world.plan.end_year = 2024, 2026
    world.plan.save()
    lead = section(home(world.client_for("lead")), "soon")
    assert "Runs out in 29 days: time for the next plan." in lead
    assert "Runs out" not in home(world.client_for("member"))


def test_unread_reviews_of_my_plans_are_new_until_marked_read(world: World) -> None:
    review = PlanReview.objects.create(
        plan=world.plan, reviewed_by=world.manager, comment="Add the service potential."
    )
    client = world.client_for("lead")
    new = section(home(client), "new")
    assert "Add the service potential." in new
    read = reverse("accounts:review_read", args=[world.account.slug, world.plan.pk, review.pk])
    assert f'action="{read}?next=/"' in new
    assert "Add the service potential." not in home(world.client_for("member"))
    PlanReviewRead.objects.create(review=review, user=world.lead)
    assert "Add the service potential." not in home(client)


# Thanks and coverage -------------------------------------------------------


def test_leads_are_reminded_to_thank_who_was_not_thanked_for_90_days(world: World) -> None:
    Appreciation.objects.create(
        account=world.account,
        member=world.membership,
        thanked_on=TODAY - datetime.timedelta(days=150),
        note="Quote",
        recorded_by=world.lead,
    )
    care = section(home(world.client_for("lead")), "care")
    assert "Time to say thank you?" in care
    assert "last thanked 150 days ago" in care
    add = reverse("coaching:thanks_create", args=[world.account.slug])
    assert f'href="{add}?member={world.membership.pk}"' in care
    assert "Time to say thank you?" not in home(world.client_for("member"))


def test_a_recent_thank_you_needs_no_reminder(world: World) -> None:
    Appreciation.objects.create(
        account=world.account,
        member=world.membership,
        thanked_on=TODAY - datetime.timedelta(days=10),
        note="Quote",
        recorded_by=world.lead,
    )
    assert "Time to say thank you?" not in home(world.client_for("lead"))


def test_coverage_gaps_name_deciders_without_owner_and_untouched_contacts(world: World) -> None:
    from touchpoints.selectors import coverage

    decider = ContactFactory(account=world.account, first_name="Clara", last_name="Hoffmann")
    decider.buying_roles.add(BuyingCentreRole.objects.get(code="decider"))
    care = section(home(world.client_for("lead")), "care")
    assert "Decision makers without a relationship owner" in care
    add = reverse("touchpoints:relationship_create", args=[world.account.slug])
    assert f'href="{add}?contact={decider.pk}"' in care
    assert "1 contact without a touchpoint this quarter" in care
    # The same rules as the overview's coverage card.
    gaps = coverage(world.account)
    assert [c.full_name for c in gaps.deciders_without_owner] == ["Clara Hoffmann"]
    assert [c.full_name for c in gaps.no_touchpoint_this_quarter] == ["Clara Hoffmann"]
    assert "1 contact without a touchpoint this quarter" in care
    assert "Decision makers" not in home(world.client_for("member"))


# The onboarding checklist --------------------------------------------------


def test_a_brand_new_account_gets_a_checklist_that_ticks_as_steps_get_done(world: World) -> None:
    account = KeyAccountFactory(name="Fresh GmbH", slug="fresh")
    TeamMemberFactory(account=account, user=world.lead, role=role("gkam"))
    client = world.client_for("lead")
    text = home(client)
    assert "Get your accounts started" in text and "0 of 6 done" in text
    assert f'href="{reverse("accounts:plan_create", args=["fresh"])}"' in text
    assert f'href="{reverse("accounts:contact_create", args=["fresh"])}"' in text
    ContactFactory(account=account)
    TeamMemberFactory(account=account, user=UserFactory(), role=role("engineering"))
    KeyAccountPlan.objects.create(account=account, start_year=2026, end_year=2028)
    text = home(client)
    assert "3 of 6 done" in text
    assert f'href="{reverse("accounts:plan_create", args=["fresh"])}"' not in text


def test_an_account_set_up_long_ago_gets_no_checklist(world: World) -> None:
    # Nordwind has a plan, contacts, touchpoints and a meeting; it is a year old.
    type(world.account).objects.filter(pk=world.account.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=365)
    )
    assert "Get your accounts started" not in home(world.client_for("lead"))


# My accounts, empty states, managers ---------------------------------------


def test_my_accounts_is_one_line_per_account_not_a_card(world: World) -> None:
    for n in range(11):
        account = KeyAccountFactory(name=f"Account {n:02d}")
        TeamMemberFactory(account=account, user=world.member, role=role("inside-sales"))
    text = home(world.client_for("member"))
    assert text.count('my-account"') == 12
    assert "account-card" not in text
    assert "Inside sales" in text and "Plan 2026–2028" in text


def test_with_nothing_due_the_page_says_what_to_do_next(world: World) -> None:
    text = home(world.client_for("member"))
    assert "Nothing needs you right now." in text
    assert f'href="{reverse("my_touchpoints")}"' in text


def test_outsider_is_sent_to_the_directory_and_sees_no_account(world: World) -> None:
    touchpoint(world, quarter=3, title="Call about the framework")
    text = home(world.client_for("outsider"))
    assert "You are not on any key account team yet." in text
    assert f'href="{reverse("directory")}"' in text
    assert "Nordwind" not in text and "Call about the framework" not in text
    assert "Portfolio:" not in text


def test_managers_see_the_portfolio_summary_above_their_items(world: World) -> None:
    text = home(world.client_for("manager"))
    assert "Portfolio: 1 active account" in text
    assert f'href="{reverse("portfolio:portfolio")}?health=risk"' in text
    assert "You are not on any key account team yet." not in text
    assert "Portfolio:" not in home(world.client_for("lead"))


def test_a_change_reaches_the_cached_page(world: World) -> None:
    tp = touchpoint(world, quarter=3, title="Call about the framework")
    client = world.client_for("member")
    assert "Call about the framework" in home(client)
    tp.status = "done"
    tp.save()
    assert "Call about the framework" not in home(client)


def test_lead_facts_say_what_the_separate_queries_said(world: World) -> None:
    """One UNION for touchpoints, owners, meetings, decision makers and A/R letters:
    the same facts, and RaciTask.complete's rule (an A and an R on roles somebody
    holds) in Python."""
    from raci.models import RaciTask
    from touchpoints.models import RelationshipPair, TeamMeeting
    from workspace.today_setup import lead_facts

    other = KeyAccountFactory()
    gkam = TeamMemberFactory(account=other, role=role("gkam"))
    done = RaciTask.objects.create(account=world.account, name="Offers", order=2)
    RaciAssignment.objects.create(task=done, role=role("gkam"), letter="A")
    RaciAssignment.objects.create(task=done, role=role("inside-sales"), letter="R")
    # The other account's R sits with a role held only by a former member there: no one's job.
    half = RaciTask.objects.create(account=other, name="Prices", order=1)
    RaciAssignment.objects.create(task=half, role=role("gkam"), letter="A")
    RaciAssignment.objects.create(task=half, role=role("engineering"), letter="R")
    former = TeamMemberFactory(account=other, role=role("engineering"))
    former.archived_at = timezone.now()
    former.save()
    Touchpoint.objects.create(
        account=other, contact=ContactFactory(account=other), year=2026, quarter=3,
        title="Visit", owner=gkam,
    )  # fmt: skip
    approver, influencer = ContactFactory(account=other), ContactFactory(account=other)
    approver.buying_roles.add(BuyingCentreRole.objects.get(code="approver"))
    influencer.buying_roles.add(BuyingCentreRole.objects.get(code="influencer"))
    TeamMeeting.objects.create(account=other, year=2026, quarter=2, format="video")
    ids = [world.account.pk, other.pk]

    facts = lead_facts(ids, 2026)

    expected_complete = set(
        RaciTask.objects.complete().filter(account_id__in=ids).values_list("account_id", flat=True)
    )
    assert facts.raci_complete == expected_complete == {world.account.pk}
    touched = Touchpoint.objects.filter(
        account_id__in=ids, year=2026, status__in=["planned", "done"]
    ).values_list("account_id", "contact_id", "quarter")
    assert sorted(facts.plans.touched) == sorted(touched)
    assert other.pk in {a for a, _c, _q in facts.plans.touched}
    assert facts.plans.owned == set(
        RelationshipPair.objects.filter(account_id__in=ids).values_list("contact_id", flat=True)
    )
    assert (
        facts.plans.meetings
        == set(
            TeamMeeting.objects.filter(account_id__in=ids, year=2026)
            .exclude(status="cancelled")
            .values_list("account_id", flat=True)
        )
        == {world.account.pk, other.pk}
    )
    # touchpoints.selectors.coverage's rule: in person and not cancelled.
    assert facts.plans.in_person == set(
        TeamMeeting.objects.filter(account_id__in=ids)
        .in_person(2026)
        .values_list("account_id", flat=True)
    )
    assert approver.pk in facts.deciders and influencer.pk not in facts.deciders
    assert facts.deciders == set(
        CustomerContact.objects.filter(
            account_id__in=ids, buying_roles__code__in=["decider", "approver"]
        ).values_list("pk", flat=True)
    )
